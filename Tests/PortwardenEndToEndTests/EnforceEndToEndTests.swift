import Foundation
import PortwardenTestSupport
import Testing

/// `portwarden enforce nft | apply | verify` with the built binary, loading rulesets only inside
/// network namespaces the tests create (outside one, nft would change this machine's ruleset).
@Suite("portwarden enforce, end to end", .serialized)
struct EnforceEndToEndTests {
    static let labPolicy = CommandLineTests.example("lab/policy.yaml")

    static var unavailable: String? {
        Binary.unavailableReason ?? NetworkNamespace.unavailableReason
            ?? (Shell.which("nft") == nil ? "nft (nftables) is not installed" : nil)
    }

    @Test(.enabled(if: Binary.unavailableReason == nil, "needs the built binary"))
    func generationIsDeterministicAndRefusesAHostInNoZone() throws {
        let a = try Binary.run(["enforce", "nft", "--policy", Self.labPolicy, "--router", "--at", "2026-12-01"])
        let b = try Binary.run([
            "enforce", "nft", "--policy", Self.labPolicy, "--router", "--at", "2026-12-01T12:00:00Z",
        ])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.contains("exception EX-1 expires 2026-12-31"))
        let later = try Binary.run(["enforce", "nft", "--policy", Self.labPolicy, "--router", "--at", "2027-01-01"])
        #expect(!later.stdout.contains("EX-1 expires"))
        #expect(later.stderr.contains("exception EX-1 expired on 2026-12-31; left out"))
        let stray = try Binary.run(["enforce", "nft", "--policy", Self.labPolicy, "--host", "192.0.2.7"])
        #expect(stray.status == 2)
        #expect(stray.stderr.contains("192.0.2.7 is in no zone of the policy"))
    }

    @Test(.enabled(if: Binary.unavailableReason == nil, "needs the built binary"))
    func verifyOfBrokenJSONIsALocatedInputError() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("ruleset.json", "{\"nftables\": [\n {\"table\": }\n]}")
        let result = try Binary.run(["enforce", "verify", "--policy", Self.labPolicy, "--ruleset", path, "--router"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("ruleset.json:2:12: error: not JSON"), "\(result.stderr)")
    }

    @Test(.enabled(if: unavailable == nil, "needs root, ip, nft and the built binary"))
    func applyLoadsBacksUpAndKeepsThePreviousRulesetWhenALoadFails() throws {
        let namespace = try NetworkNamespace(prefix: "apply")
        defer { namespace.remove() }
        let scratch = try ScratchDirectory()
        let state = scratch.path("state")
        let now = try Binary.run(["enforce", "nft", "--policy", Self.labPolicy, "--router", "--at", "2026-12-01"])
        let current = try scratch.write("router.nft", now.stdout)
        let loaded = try Binary.run(
            in: namespace, ["enforce", "apply", current, "--state-dir", state, "--change", "CHG-1"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(try namespace.run("nft", "list", "table", "inet", "portwarden").stdout.contains("EX-1"))
        let changes = try String(contentsOfFile: state + "/changes.jsonl", encoding: .utf8)
        #expect(changes.contains("\"change\":\"CHG-1\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: state).contains { $0.hasPrefix("backup-") })

        // The next version, after the exception expired: the dry run shows the removal, loads nothing.
        let next = try Binary.run(["enforce", "nft", "--policy", Self.labPolicy, "--router", "--at", "2027-01-01"])
        let nextPath = try scratch.write("router-2027.nft", next.stdout)
        let dry = try Binary.run(in: namespace, ["enforce", "apply", nextPath, "--dry-run", "--state-dir", state])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("-\t\tip saddr @zone_cde_app_v4 ip daddr 10.90.3.10 tcp dport 2323"))
        #expect(try namespace.run("nft", "list", "table", "inet", "portwarden").stdout.contains("EX-1"))

        // A ruleset the kernel refuses (a jump to a chain that does not exist): nothing changes.
        let broken = try scratch.write(
            "broken.nft", next.stdout.replacingOccurrences(of: "jump into_cde_db", with: "jump into_nowhere"))
        let failed = try Binary.run(in: namespace, ["enforce", "apply", broken, "--state-dir", state])
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(failed.stderr.contains("nothing was changed"))
        let after = try namespace.run("nft", "list", "table", "inet", "portwarden").stdout
        #expect(after.contains("EX-1"))
        #expect(after.contains("jump into_cde_db"))

        // What was loaded verifies clean against the policy at the same moment.
        let verify = try Binary.run(
            in: namespace, ["enforce", "verify", "--policy", Self.labPolicy, "--at", "2026-12-01"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("0 findings"), "\(verify.stderr)")
    }

    @Test(.enabled(if: unavailable == nil, "needs root, ip, nft and the built binary"))
    func applyRecordsEachLoadInTheStore() throws {
        let namespace = try NetworkNamespace(prefix: "applydb")
        defer { namespace.remove() }
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let state = ["--state-dir", scratch.path("state")]
        let now = try Binary.run(["enforce", "nft", "--policy", Self.labPolicy, "--router", "--at", "2026-12-01"])
        let current = try scratch.write("router.nft", now.stdout)
        let first = try Binary.run(
            in: namespace, ["enforce", "apply", current, "--change", "CHG-1", "--reason", "initial"] + state + db)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("ruleset load 1 (applied, +"), "\(first.stderr)")
        #expect(first.stderr.contains("a segmentation change"), "\(first.stderr)")
        // The same file again changes nothing that segments.
        let again = try Binary.run(in: namespace, ["enforce", "apply", current] + state + db)
        #expect(again.stderr.contains("ruleset load 2 (applied, +0 -0 lines)"), "\(again.stderr)")
        #expect(!again.stderr.contains("segmentation change"), "\(again.stderr)")
        let next = try Binary.run(["enforce", "nft", "--policy", Self.labPolicy, "--router", "--at", "2027-01-01"])
        let nextPath = try scratch.write("router-2027.nft", next.stdout)
        let changed = try Binary.run(in: namespace, ["enforce", "apply", nextPath, "--change", "CHG-2"] + state + db)
        #expect(changed.stderr.contains("ruleset load 3 (applied, +"), "\(changed.stderr)")
        #expect(changed.stderr.contains("a segmentation change"), "\(changed.stderr)")
        // A file nft -c refuses never reaches the kernel and is not a load.
        let broken = try scratch.write(
            "broken.nft", next.stdout.replacingOccurrences(of: "jump into_cde_db", with: "jump into_nowhere"))
        #expect(try Binary.run(in: namespace, ["enforce", "apply", broken] + state + db).status == 2)

        let rows = try Shell.run([
            "sqlite3", scratch.path("store/portwarden.sqlite"),
            "SELECT id, outcome, previous_sha256 IS NULL, previous_sha256 = (SELECT new_sha256 FROM ruleset_loads "
                + "WHERE id = 1), segmentation_change, change_id, operator != '', length(diff) > 0 "
                + "FROM ruleset_loads ORDER BY id",
        ]).stdout
        #expect(rows == "1|applied|1||1|CHG-1|1|1\n2|applied|0|1|0||1|0\n3|applied|0|1|1|CHG-2|1|1\n", "\(rows)")
        let changes = try Shell.run([
            "sqlite3", scratch.path("store/portwarden.sqlite"),
            "SELECT kind, change_id, instr(description, 'sha256:') > 0 FROM change_records ORDER BY id",
        ]).stdout
        #expect(changes == "enforce|CHG-1|1\nenforce||1\nenforce|CHG-2|1\n", "\(changes)")
        let verified = try Binary.run(["log", "verify"] + db)
        #expect(verified.status == 0 && verified.stdout.hasPrefix("ok:"), "\(verified.stdout)")
        let due = try Binary.run(["segment-test", "--due"] + db)
        #expect(due.stdout.contains("no segmentation test recorded"), "\(due.stdout)")
        #expect(due.status == 1)

        // A host's ruleset, then the history: every load with its target, change record and segmentation facts.
        let host = try Binary.run([
            "enforce", "nft", "--policy", Self.labPolicy, "--host", "10.90.3.10", "--at", "2026-12-01",
        ])
        let hostPath = try scratch.write("cde-db.nft", host.stdout)
        let hostLoad = try Binary.run(in: namespace, ["enforce", "apply", hostPath, "--change", "CHG-3"] + state + db)
        #expect(hostLoad.stderr.contains("ruleset load 4 (applied, +"), "\(hostLoad.stderr)")
        let history = try Binary.run(["enforce", "history"] + db)
        #expect(history.status == 0, "\(history.stderr)")
        let text = history.stdout
        for id in 1...4 { #expect(text.contains("ruleset load \(id) at "), "\(text)") }
        // Load 3's diff leaves the marker out: its target is the one of the file it replaced.
        #expect(text.components(separatedBy: "target:       router\n").count == 4, "\(text)")
        #expect(text.contains("target:       host 10.90.3.10\n"), "\(text)")
        #expect(text.contains("change:       CHG-1 (record "), "\(text)")
        #expect(text.contains("reason:          initial\n"), "\(text)")
        #expect(text.contains("back-out:        nft -f \(scratch.path("state"))/backup-"), "\(text)")
        #expect(text.contains("previous:     none recorded (first load)"), "\(text)")
        #expect(text.contains("no change (the same file as the last one applied)"), "\(text)")
        #expect(
            text.components(separatedBy: "changed a segmentation control").count == 4
                && text.contains("no segmentation test recorded since"), "\(text)")
        let json = try Binary.run(["enforce", "history", "--host", "10.90.3.10", "--format", "json"] + db)
        let lines = json.stdout.split(separator: "\n")
        #expect(json.status == 0 && lines.count == 1, "\(json.stdout)\(json.stderr)")
        #expect(lines.first?.contains(#""id":4,"#) == true, "\(json.stdout)")
        #expect(lines.first?.contains(#""target":"host 10.90.3.10""#) == true, "\(json.stdout)")
        #expect(lines.first?.contains(#""segmentation_change":true"#) == true, "\(json.stdout)")
        #expect(lines.first?.contains(#""change_id":"CHG-3""#) == true, "\(json.stdout)")
        let routers = try Binary.run(["enforce", "history", "--router", "--format", "json"] + db)
        #expect(routers.stdout.split(separator: "\n").count == 3, "\(routers.stdout)")
        let later = try Binary.run(["enforce", "history", "--since", "2999-01-01"] + db)
        #expect(later.status == 0 && later.stdout.contains("no ruleset loads match (4 recorded in "), "\(later.stdout)")
    }

    @Test(.enabled(if: Binary.unavailableReason == nil, "needs the built binary"))
    func historyOfAnEmptyStoreAndBadInput() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        let missing = try Binary.run(["enforce", "history"] + db)
        #expect(missing.status == 2, "no store is an input error: \(missing.stderr)")
        #expect(try Binary.run(["init"] + db).status == 0)
        let empty = try Binary.run(["enforce", "history"] + db)
        #expect(empty.status == 0 && empty.stdout.hasPrefix("no ruleset loads recorded in "), "\(empty.stdout)")
        #expect(try Binary.run(["enforce", "history", "--format", "json"] + db).stdout.isEmpty)
        let since = try Binary.run(["enforce", "history", "--since", "yesterday"] + db)
        #expect(
            since.status == 2 && since.stderr.contains("--since \"yesterday\" is not an RFC 3339"), "\(since.stderr)")
        let both = try Binary.run(["enforce", "history", "--router", "--host", "10.0.0.1"] + db)
        #expect(both.status == 2, "\(both.stderr)")
    }
}
