import Foundation
import PortwardenTestSupport
import Testing

/// The built binary's commands that send no traffic, and the error paths of those that do (run
/// inside an empty namespace, so that even a broken scope guard could not reach anything).
@Suite("portwarden command line, end to end")
struct CommandLineTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func example(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("examples/\(name)").path
    }

    @Test(.runnable(unless: Binary.unavailableReason), arguments: ["localhost.yaml", "multi-zone.yaml"])
    func examplesLintClean(name: String) throws {
        let result = try Binary.run(["policy", "lint", Self.example(name)])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ok: 0 errors"))
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func lintReportsEveryProblemWithItsLocation() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write(
            "broken.yaml",
            """
            version: 1
            zones:
              - id: cde-db
                kind: cde
                prefixes: [10.20.1.0/33]
            services:
              - id: pg
                zone: cde-dbx
                ports: [tcp/5432]
                justification: Card vault
                owner: payments
                approved-by: ciso
            """)
        let result = try Binary.run(["policy", "lint", path])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(path):5:") && $0.contains("error") && $0.contains("10.20.1.0/33") })
        #expect(lines.contains { $0.hasPrefix("\(path):8:") && $0.contains("cde-dbx") && $0.contains("cde-db") })
    }

    /// Lint's JSON and SARIF quote text through Core's one JSON quoter: a DEL or a U+2028 in a file
    /// name (both legal on Linux) is escaped, so a JavaScript reader of the output does not break on it.
    @Test(.runnable(unless: Binary.unavailableReason), arguments: ["json", "sarif"])
    func lintMachineOutputEscapesOddFileNames(format: String) throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write(
            "odd\u{2028}name\u{7F}.yaml",
            """
            version: 1
            zones:
              - id: cde-db
                kind: cde
                prefixes: [10.20.1.0/24]
            services:
              - id: pg
                zone: cde-dbx
                ports: [tcp/5432]
                justification: Card vault
                owner: payments
                approved-by: ciso
            """)
        let result = try Binary.run(["policy", "lint", "--format", format, path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("odd\\u2028name\\u007f.yaml"), "\(result.stdout)")
        #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{7F}" })
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line.utf8)) }
        }
    }

    /// `diff` reads finding lines with LF or CRLF endings; blank lines are skipped, and a broken line is
    /// named by its line number in the file.
    @Test(.runnable(unless: Binary.unavailableReason)) func diffReadsFindingLinesWithWindowsLineEndings() throws {
        let scratch = try ScratchDirectory()
        let a =
            "{\"fingerprint\":\"f1\",\"rule\":\"PW-UNAUTHORIZED-PORT\",\"severity\":\"high\",\"host\":\"10.0.0.1\",\"port\":23}"
        let b =
            "{\"fingerprint\":\"f2\",\"rule\":\"PW-INSECURE-SERVICE\",\"severity\":\"critical\",\"host\":\"10.0.0.2\",\"port\":21}"
        let old = try scratch.write("old.jsonl", a + "\r\n\r\n" + b + "\r\n")
        let new = try scratch.write("new.jsonl", b + "\r\n")
        let result = try Binary.run(["diff", old, new])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("new 0, resolved 1, unchanged 1\n"), "\(result.stdout)")
        let broken = try scratch.write("broken.jsonl", a + "\r\n\r\nnot json\r\n")
        let refused = try Binary.run(["diff", broken, new])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("broken.jsonl:3:1: error: not a findings.json document or a finding line"))
    }

    @Test(
        .runnable(unless: Binary.unavailableReason),
        arguments: [("empty", ""), ("garbage", "\u{0}\u{1}\u{FF}binary\u{0}")])
    func unusablePolicyFilesAreInputErrors(name: String, content: String) throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("\(name).yaml", content)
        let result = try Binary.run(["policy", "lint", path])
        #expect(result.status == 2)
        #expect(result.stdout.contains(path))
        let missing = try Binary.run(["check", "--policy", scratch.path("nope.yaml"), "--observations", path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.yaml"))
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func checkEvaluatesTheGoodLinesAndNamesTheBrokenOnes() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write("policy.yaml", AuditEndToEndTests.policy)
        let observations = try scratch.write(
            "obs.jsonl",
            """
            {"time":"2026-11-29T10:00:00Z","host":"127.0.0.1","transport":"tcp","port":20080,"state":"open","reason":"syn-ack","source":"scan","vantage":"local"}
            {"time":"2026-11-29T10:00:00Z","host":"127.0.0.1","transport":"tcp","port":
            not json at all
            {"time":"2026-11-29T10:00:00Z","host":"127.0.0.1","transport":"tcp","port":23,"state":"open","reason":"syn-ack","source":"scan","vantage":"local"}

            """)
        let result = try Binary.run([
            "check", "--policy", policy, "--observations", observations, "--format", "json", "--at",
            "2026-11-29T12:00:00Z",
        ])
        #expect(result.status == 1, "an unauthorized telnet port in the CDE fails the check: \(result.stderr)")
        #expect(result.stderr.contains("obs.jsonl:2:76: error: "))
        #expect(result.stderr.contains("obs.jsonl:3:1: error: "))
        let findings = try result.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let unauthorized = findings.filter { $0["rule"] as? String == "PW-UNAUTHORIZED-PORT" }
        #expect(unauthorized.compactMap { $0["port"] as? Int } == [23])
        // No handshake ran: port 23 alone is an unverified, probable Telnet that claims no requirement.
        #expect(
            findings.contains {
                $0["rule"] as? String == "PW-UNVERIFIED-SERVICE" && $0["port"] as? Int == 23
                    && $0["severity"] as? String == "info" && ($0["requirements"] as? [String])?.isEmpty == true
            })

        let sarif = try Binary.run([
            "check", "--policy", policy, "--observations", observations, "--format", "sarif", "--fail-on", "critical",
            "--at", "2026-11-29T12:00:00Z",
        ])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")
    }

    @Test(
        .runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason),
        arguments: [
            (["scan", "10.0.0.0/33", "-p", "22"], "33"),
            (["scan", "example", "-p", "22"], "example"),
            (["scan", "8.8.8.8", "-p", "53"], "--allow-public"),
            (["scan", "127.0.0.1", "-p", "70000"], "70000"),
            (["scan", "@/nonexistent/targets.txt"], "targets.txt"),
        ])
    func badTargetsAreRefusedBeforeAnyProbe(arguments: [String], mention: String) throws {
        let namespace = try NetworkNamespace(prefix: "cli")
        defer { namespace.remove() }
        let result = try Binary.run(in: namespace, arguments)
        #expect(result.status == 2, "\(arguments): \(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
    }

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func emptyTargetFileIsAnInputError() throws {
        let namespace = try NetworkNamespace(prefix: "cli")
        defer { namespace.remove() }
        let scratch = try ScratchDirectory()
        let empty = try scratch.write("empty.txt", "")
        let result = try Binary.run(in: namespace, ["scan", "@\(empty)", "-p", "22"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("empty.txt"))
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func helpTeachesWithExamples() throws {
        for command in ["audit", "scan", "check", "inventory", "import"] {
            let result = try Binary.run([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("Examples:"), "\(command) --help has no examples")
        }
    }
}
