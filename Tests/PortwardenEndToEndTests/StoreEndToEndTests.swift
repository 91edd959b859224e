import Foundation
import PortwardenTestSupport
import Testing

/// The store commands as a user runs them: init, recording a check, the exception lifecycle, policy apply,
/// log verify before and after tampering, export-key, retention.
@Suite(.enabled(if: Binary.unavailableReason == nil, "\(Binary.unavailableReason ?? "")"))
struct StoreEndToEndTests {
    @Test func storeCommandsWorkTogether() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        let created = try Binary.run(["init"] + db)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created"))
        #expect(try Binary.run(["init"] + db).stdout.contains("already initialised"))

        let key = try Binary.run(["log", "export-key"] + db)
        #expect(key.stdout.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let keyFile = try scratch.write("key.pem", key.stdout)

        let policy = try scratch.write(
            "policy.yaml",
            """
            version: 1
            organization: Test
            zones:
              - id: cde-db
                kind: cde
                prefixes: [10.20.1.0/24]
                owner: payments
            services: []
            """)
        let observations = try scratch.write(
            "obs.jsonl",
            #"{"time":"2026-11-29T10:00:00Z","host":"10.20.1.12","transport":"tcp","port":23,"state":"open","reason":"syn-ack","source":"scan","vantage":"corp","service":"telnet","tls":null,"process":null}"#
                + "\n")
        let check = try Binary.run(["check", "--policy", policy, "--observations", observations] + db)
        #expect(check.stderr.contains("recorded in"), "\(check.stderr)")
        let listed = try Binary.run(["findings", "list"] + db)
        #expect(listed.stdout.contains("PW-UNAUTHORIZED-PORT"), "\(listed.stdout)")
        let noStore = try Binary.run(["check", "--policy", policy, "--observations", observations, "--no-store"] + db)
        #expect(!noStore.stderr.contains("recorded in"))

        let request = try Binary.run(
            [
                "exception", "request", "EX-7", "--zone", "cde-db", "--host", "10.20.1.12", "--port", "tcp/23",
                "--justification", "HSM console", "--by", "alice", "--expires", "2099-12-31",
            ] + db)
        #expect(request.status == 0, "\(request.stderr)")
        let selfApproval = try Binary.run(["exception", "approve", "EX-7", "--by", "alice", "--on", "2026-12-01"] + db)
        #expect(selfApproval.status == 2)
        #expect(selfApproval.stderr.contains("cannot approve"))
        #expect(try Binary.run(["exception", "approve", "EX-7", "--by", "bob", "--on", "2026-12-01"] + db).status == 0)
        #expect(try Binary.run(["exception", "list"] + db).stdout.contains("EX-7  approved"))

        let apply = try Binary.run(["policy", "apply", policy, "--change", "CHG-1", "--reason", "initial"] + db)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("recorded with change CHG-1"))

        let verified = try Binary.run(["log", "verify", "--key", keyFile] + db)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("ok:"))
        let report = try Binary.run(["retention", "report"] + db)
        #expect(report.status == 0, "\(report.stdout)\(report.stderr)")
        #expect(report.stdout.contains("chain: verifies"))
        #expect(try Binary.run(["retention", "run", "--hot-days", "30"] + db).status == 2)

        let history = try Binary.run(["history", "tcp/23", "--host", "10.20.1.12"] + db)
        #expect(history.stdout.contains("never seen open") || history.stdout.contains("last open"))

        // Tampering with the database is found and located.
        _ = try Shell.run(
            ["sqlite3", scratch.path("store/portwarden.sqlite"), "UPDATE exceptions SET approved_by = 'alice'"],
            allowFailure: false)
        let tampered = try Binary.run(["log", "verify"] + db)
        #expect(tampered.status == 1)
        #expect(
            tampered.stdout.contains("exceptions row 1: row-changed: approved_by is \"alice\", recorded \"bob\""),
            "\(tampered.stdout)")
    }

    @Test func missingStoreIsAnInputError() throws {
        let scratch = try ScratchDirectory()
        let result = try Binary.run(["log", "verify", "--db", scratch.path("none")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("portwarden init"))
    }
}
