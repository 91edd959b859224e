import Foundation
import PortwardenCore
import PortwardenScan
import Testing

@Suite("nmap XML import")
struct NmapXMLImporterTests {
    @Test("an nmap 7.93 document: ports, states, reasons, services and expanded extraports")
    func nmap793() throws {
        let result = NmapXMLImporter.parse(FormatFixtures.nmap793.bytes, source: "scan.xml", vantage: "corp")
        #expect(result.problems == [])
        #expect(result.hosts == 2)
        #expect(result.observations.count == 1002 + 1002)
        let ssh = try #require(result.observation("10.20.1.10", .tcp, 22))
        #expect(ssh.state == .open)
        #expect(ssh.reason == "syn-ack")
        #expect(ssh.service == "ssh")
        #expect(ssh.source == .import)
        #expect(ssh.vantage == "corp")
        #expect(ssh.time == Date(timeIntervalSince1970: 1_795_921_470))
        #expect(result.observation("10.20.1.10", .tcp, 443)?.state == .filtered)
        #expect(result.observation("10.20.1.10", .udp, 53)?.state == .openFiltered)
        #expect(result.observation("10.20.1.10", .udp, 161)?.reason == "port-unreach")
        #expect(result.observation("10.20.1.11", .udp, 161)?.state == .closedFiltered)
        // Collapsed ports come back one by one, with their state and reason.
        #expect(result.count("10.20.1.10", .closed) == 997 + 1)
        let collapsed = try #require(result.observation("10.20.1.10", .tcp, 21))
        #expect(collapsed.state == .closed)
        #expect(collapsed.reason == "conn-refused")
        #expect(result.count("10.20.1.11", .filtered) == 999)
        #expect(result.observation("10.20.1.11", .tcp, 995)?.reason == "host-unreach")
        #expect(result.observation("10.20.1.11", .tcp, 500)?.reason == "no-response")
        #expect(result.observation("10.20.1.11", .tcp, 991)?.state == .open)
        // The down host has no ports; the MAC address is not a host.
        #expect(!result.observations.contains { $0.host == IPAddress("10.20.1.12") })
    }

    @Test("extraports without ports= are derived from scaninfo services minus listed ports")
    func derivedFromScanInfo() throws {
        let result = NmapXMLImporter.parse(
            FormatFixtures.nmapWithoutPortsAttribute.bytes, source: "old.xml", vantage: nil)
        #expect(result.hosts == 2)
        #expect(result.count("10.0.0.1", .closed) == 98)
        #expect(result.observation("10.0.0.1", .tcp, 1)?.state == .closed)
        #expect(result.observation("10.0.0.1", .tcp, 100)?.reason == "conn-refused")
        #expect(result.observation("10.0.0.1", .tcp, 22)?.state == .open)
        #expect(result.observation("10.0.0.1", .tcp, 22)?.time == Date(timeIntervalSince1970: 1_700_000_002))
        // Two collapsed states without port lists cannot be attributed: reported, not guessed.
        #expect(result.observations.filter { $0.host == IPAddress("10.0.0.2") }.count == 1)
        let problem = try #require(result.problems.first)
        #expect(result.problems.count == 1)
        #expect(problem.code == .unresolvedPorts)
        #expect(problem.file == "old.xml")
        #expect(problem.line == 20)
        #expect(problem.message.contains("60 closed"))
        #expect(problem.message.contains("39 filtered"))
    }

    @Test("masscan -oX: one host element per finding, merged by address; banners name the service")
    func masscanXML() throws {
        let result = NmapXMLImporter.parse(FormatFixtures.masscanXML.bytes, source: "m.xml", vantage: "edge")
        #expect(result.problems == [])
        #expect(result.hosts == 2)
        #expect(result.observations.count == 3)
        let http = try #require(result.observation("10.231.0.2", .tcp, 80))
        #expect(http.state == .open)
        #expect(http.reason == "syn-ack")
        #expect(http.service == "http")
        #expect(result.observation("10.231.0.2", .tcp, 22)?.time == Date(timeIntervalSince1970: 1_795_921_467))
        #expect(result.observation("10.231.0.3", .tcp, 443)?.state == .open)
    }

    @Test("a truncated document keeps every complete host and reports where it broke")
    func truncated() throws {
        let text = FormatFixtures.nmap793
        let cut = try #require(text.range(of: "<port protocol=\"tcp\" portid=\"991\">"))
        let truncated = String(text[..<cut.lowerBound]) + "<port protocol=\"tcp\" por"
        let result = NmapXMLImporter.parse(truncated.bytes, source: "cut.xml", vantage: nil)
        #expect(result.observations.count == 1002)
        #expect(result.observations.allSatisfy { $0.host == IPAddress("10.20.1.10") })
        let problem = try #require(result.problems.last)
        #expect(problem.code == .truncated)
        #expect(problem.file == "cut.xml")
        #expect(problem.line == 44)
        #expect(problem.column == 25)
        #expect(problem.description.hasPrefix("cut.xml:44:25:"))
    }

    @Test("a malformed element reports line:column and earlier hosts survive")
    func malformed() throws {
        let text = FormatFixtures.nmap793.replacingOccurrences(
            of: "<port protocol=\"tcp\" portid=\"991\">", with: "<port protocol=\"tcp\" portid=991>")
        let result = NmapXMLImporter.parse(text.bytes, source: "bad.xml", vantage: nil)
        #expect(result.observations.count == 1002)
        let problem = try #require(result.problems.first)
        #expect(problem.code == .malformed)
        #expect(problem.line == 44)
        #expect(problem.column == 29)
        #expect(problem.message.contains("not quoted"))
    }

    @Test("a mismatched end tag names both tags and where the open one started")
    func mismatchedEndTag() throws {
        let text = FormatFixtures.nmap793.replacingOccurrences(
            of: "</ports>\n<times srtt=\"1200\"", with: "</port>\n<times srtt=\"1200\"")
        let result = NmapXMLImporter.parse(text.bytes, source: "bad.xml", vantage: nil)
        let problem = try #require(result.problems.first)
        #expect(problem.message.contains("</port> does not match <ports> opened at 40:1"))
        #expect(result.observations.count == 1002)
    }

    @Test(
        "bad values are reported per record with their location, the rest is imported",
        arguments: [
            ("portid=\"80\"", "portid=\"80x\"", "not a port number"),
            (
                "state=\"filtered\" reason=\"no-response\" reason_ttl=\"0\"/><service name=\"https\"",
                "state=\"sideways\" reason=\"no-response\" reason_ttl=\"0\"/><service name=\"https\"",
                "not a port state"
            ),
            ("protocol=\"tcp\" portid=\"443\"", "protocol=\"tcx\" portid=\"443\"", "not tcp or udp"),
        ])
    func badValues(original: String, replacement: String, message: String) throws {
        let text = FormatFixtures.nmap793.replacingOccurrences(of: original, with: replacement)
        let result = NmapXMLImporter.parse(text.bytes, source: "v.xml", vantage: nil)
        #expect(result.problems.count == 1)
        let problem = try #require(result.problems.first)
        #expect(problem.code == .invalidValue)
        #expect(problem.line > 0)
        #expect(problem.message.contains(message))
        #expect(result.observations.count == 2003)
    }

    @Test("an address that is not an IP drops that host only, with its location")
    func badAddress() throws {
        let text = FormatFixtures.nmap793.replacingOccurrences(of: "addr=\"10.20.1.11\"", with: "addr=\"10.20.1.x\"")
        let result = NmapXMLImporter.parse(text.bytes, source: "a.xml", vantage: nil)
        #expect(result.hosts == 1)
        #expect(result.observations.count == 1002)
        #expect(result.problems.map(\.code) == [.invalidValue, .missingField])
        #expect(result.problems.first?.line == 37)
    }

    @Test("a document that is not nmap XML is reported once")
    func notNmap() {
        let result = NmapXMLImporter.parse("<html><body/></html>".bytes, source: "x.html", vantage: nil)
        #expect(result.observations.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.code == .unexpectedElement)
        let empty = NmapXMLImporter.parse([], source: "empty.xml", vantage: nil)
        #expect(empty.problems.first?.code == .truncated)
    }

    @Test("the observation cap stops expansion and says so")
    func cap() {
        let result = NmapXMLImporter.parse(
            FormatFixtures.nmap793.bytes, source: "scan.xml", vantage: nil, maxObservations: 100)
        #expect(result.observations.count == 100)
        #expect(result.problems.map(\.code) == [.limitExceeded])
    }
}

@Suite("nmap XML import: hostile input")
struct NmapXMLHostileInputTests {
    @Test("a host repeating huge extrareasons port lists is cut off at the per-host limit")
    func repeatedPortLists() {
        let reason = "<extrareasons reason=\"x\" count=\"65536\" proto=\"tcp\" ports=\"0-65535\"/>\n"
        let text = """
            <nmaprun scanner="nmap" start="1" version="7.93" xmloutputversion="1.05">
            <host><status state="up" reason="user-set" reason_ttl="0"/><address addr="10.0.0.1"/>
            <ports><extraports state="closed" count="65536">
            \(String(repeating: reason, count: 10))</extraports></ports></host></nmaprun>
            """
        let result = NmapXMLImporter.parse(Array(text.utf8), source: "h.xml", vantage: nil)
        #expect(result.problems.filter { $0.code == .limitExceeded }.count == 6)
        #expect(result.observations.count == 65536)
        #expect(result.observations.allSatisfy { $0.state == .closed })
    }
}
