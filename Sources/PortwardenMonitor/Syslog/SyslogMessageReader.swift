import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the messages a syslog receiver gets (RFC 3164 or RFC 5424, one message each, framing already
/// removed) and hands each to the parser its program or content calls for: `kernel`, or a message with
/// netfilter's `IN=` and `SRC=` fields, to `NetfilterLogParser`; `sshd` and `sshd-session` to
/// `SSHDAuthParser`; a body that is a JSON object with `event_type` to `SuricataEveParser`, one with Zeek's
/// connection keys (`orig_h`, `zeek.`) to the Zeek JSON reader. Every other message is counted as ignored,
/// never as a problem. A message whose PRI is broken is a problem.
public struct SyslogMessageReader: Sendable {
    /// Messages read, by what became of them.
    public private(set) var counts = LogCounts()
    private let netfilter: NetfilterLogParser
    private let sshd: SSHDAuthParser
    private let suricata = SuricataEveParser()
    private let now: Date

    /// - Parameter now: the reference time for RFC 3164 stamps (which carry no year).
    public init(now: Date) {
        self.now = now
        netfilter = NetfilterLogParser(now: now)
        sshd = SSHDAuthParser(now: now)
    }

    /// Reads one message of `source` (the receiver and the peer, `tcp://127.0.0.1:5514 from 127.0.0.1:40312`),
    /// its `number`-th; a problem is located at that number and the byte column in the message.
    public mutating func read(
        _ message: ArraySlice<UInt8>, source: String, number: Int, _ emit: (LogReaderItem) -> Void
    ) {
        var message = message
        while let last = message.last, last == 0 || last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            message = message.dropLast()
        }
        if LogCounts.isBlank(message) {
            counts.blank += 1
            return
        }
        counts.tally(Result { () throws(LogLineError) in try record(message) }, file: source, line: number, emit)
    }

    /// Counts a framing problem of the stream (reported by the receiver).
    public mutating func countProblem() { counts.problems += 1 }

    private func record(_ message: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        try Self.checkPRI(message)
        let frame = SyslogFrame.read(message, now: now)
        let program = frame.program
        let body = message[frame.messageStart...]
        let bodyOffset = frame.messageStart - message.startIndex
        if program.elementsEqual("sshd".utf8) || program.elementsEqual("sshd-session".utf8) {
            return try sshd.parse(Array(message)[...])
        }
        if body.first == UInt8(ascii: "{") {
            do throws(LogLineError) {
                if LogBytes.find(body, "\"event_type\"", from: body.startIndex) != nil {
                    return try suricata.parse(body)
                }
                if LogBytes.find(body, "orig_h\"", from: body.startIndex) != nil
                    || LogBytes.find(body, "\"zeek", from: body.startIndex) != nil
                {
                    return try ZeekConnJSON.parse(Array(body)[...])
                }
            } catch {
                throw LogLineError(offset: bodyOffset + error.offset, error.message)
            }
            return .ignored
        }
        if program.elementsEqual("kernel".utf8)
            || (LogBytes.find(body, "IN=", from: body.startIndex) != nil
                && LogBytes.find(body, " SRC=", from: body.startIndex) != nil)
        {
            return try netfilter.parse(message)
        }
        return .ignored
    }

    /// A message that starts with `<` must start with a PRI, `<0>` to `<191>` (RFC 5424 6.2.1); one without
    /// is taken as it is (RFC 3164 4.3.3 has a relay add `<13>`).
    static func checkPRI(_ message: ArraySlice<UInt8>) throws(LogLineError) {
        guard message.first == UInt8(ascii: "<") else { return }
        var value = 0
        var i = message.startIndex + 1
        while i < message.endIndex, i - message.startIndex <= 4, let digit = SyslogStreamFramer.digit(message[i]) {
            value = value * 10 + digit
            i += 1
        }
        let digits = i - message.startIndex - 1
        guard digits >= 1, digits <= 3, i < message.endIndex, message[i] == UInt8(ascii: ">"), value <= 191 else {
            throw LogLineError(offset: 0, "expected a PRI from <0> to <191> at the start of the message")
        }
    }
}
