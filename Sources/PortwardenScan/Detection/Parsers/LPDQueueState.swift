/// LPD (RFC 1179): the "send queue state (short)" command the probe sends on tcp/515, and the
/// daemon's answer. The command is the byte 0x03, a queue name and a line feed; the answer is
/// free text that "continues until the connection closes" (section 5.3), so it is whole only once
/// the daemon has closed. The command only reads: it submits, starts and removes nothing.
enum LPDQueueState: Equatable, Sendable {
    /// A text answer, ended by a line feed and the daemon's close: its lines, printable text.
    case answer([String])
    /// No close yet (or no close and nothing that rules the bytes out).
    case incomplete
    /// Not an LPD answer: what is wrong, at which line and column (both from 1).
    case refused(Refusal)

    /// Why bytes are no LPD answer, at the first line and column that show it.
    struct Refusal: Equatable, Sendable, CustomStringConvertible {
        var line: Int
        var column: Int
        var reason: String

        var description: String { "LPD answer line \(line), column \(column): \(reason)" }
    }

    /// The queue the probe asks about: BSD lpd's default printer name.
    static let queue = "lp"

    /// `0x03 lp LF`.
    static var command: [UInt8] { [0x03] + Array(queue.utf8) + [0x0A] }

    /// First lines other client-first services answer an unknown command with.
    private static let otherProtocols: [(prefix: String, name: String)] = [
        ("HTTP/", "an HTTP status line"), ("RTSP/", "an RTSP status line"), ("SIP/", "a SIP status line"),
        ("SSH-", "an SSH banner"), ("-ERR", "a Redis error"), ("+OK", "a POP3 or Redis reply"),
        ("ERROR", "a memcached error"), ("CLIENT_ERROR", "a memcached error"), ("SERVER_ERROR", "a memcached error"),
    ]

    /// Parses what arrived after the command; `closed` says whether the daemon has closed. Never
    /// traps; a refusal is decided on the bytes alone, so it holds for every longer input.
    static func parse(_ bytes: [UInt8], closed: Bool) -> LPDQueueState {
        // Another protocol's first line is refused at its first column, before any byte after it is
        // looked at: so the refusal stays the same however many bytes follow.
        if let refusal = otherProtocol(bytes[..<(bytes.firstIndex(of: 0x0A) ?? bytes.endIndex)]) {
            return .refused(refusal)
        }
        var line = 1
        var column = 1
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                line += 1
                column = 1
                continue
            }
            if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] != 0x0A {
                    return .refused(Refusal(line: line, column: column, reason: "a carriage return inside a line"))
                }
            } else if byte < 0x20 && byte != 0x09 || byte == 0x7F {
                return .refused(
                    Refusal(line: line, column: column, reason: "byte \(IPPMessage.hex(byte)) is no text"))
            }
            column += 1
        }
        guard closed else { return .incomplete }
        guard !bytes.isEmpty else {
            return .refused(Refusal(line: 1, column: 1, reason: "the connection closed with no answer"))
        }
        guard bytes.last == 0x0A else {
            return .refused(Refusal(line: line, column: column, reason: "the answer does not end with a line feed"))
        }
        let lines = bytes.split(separator: 0x0A).map { DetectionText.printable($0, limit: 200) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return .refused(Refusal(line: 1, column: 1, reason: "the answer holds no text")) }
        return .answer(lines)
    }

    /// A refusal when the first line, or as much of it as has arrived, is another protocol's.
    private static func otherProtocol(_ text: ArraySlice<UInt8>) -> Refusal? {
        for (prefix, name) in otherProtocols where text.starts(with: prefix.utf8) {
            return Refusal(line: 1, column: 1, reason: name)
        }
        // `220 `, `500-`: a numeric reply code line (FTP, SMTP and their kin).
        if text.count >= 4, text.prefix(3).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            text[text.startIndex + 3] == 0x20 || text[text.startIndex + 3] == 0x2D
        {
            return Refusal(line: 1, column: 1, reason: "a numeric reply code line")
        }
        return nil
    }

    /// What the answer says, for evidence: the daemon refused this host, does not know the queue,
    /// or reported its state.
    static func describe(_ lines: [String]) -> String {
        let text = lines.joined(separator: " / ")
        let shown = text.count > 160 ? String(text.prefix(160)) + "..." : text
        if DetectionText.contains(Array(text.utf8), "does not have line printer access") {
            return "queue state of \"\(queue)\" refused to this host: \"\(shown)\""
        }
        if DetectionText.contains(Array(text.utf8), "unknown printer") {
            return "queue state of \"\(queue)\": no such queue: \"\(shown)\""
        }
        return "queue state of \"\(queue)\" answered: \"\(shown)\""
    }
}
