import PortwardenMonitor
import Testing

@Suite("Syslog TCP framing (RFC 6587): octet counting or LF, broken frames located and skipped")
struct SyslogStreamFramerTests {
    /// What the framer makes of `text` fed in pieces of `chunk` bytes: messages as text, problems as
    /// `!CODE@OFFSET`.
    static func frame(
        _ text: String, chunk: Int = .max, maxMessage: Int = 64
    ) -> (items: [String], framer: SyslogStreamFramer) {
        var framer = SyslogStreamFramer(peer: "tcp://127.0.0.1:5514 from 127.0.0.1:40000", maxMessage: maxMessage)
        var items: [String] = []
        let collect = { (item: SyslogStreamFramer.Item) in
            switch item {
            case .message(let bytes, let offset): items.append("\(String(decoding: bytes, as: UTF8.self))@\(offset)")
            case .problem(let problem): items.append("!\(problem.code)@\(problem.offset)")
            }
        }
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + min(chunk, bytes.count))
            framer.feed(bytes[start..<end], collect)
            start = end
        }
        framer.finish(collect)
        return (items, framer)
    }

    @Test("octet-counted frames, fed whole or a byte at a time, give the same messages and offsets")
    func octetCounting() {
        let stream = "11 <13>1 - a b5 <13>x\n10 <13>two\nok"
        let expected = ["<13>1 - a b@3", "<13>x@16", "<13>two\nok@25"]
        for chunk in [Int.max, 1, 2, 7] {
            let result = Self.frame(stream, chunk: chunk)
            #expect(result.items == expected, "chunk \(chunk)")
            #expect(result.framer.framing == .octetCounting)
        }
    }

    @Test("LF framing (CR LF too) when the first byte is not a digit; a last line without LF is a message")
    func lineFeedFraming() {
        for chunk in [Int.max, 1, 3] {
            let result = Self.frame("<13>one\r\n\n<14>two\n<15>three", chunk: chunk)
            #expect(result.items == ["<13>one@0", "<14>two@10", "<15>three@18"], "chunk \(chunk)")
            #expect(result.framer.framing == .nonTransparent)
        }
    }

    @Test("a bad length prefix is located; the next frame is found again and kept")
    func badLengthResynchronises() {
        for chunk in [Int.max, 1, 4] {
            let result = Self.frame("5 <13>a12x garbage 5 <14>b05 x 5 <15>d", chunk: chunk)
            #expect(
                result.items == ["<13>a@2", "!badLength@7", "<14>b@21", "!badLength@26", "<15>d@33"], "chunk \(chunk)")
        }
    }

    @Test("an oversize octet-counted frame is skipped by its length, losing nothing after it")
    func oversizeFrameSkipped() {
        let big = String(repeating: "x", count: 100)
        for chunk in [Int.max, 1, 16] {
            let result = Self.frame("100 \(big)6 <13>ok", chunk: chunk)
            #expect(result.items == ["!oversize@0", "<13>ok@106"], "chunk \(chunk)")
            #expect(result.framer.bufferedByteCount == 0)
        }
    }

    @Test("an oversize line is reported once and skipped to its LF; memory stays bounded meanwhile")
    func oversizeLineSkipped() {
        let big = String(repeating: "y", count: 1000)
        var framer = SyslogStreamFramer(peer: "p", maxMessage: 64)
        var items: [String] = []
        framer.feed(Array("<13>\(big)".utf8)) {
            if case .problem(let p) = $0 { items.append("!\(p.code)@\(p.offset)") }
        }
        for _ in 0..<100 { framer.feed(Array(big.utf8)) { _ in items.append("more") } }
        #expect(framer.bufferedByteCount <= 1000, "held \(framer.bufferedByteCount)")
        framer.feed(Array("tail\n<13>next\n".utf8)) {
            if case .message(let bytes, _) = $0 { items.append(String(decoding: bytes, as: UTF8.self)) }
        }
        #expect(items == ["!oversize@0", "<13>next"])
    }

    @Test("a length of 10 digits, a length 0, and a connection closed inside a frame are problems")
    func otherProblems() {
        #expect(Self.frame("1234567890 <13>x").items.first == "!badLength@0")
        #expect(Self.frame("4 <13>5 <13>").items == ["<13>@2", "!truncated@6"])
        #expect(Self.frame("3 abc0 x").items == ["abc@2", "!badLength@5"])
    }

    @Test("the problem names the peer and the byte offset")
    func problemText() {
        var framer = SyslogStreamFramer(peer: "tcp://127.0.0.1:5514 from 127.0.0.1:40000")
        var text = ""
        framer.feed(Array("4 abcd#".utf8)) { if case .problem(let p) = $0 { text = p.description } }
        #expect(
            text == "tcp://127.0.0.1:5514 from 127.0.0.1:40000: byte 6: error: expected a frame length (octet "
                + "counting), found \"#\"; looking for the next frame")
    }
}
