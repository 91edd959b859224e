import PortwardenMonitor

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The shared body of the `log-*` targets: feeds the input to a `LogLineReader` in two chunks split
/// at a point the input chooses, and checks that every problem names a line of the input.
enum LogTargetCheck {
    /// A fixed "now" (2027-01-15), so years inferred for syslog timestamps do not depend on the clock.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func read(_ input: [UInt8], format: LogFormat) {
        var reader = LogLineReader(format: format, file: "fuzz.log", now: now)
        let lines = input.count { $0 == UInt8(ascii: "\n") } + 1
        let split = input.isEmpty ? 0 : Int(input[0]) % (input.count + 1)
        let check: (LogReaderItem) -> Void = { item in
            if case .problem(let problem) = item {
                FuzzCheck.require((1...lines).contains(problem.line), "problem outside the input: \(problem)")
            }
        }
        reader.feed(input[..<split], check)
        reader.feed(input[split...], check)
        reader.finish(check)
    }
}
