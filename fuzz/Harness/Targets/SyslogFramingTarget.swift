import PortwardenMonitor

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A syslog TCP stream through `SyslogStreamFramer` (octet counting or LF framing, fed in two chunks split
/// where the first byte says), every message then through `SyslogMessageReader`; each message is the bytes
/// of the input at its offset, each problem lies inside the input, and what the framer holds stays bounded.
enum SyslogFramingTarget: FuzzTarget {
    static let name = "syslog-framing"

    /// A small limit, so that oversize frames and lines are reached.
    static let maxMessage = 512

    static func run(_ input: [UInt8]) {
        var framer = SyslogStreamFramer(peer: "fuzz", maxMessage: maxMessage)
        var reader = SyslogMessageReader(now: LogTargetCheck.now)
        var messages = 0
        let split = input.isEmpty ? 0 : Int(input[0]) % (input.count + 1)
        let check = { (item: SyslogStreamFramer.Item) in
            switch item {
            case .message(let bytes, let offset):
                FuzzCheck.require(
                    offset >= 0 && offset + bytes.count <= input.count
                        && input[offset..<(offset + bytes.count)].elementsEqual(bytes),
                    "message at \(offset) is not the input's bytes")
                FuzzCheck.require(bytes.count <= maxMessage, "a message of \(bytes.count) bytes")
                messages += 1
                reader.read(bytes, source: "fuzz", number: messages) { item in
                    if case .problem(let problem) = item {
                        FuzzCheck.require(problem.line == messages, "problem on message \(problem.line)")
                    }
                }
            case .problem(let problem):
                FuzzCheck.require(problem.offset >= 0 && problem.offset <= input.count, "problem at \(problem.offset)")
            }
        }
        for chunk in [input[..<split], input[split...]] {
            framer.feed(chunk, check)
            // A length prefix (9 digits and a space) and a message at most, or a line at most.
            FuzzCheck.require(framer.bufferedByteCount <= maxMessage + 12, "held \(framer.bufferedByteCount)")
        }
        framer.finish(check)
    }
}
