import ArgumentParser
// JSONSerialization and FileManager are not in FoundationEssentials.
import Foundation
import PortwardenCore
import PortwardenPolicy

/// `portwarden diff OLD NEW`: findings of two runs compared by fingerprint.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the findings of two runs: new, resolved and unchanged, by fingerprint.",
        discussion: """
            OLD and NEW are findings.json documents, JSON Lines files from `check --format json`, or report \
            directories (their findings.json, or latest/findings.json). A finding keeps its fingerprint across runs \
            when rule, zone, host, port and subject stay the same, so rewording or re-grading is "unchanged".

            Exits 1 when a new finding is at or above --fail-on (unverified readings never count), 0 otherwise.

            Examples:
              portwarden diff reports/2026-11-01T020000Z reports/latest
              portwarden diff old/findings.json new/findings.json --fail-on critical
            """
    )

    @Argument(help: "The earlier run.") var old: String
    @Argument(help: "The later run.") var new: String

    @Option(name: .long, help: "Exit 1 when a new finding is at or above this severity.")
    var failOn: Severity = .high

    func run() async throws {
        let before = try Self.load(old)
        let after = try Self.load(new)
        let oldPrints = Set(before.map(\.fingerprint))
        let newPrints = Set(after.map(\.fingerprint))
        let added = after.filter { !oldPrints.contains($0.fingerprint) }
        let resolved = before.filter { !newPrints.contains($0.fingerprint) }
        let unchanged = after.filter { oldPrints.contains($0.fingerprint) }
        var out = "new \(added.count), resolved \(resolved.count), unchanged \(unchanged.count)\n"
        for (mark, list) in [("+", added), ("-", resolved)] {
            for finding in list.sorted(by: { $0.severity > $1.severity }) {
                out += "\(mark) \(finding.severity.rawValue) \(finding.rule) \(finding.label): \(finding.message)\n"
            }
        }
        Terminal.write(out)
        let failing = added.filter { $0.severity >= failOn && !EvaluationRule.advisory.contains($0.rule) }
        if !failing.isEmpty { throw CLIFailure.findings }
    }

    /// The findings of one side, as far as the comparison needs them.
    struct Entry {
        var fingerprint: String
        var rule: String
        var severity: Severity
        var label: String
        var message: String
    }

    static func load(_ path: String) throws -> [Entry] {
        var file = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file =
                FileManager.default.fileExists(atPath: path + "/findings.json")
                ? path + "/findings.json" : path + "/latest/findings.json"
        }
        guard let bytes = FileBytes.read(path: file, limit: 512 << 20) else {
            throw CLIFailure.input("\(file): cannot read: \(FileBytes.lastError(path: file))")
        }
        let data = Data(bytes)
        var objects: [[String: Any]] = []
        if let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let findings = document["findings"] as? [[String: Any]]
        {
            objects = findings
        } else {
            // Finding lines, LF or CRLF; blank lines are skipped but counted, so a line number is the file's.
            for (index, line) in String(decoding: bytes, as: UTF8.self).textLines.enumerated()
            where !line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw CLIFailure.input(
                        "\(file):\(index + 1):1: error: not a findings.json document or a finding line")
                }
                objects.append(object)
            }
        }
        return try objects.enumerated().map { index, object in
            guard let fingerprint = object["fingerprint"] as? String, let rule = object["rule"] as? String,
                let severity = (object["severity"] as? String).flatMap(Severity.init(rawValue:))
            else {
                throw CLIFailure.input("\(file): finding #\(index + 1) has no fingerprint, rule or severity")
            }
            let parts = [object["zone"], object["host"], object["port"], object["subject"]].compactMap {
                value -> String? in
                guard let value, !(value is NSNull) else { return nil }
                return "\(value)"
            }
            return Entry(
                fingerprint: fingerprint, rule: rule, severity: severity, label: parts.joined(separator: " "),
                message: object["message"] as? String ?? "")
        }
    }
}
