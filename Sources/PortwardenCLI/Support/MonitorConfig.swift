import PortwardenCore
import PortwardenMonitor

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `monitor --config` file: one setting per line, `#` starts a comment.
///
///     input netfilter /var/log/kern.log
///     input sshd /var/log/auth.log
///     input suricata -
///     silence-after 3600
///     check-every 60
///     commit-every 10000
///
/// `input FORMAT PATH` may repeat (`-` is standard input, at most once); the numbers are seconds, and
/// lines for `commit-every`. A bad line is a located error (`FILE:LINE:COLUMN`).
struct MonitorConfig: Equatable {
    var inputs: [LogFollower.Input] = []
    var silenceAfter: TimeInterval?
    var checkEvery: TimeInterval?
    var commitEvery: Int64?

    /// Reads the file at `path`.
    /// - Throws: a `Diagnostic` (exit 2) for the first bad line, or when the file cannot be read.
    static func load(_ path: String) throws -> MonitorConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(file: path, message: "cannot read the monitor configuration")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    static func parse(_ text: String, file: String) throws -> MonitorConfig {
        var config = MonitorConfig()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let key = words.first else { continue }
            func fail(_ word: Substring?, _ message: String) -> Diagnostic {
                let column = word.map { raw.distance(from: raw.startIndex, to: $0.startIndex) + 1 } ?? 1
                return Diagnostic(file: file, line: index + 1, column: column, message: message)
            }
            func number(_ name: String) throws -> Double {
                guard words.count == 2, let value = Double(words[1]), value > 0 else {
                    throw fail(words.count > 1 ? words[1] : key, "\(name) takes one positive number")
                }
                return value
            }
            switch key {
            case "input":
                guard words.count == 3 else { throw fail(key, "input takes a format and a path: input netfilter FILE") }
                guard let format = LogFormat(rawValue: String(words[1])) else {
                    throw fail(
                        words[1],
                        "unknown format \"\(words[1])\" (\(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                let input = LogFollower.Input(path: String(words[2]), format: format)
                if config.inputs.contains(where: { $0.path == input.path }) {
                    throw fail(words[2], "\(input.path) is already an input")
                }
                config.inputs.append(input)
            case "silence-after": config.silenceAfter = try number("silence-after")
            case "check-every": config.checkEvery = try number("check-every")
            case "commit-every": config.commitEvery = Int64(try number("commit-every"))
            default:
                throw fail(key, "unknown setting \"\(key)\" (input, silence-after, check-every, commit-every)")
            }
        }
        return config
    }
}
