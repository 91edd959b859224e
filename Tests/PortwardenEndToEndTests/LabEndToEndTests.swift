import Foundation
import PortwardenTestSupport
import Testing

/// The whole story in the enforcement lab (scripts/lab): generate, apply in the router, test
/// segmentation from every zone, verify, break it by hand, see it caught — with the built binary,
/// in namespaces the test creates (unique names) and removes.
@Suite("the enforcement lab, end to end", .serialized)
struct LabEndToEndTests {
    static let script = CommandLineTests.repositoryRoot.appendingPathComponent("scripts/lab").path
    static let policy = CommandLineTests.example("lab/policy.yaml")
    static let ports = "1-1024,2323,5432,8443"
    static let day = "2026-12-01"

    static var unavailable: String? {
        EnforceEndToEndTests.unavailable
            ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? nil : "/usr/bin/python3 is missing")
    }

    /// A lab that removes itself.
    final class Lab {
        let prefix = "pwt-lab\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"

        init() throws {
            let result = try Shell.run(
                ["env", "LAB_PREFIX=\(prefix)", LabEndToEndTests.script, "up"], allowFailure: true)
            guard result.status == 0 else {
                down()
                throw SetupError(message: "scripts/lab up failed: \(result.stderr)")
            }
        }

        deinit { down() }

        func down() {
            _ = try? Shell.run(["env", "LAB_PREFIX=\(prefix)", LabEndToEndTests.script, "down"], allowFailure: true)
        }

        func namespace(_ zone: String) -> String { "\(prefix)-\(zone)" }

        /// Runs `portwarden ARGS` inside one of the lab's namespaces.
        func portwarden(in zone: String, _ arguments: [String]) throws -> Shell.Result {
            try Shell.run(["ip", "netns", "exec", namespace(zone), try Binary.path()] + arguments, allowFailure: true)
        }

        func nft(_ arguments: String...) throws -> Shell.Result {
            try Shell.run(["ip", "netns", "exec", namespace("router"), "nft"] + arguments)
        }
    }

    struct Evidence: Decodable {
        struct Run: Decodable {
            var host: String
            var transport: String
            var ports: String
            var verdict: String
            var flow: String?
        }
        struct Row: Decodable {
            var breaches: Int
            var blocked: Int
        }
        var results: [Run]
        var matrix: [Row]
        var next_test_due: String
        var vantage: [String: String]
    }

    /// What must connect from each zone after apply (every other probe must be filtered).
    static let connects: [String: Set<String>] = [
        "corp": ["10.90.4.10 tcp 80"],
        "cde-app": ["10.90.3.10 tcp 2323", "10.90.3.10 tcp 5432", "10.90.4.10 udp 514"],
        "cde-db": ["10.90.4.10 udp 514"],
        "dmz": ["10.90.2.10 tcp 8443"],
        "wireless": [],
    ]

    @Test(.enabled(if: unavailable == nil, "needs root, ip, nft, /usr/bin/python3 and the built binary"))
    func generateApplyTestBreakAndCatch() throws {
        let kernelLog = KernelLogLock.hold()
        defer { kernelLog.release() }
        let lab = try Lab()
        defer { lab.down() }
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let generated = try Binary.run(["enforce", "nft", "--policy", Self.policy, "--router", "--at", Self.day])
        #expect(generated.status == 0, "\(generated.stderr)")
        let rulesetPath = try scratch.write("router.nft", generated.stdout)
        let applied = try lab.portwarden(
            in: "router", ["enforce", "apply", rulesetPath, "--state-dir", scratch.path("state")] + db)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stderr.contains("ruleset load 1 (applied"), "\(applied.stderr)")
        // The load changed the segmentation controls: every zone must be tested (again).
        let dueBefore = try Binary.run(["segment-test", "--due", "--policy", Self.policy] + db)
        #expect(dueBefore.status == 1, "\(dueBefore.stdout)\(dueBefore.stderr)")
        #expect(dueBefore.stdout.contains("corp: never tested; due now"), "\(dueBefore.stdout)")

        for (zone, expected) in Self.connects.sorted(by: { $0.key < $1.key }) {
            let evidencePath = scratch.path("\(zone).json")
            let run = try lab.portwarden(
                in: zone,
                [
                    "segment-test", "--policy", Self.policy, "--from-zone", zone, "--all-zones", "--ports", Self.ports,
                    "--udp-ports", "53,514", "--at", Self.day, "--profile", "fast", "--evidence", evidencePath,
                    "--format", "json", "--tester-name", "Lab Test",
                ] + db)
            #expect(run.status == 0, "\(zone): \(run.stdout)\(run.stderr)")
            let evidence = try JSONDecoder().decode(
                Evidence.self, from: Data(contentsOf: URL(fileURLWithPath: evidencePath)))
            let connected = Set(
                evidence.results.filter { $0.verdict == "connected" }.map { "\($0.host) \($0.transport) \($0.ports)" })
            #expect(connected == expected, "\(zone)")
            let others = evidence.results.filter { $0.verdict != "connected" }
            #expect(
                others.allSatisfy { ["filtered", "silent"].contains($0.verdict) },
                "\(zone): \(others.filter { !["filtered", "silent"].contains($0.verdict) })")
            #expect(evidence.matrix.allSatisfy { $0.breaches == 0 && $0.blocked == 0 })
            #expect(evidence.vantage["zone"] == zone)
            #expect(evidence.vantage["source_address"]?.hasPrefix("10.90.") == true)
            #expect(evidence.next_test_due == "2027-12-01" || evidence.next_test_due.hasPrefix("2027-"))
        }

        // Every zone tested after the load: nothing is due until the periodic date.
        let dueAfter = try Binary.run(["segment-test", "--due", "--policy", Self.policy] + db)
        #expect(dueAfter.status == 0, "\(dueAfter.stdout)\(dueAfter.stderr)")
        #expect(dueAfter.stdout.contains("corp: last test"), "\(dueAfter.stdout)")
        #expect(dueAfter.stdout.contains("next due by 20"), "\(dueAfter.stdout)")
        #expect(dueAfter.stdout.contains("tester Lab Test"), "\(dueAfter.stdout)")

        let clean = try lab.portwarden(in: "router", ["enforce", "verify", "--policy", Self.policy, "--at", Self.day])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stderr.contains(", 0 findings"), "\(clean.stderr)")

        // Break it by hand: ssh into the card vault from anywhere.
        let inserted = try lab.nft(
            "--echo", "--handle", "insert", "rule", "inet", "portwarden", "into_cde_db", "tcp", "dport", "22", "accept")
        let handle = try #require(KernelHandle.parse(inserted.stdout), "\(inserted.stdout)")
        let caught = try lab.portwarden(
            in: "router", ["enforce", "verify", "--policy", Self.policy, "--at", Self.day, "--format", "json"])
        #expect(caught.status == 1, "\(caught.stderr)")
        let subject = "\"subject\":\"inet portwarden into_cde_db handle \(handle)\""
        #expect(
            caught.stdout.contains("\"rule\":\"PW-OVER-PERMISSIVE-RULE\"") && caught.stdout.contains(subject),
            "\(caught.stdout)")
        #expect(caught.stdout.contains("\"rule\":\"PW-CONFIG-DRIFT\""))

        let breach = try lab.portwarden(
            in: "corp",
            [
                "segment-test", "--policy", Self.policy, "--from-zone", "corp", "--ports", "22,5432", "--udp-ports",
                "none",
                "--at", Self.day, "--profile", "fast", "--evidence", scratch.path("corp-breach.json"), "--format",
                "json",
            ] + db)
        #expect(breach.status == 1, "\(breach.stderr)")
        let lines = breach.stdout.split(separator: "\n").filter { $0.contains("PW-SEGMENTATION-BREACH") }
        #expect(lines.count == 1, "\(breach.stdout)")
        #expect(lines.first?.contains("\"host\":\"10.90.3.10\"") == true)
        #expect(lines.first?.contains("\"port\":22") == true)
        #expect(lines.first?.contains("\"requirements\":[\"1.3.1\",\"12.5.2\"]") == true, "\(lines)")
        #expect(lines.first?.contains("11.4.5") == false)

        // The store holds every test, the breach included, with the negative results, as verified records.
        let stored = try Shell.run([
            "sqlite3", scratch.path("store/portwarden.sqlite"),
            "SELECT vantage, breaches, tester_name, instr(evidence, '\"verdict\" : \"filtered\"') > 0 "
                + "FROM segmentation_tests ORDER BY id",
        ])
        let rows = stored.stdout.split(separator: "\n")
        #expect(rows.count == Self.connects.count + 1, "\(stored.stdout)")
        #expect(rows.last == "corp|1||1", "\(stored.stdout)")
        #expect(rows.first?.hasSuffix("|0|Lab Test|1") == true, "\(stored.stdout)")
        let verified = try Binary.run(["log", "verify"] + db)
        #expect(verified.status == 0 && verified.stdout.hasPrefix("ok:"), "\(verified.stdout)")

        // An exception that expires disappears from the regenerated ruleset; loading that ruleset is a
        // segmentation change, after which the test is due at once.
        let later = try Binary.run(["enforce", "nft", "--policy", Self.policy, "--router", "--at", "2027-01-01"])
        #expect(generated.stdout.contains("exception EX-1"))
        #expect(!later.stdout.contains("exception EX-1"))
        let laterPath = try scratch.write("router-2027.nft", later.stdout)
        let reloaded = try lab.portwarden(
            in: "router", ["enforce", "apply", laterPath, "--state-dir", scratch.path("state")] + db)
        #expect(reloaded.status == 0, "\(reloaded.stderr)")
        #expect(reloaded.stderr.contains("a segmentation change"), "\(reloaded.stderr)")
        let dueAgain = try Binary.run(["segment-test", "--due", "--policy", Self.policy, "--format", "json"] + db)
        #expect(dueAgain.status == 1, "\(dueAgain.stdout)\(dueAgain.stderr)")
        let overdue = dueAgain.stdout.split(separator: "\n").filter { $0.contains("PW-SEGMENTATION-TEST-OVERDUE") }
        #expect(overdue.count == Self.connects.count, "\(dueAgain.stdout)")
        #expect(overdue.allSatisfy { $0.contains("segmentation change") && $0.contains("\"11.4.5\"") })
    }
}

/// The handle in `nft --echo --handle` output: `insert rule … accept # handle 31`.
enum KernelHandle {
    static func parse(_ output: String) -> Int? {
        guard let range = output.range(of: "# handle ") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }
}
