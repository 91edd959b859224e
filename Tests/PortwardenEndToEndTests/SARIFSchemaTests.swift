import Foundation
import PortwardenTestSupport
import Testing

/// A SARIF log written by `check` validates against the SARIF 2.1.0 JSON schema
/// (`docs/schemas/sarif-schema-2.1.0.json`, checked by `scripts/validate-sarif.py` with Python's
/// jsonschema, run as a non-root user).
@Suite("SARIF output against the SARIF 2.1.0 schema")
struct SARIFSchemaTests {
    static let python = "/usr/bin/python3"
    static let validator = CommandLineTests.repositoryRoot.appendingPathComponent("scripts/validate-sarif.py").path

    /// The command prefix that drops root before running Python (the charter runs Python as a
    /// non-root user); empty when the tests already run unprivileged.
    static var unprivileged: [String] {
        getuid() == 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    }

    /// Why the schema check cannot run here, or `nil`.
    static var unavailableReason: String? {
        if let reason = Binary.unavailableReason { return reason }
        guard FileManager.default.isExecutableFile(atPath: python) else { return "needs \(python)" }
        let probe = try? Shell.run(unprivileged + [python, "-c", "import jsonschema"], allowFailure: true)
        guard probe?.status == 0 else {
            return "needs the python jsonschema package for \(python) (apt-get install -y python3-jsonschema)"
        }
        return nil
    }

    static func validate(_ path: String) throws -> Shell.Result {
        try Shell.run(unprivileged + [python, validator, path], allowFailure: true)
    }

    @Test(.runnable(unless: unavailableReason)) func checkWritesValidSARIF() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write("policy.yaml", AuditEndToEndTests.policy)
        let observations = try scratch.write(
            "obs.jsonl",
            """
            {"time":"2026-11-29T10:00:00Z","host":"127.0.0.1","transport":"tcp","port":20080,"state":"open","reason":"syn-ack","source":"scan","vantage":"local"}
            {"time":"2026-11-29T10:00:00Z","host":"127.0.0.1","transport":"tcp","port":23,"state":"open","reason":"syn-ack","source":"scan","vantage":"local"}

            """)
        let result = try Binary.run([
            "check", "--policy", policy, "--observations", observations, "--format", "sarif", "--fail-on", "critical",
            "--at", "2026-11-29T12:00:00Z",
        ])
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        let log = try scratch.write("check.sarif", result.stdout)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        #expect(((run["results"] as? [Any])?.count ?? 0) >= 2, "the log has results to validate")
        let validation = try Self.validate(log)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
    }

    /// `policy lint --format sarif` writes SARIF too: a log with results validates.
    @Test(.runnable(unless: unavailableReason)) func policyLintWritesValidSARIF() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write(
            "broken.yaml",
            """
            version: 1
            zones:
              - id: cde-db
                kind: cde
                prefixes: [10.20.1.0/33]
            """)
        let result = try Binary.run(["policy", "lint", policy, "--format", "sarif"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("\"results\":[{"), "the log has results to validate")
        let validation = try Self.validate(try scratch.write("lint.sarif", result.stdout))
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
    }

    /// The validator is no rubber stamp: a log that breaks the schema is rejected.
    @Test(.runnable(unless: unavailableReason)) func theValidatorRejectsAnInvalidLog() throws {
        let scratch = try ScratchDirectory()
        let broken = try scratch.write(
            "broken.sarif",
            #"{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"fatal","message":{"text":"x"}}]}]}"#
        )
        let validation = try Self.validate(broken)
        #expect(validation.status == 1)
        #expect(validation.stderr.contains("'name' is a required property"), "\(validation.stderr)")
        #expect(validation.stderr.contains("'fatal' is not one of"), "\(validation.stderr)")
    }
}
