import Foundation
import PortwardenTestSupport
import Testing

/// `portwarden review daily`: the 10.4.1 summary of a day from what ingest kept, acknowledged once.
@Suite(
    "portwarden review daily, end to end", .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"))
struct ReviewDailyEndToEndTests {
    @Test("the day's alerts, usage and inputs; the acknowledgement is recorded once and shown after")
    func summaryAndAcknowledgement() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write(
            "fw.log", IngestStoreEndToEndTests.permitted(1) + IngestStoreEndToEndTests.notPermitted)
        _ = try Binary.run(
            ["ingest", "--policy", policy, "--format", "netfilter", log, "--at", "2026-12-01T00:00:00Z"] + db)

        let review = ["review", "daily", "--date", "2026-11-29", "--policy", policy] + db
        let shown = try Binary.run(review)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Daily log review of 2026-11-29 (UTC), PCI DSS 10.4.1"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Alerts seen this day: 1 (1 critical); new this day: 1"))
        #expect(
            shown.stdout.contains("critical PW-SOURCE-NOT-PERMITTED [1.2.5, 1.3.1, 12.5.2] cde-db 10.20.1.10 tcp/5432"))
        #expect(shown.stdout.contains("service pg: last seen 2026-11-29T03:04:13Z, 1 hits"))
        #expect(shown.stdout.contains("Declared but not seen in traffic this day (1.2.7 review candidates): none"))
        #expect(shown.stdout.contains("\(log) (netfilter): line 2, 2 flows"))
        #expect(shown.stdout.contains("Not acknowledged yet"))

        let other = try Binary.run(["review", "daily", "--date", "2026-11-30"] + db)
        #expect(other.stdout.contains("Alerts seen this day: 0; new this day: 0"), "\(other.stdout)")
        #expect(other.stdout.contains("Declared services and exceptions used this day: 0"))

        let ack = try Binary.run(review + ["--ack", "--by", "alice", "--note", "escalated as INC-7"])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(ack.stdout.contains("Acknowledged by alice"))
        let again = try Binary.run(review + ["--ack", "--by", "bob"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("was acknowledged by alice"), "\(again.stderr)")
        let after = try Binary.run(review)
        #expect(after.stdout.contains("Acknowledged by alice at"), "\(after.stdout)")
        #expect(after.stdout.contains(": escalated as INC-7"))
        #expect(try Binary.run(["review", "daily", "--ack"] + db).status == 2, "--ack needs --by")
        // The 1.2.7 worksheet shows the same usage as each service's last seen traffic.
        #expect(try Binary.run(["review", "start", "--zone", "cde-db", "--reviewer", "alice"] + db).status == 0)
        #expect(try Binary.run(["review", "decide", "1", "--service", "pg", "--decision", "keep"] + db).status == 0)
        let worksheet = try Binary.run(["review", "show", "1"] + db)
        #expect(
            worksheet.stdout.contains(
                "last seen traffic: 2026-11-29T03:04:13Z (1 hits since 2026-11-29T03:04:13Z, 1 sources)"),
            "\(worksheet.stdout)")
        #expect(try Binary.run(["log", "verify"] + db).status == 0)
    }
}
