import Foundation
import PortwardenTestSupport
import Testing

/// `portwarden ingest` through the built binary: alerts, exit codes and located errors.
@Suite("portwarden ingest, end to end", .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"))
struct IngestEndToEndTests {
    static let policy = """
        version: 1
        zones:
          - id: cde-db
            kind: cde
            prefixes: [10.20.1.0/24]
            owner: payments
          - id: cde-app
            kind: cde
            prefixes: [10.20.2.0/24]
            owner: payments
          - id: corp
            kind: out-of-scope
            prefixes: [10.0.0.0/16]
            owner: it
        services:
          - id: pg
            zone: cde-db
            hosts: [10.20.1.10]
            ports: [tcp/5432]
            allow-from: [cde-app]
            justification: Card vault
            owner: payments
            approved-by: ciso
            approved-on: 2026-09-01
            ticket: CHG-1
        """

    static let log = """
        Nov 29 03:04:13 fw1 kernel: PW-ACCEPT cde-db IN=eth0 OUT= SRC=10.20.2.7 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40000 DPT=5432 SYN
        Nov 29 03:04:14 fw1 kernel: PW-ACCEPT cde-db IN=eth0 OUT= SRC=10.0.3.3 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40001 DPT=5432 SYN
        Nov 29 03:04:15 fw1 kernel: PW-DROP cde-db IN=eth0 OUT= SRC=10.0.3.3 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40002 DPT=23 SYN
        Nov 29 03:04:16 fw1 kernel: PW-DROP cde-db IN=eth0 OUT= SRC=10.0.3 DST=10.20.1.10 LEN=60 PROTO=TCP SPT=40002 DPT=23 SYN

        """

    @Test("a source the allow-from does not permit is a critical alert tagged by zone pair; a broken line is located")
    func alertsAndLocations() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write("policy.yaml", Self.policy)
        let log = try scratch.write("fw.log", Self.log)
        let result = try Binary.run([
            "ingest", "--policy", policy, "--format", "netfilter", log, "--output", "json", "--at",
            "2026-12-01T00:00:00Z",
        ])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let alerts = result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(alerts.count == 1, "\(result.stdout)")
        #expect(alerts.first?["rule"] as? String == "PW-SOURCE-NOT-PERMITTED")
        #expect(alerts.first?["severity"] as? String == "critical")
        #expect(alerts.first?["requirements"] as? [String] == ["1.2.5", "1.3.1", "12.5.2"])
        #expect(result.stderr.contains("\(log):4:57: error: SRC= is not an address"), "\(result.stderr)")
        #expect(result.stderr.contains("1 broken line skipped"))
    }

    @Test("a log that yields no event is an input error, not a quiet success")
    func nothingUsable() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write("policy.yaml", Self.policy)
        let log = try scratch.write("garbage.log", "<?xml version=\"1.0\"?>\n<nmaprun>\n")
        let result = try Binary.run(["ingest", "--policy", policy, "--format", "zeek", log])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("no zeek event"))
        let missing = try Binary.run(["ingest", "--policy", policy, "--format", "zeek", scratch.url.path + "/nope.log"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"))
    }

    @Test("standard input, text output, nothing at or above --fail-on exits 0")
    func stdinText() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write("policy.yaml", Self.policy)
        let line = String(Self.log.split(separator: "\n")[0]) + "\n"
        let result = try Binary.run(
            ["ingest", "--policy", policy, "--format", "netfilter", "-", "--at", "2026-12-01T00:00:00Z"], input: line)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("1 line read: 1 flow"))
    }
}
