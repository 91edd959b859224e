import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("XML tokenizer")
struct XMLTokenizerTests {
    private func events(_ text: String, limits: XMLLimits = .standard) -> ([XMLEvent], XMLSyntaxError?) {
        var tokenizer = XMLTokenizer(bytes: Array(text.utf8), limits: limits)
        var events: [XMLEvent] = []
        do {
            while let event = try tokenizer.next() { events.append(event) }
        } catch {
            return (events, error)
        }
        return (events, nil)
    }

    @Test("entities and character references are decoded in attributes and text")
    func entities() throws {
        let (events, error) = events(
            "<a v=\"-&#45;reason &lt;x&gt; &amp; &quot;q&quot; &apos;s&apos; &#x41;&#x3b1;\">t&amp;x</a>")
        #expect(error == nil)
        guard case .start(let name, let attributes, let location) = events.first else {
            Issue.record("no start event")
            return
        }
        #expect(name == "a")
        #expect(location == XMLLocation(line: 1, column: 1))
        #expect(attributes[attribute: "v"] == "--reason <x> & \"q\" 's' Aα")
        #expect(events.count == 3)
        #expect(events[1] == .text("t&x", location: XMLLocation(line: 1, column: 79)))
    }

    @Test("comments, processing instructions, DOCTYPE with internal subset and CDATA")
    func markup() {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE r [ <!ENTITY x "]>"> ]>
            <!-- a comment with -- inside -->
            <r a='1'><![CDATA[<not> & markup]]><e/><?pi data?></r>
            <!-- trailing -->
            """
        let (events, error) = events(text)
        #expect(error == nil)
        #expect(events.count == 5)
        #expect(events[1] == .text("<not> & markup", location: XMLLocation(line: 4, column: 10)))
        #expect(events[2] == .start(name: "e", attributes: [], location: XMLLocation(line: 4, column: 36)))
        #expect(events[3] == .end(name: "e", location: XMLLocation(line: 4, column: 36)))
    }

    @Test(
        "errors carry line:column",
        arguments: [
            ("<a>\n  <b></a>", 2, 6, XMLSyntaxError.Code.malformed, "</a> does not match <b>"),
            ("<a>\n<b x=\"1\">", 2, 10, .truncated, "<b> (opened at 2:1) is still open"),
            ("<a x=\"&bogus;\"/>", 1, 7, .malformed, "unknown or invalid entity &bogus;"),
            ("<a x=\"&#0;\"/>", 1, 7, .malformed, "invalid entity"),
            ("<a x=\"1\" x=\"2\"/>", 1, 15, .malformed, "appears twice"),
            ("<a/><b/>", 1, 5, .malformed, "second root element"),
            ("<a>\n<!-- open", 2, 1, .truncated, "inside a comment"),
            ("text", 1, 1, .malformed, "text outside the root element"),
            ("<a x=\"1\"y=\"2\"/>", 1, 9, .malformed, "expected whitespace"),
            ("<1a/>", 1, 2, .malformed, "expected a element name"),
        ])
    func errors(text: String, line: Int, column: Int, code: XMLSyntaxError.Code, message: String) throws {
        let (_, error) = events(text)
        let failure = try #require(error)
        #expect(failure.code == code)
        #expect(failure.location == XMLLocation(line: line, column: column))
        #expect(failure.message.contains(message))
    }

    @Test("limits stop hostile input: depth, attribute count, value size")
    func limits() throws {
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(events(deep).1?.code == .limitExceeded)
        let many = "<a " + (0..<100).map { "x\($0)=\"1\"" }.joined(separator: " ") + "/>"
        #expect(events(many).1?.code == .limitExceeded)
        var small = XMLLimits.standard
        small.maxValueBytes = 16
        let (_, error) = events("<a v=\"" + String(repeating: "x", count: 64) + "\"/>", limits: small)
        #expect(error?.code == .limitExceeded)
        #expect(events("<a v=\"" + String(repeating: "x", count: 15) + "\"/>", limits: small).1 == nil)
    }

    @Test("port range lists parse and format")
    func portLists() {
        #expect(NmapPortList.parse("1-3,5, 7-7")?.sorted() == [1, 2, 3, 5, 7])
        #expect(NmapPortList.parse("0,65535")?.count == 2)
        #expect(NmapPortList.parse("5-3") == nil)
        #expect(NmapPortList.parse("1,,2") == nil)
        #expect(NmapPortList.parse("65536") == nil)
        #expect(NmapPortList.format([5, 1, 2, 3, 65535, 65534]) == "1-3,5,65534-65535")
        #expect(NmapPortList.format([]) == "")
    }
}
