import Foundation
import PortwardenCore
import PortwardenStore
import Testing

extension Conformance {
    /// An alert committed twice is one row with the summed count and the later last-seen; usage deltas add
    /// up with bounded sources; an offset is replaced, not appended; the chain verifies.
    static func monitorBatchesMergeByFingerprint(_ store: any EvidenceStore) throws {
        let finding = Finding(
            rule: "PW-SOURCE-NOT-PERMITTED", severity: .critical, requirements: [Requirement("1.3.1")],
            zone: "cde-db", host: IPAddress("10.20.1.10"), transport: .tcp, port: 5432,
            message: "not permitted", remediation: "block it")
        let day0 = Scans.day(0)
        let day1 = Scans.day(1)
        func usage(_ hits: Int64, _ sources: [String], at date: Date) -> ServiceUsageRecord {
            ServiceUsageRecord(
                kind: .service, id: "pg-primary", hits: hits, firstSeen: StoreClock.micros(date),
                lastSeen: StoreClock.micros(date), sources: sources, moreSources: false)
        }
        func offset(_ bytes: Int64, line: Int64) -> LogOffset {
            LogOffset(
                input: "/var/log/kern.log", format: "netfilter", device: 2049, inode: 77, headLength: 64,
                headSHA256: "ab", byteOffset: bytes, line: line, flows: line)
        }
        let first = try store.commit(
            MonitorBatch(
                alerts: [StoredAlert(finding: finding, input: "kern.log", firstSeen: day0, lastSeen: day0, count: 1)],
                usage: [usage(3, ["10.0.0.5", "10.0.0.6"], at: day0)], offsets: [offset(100, line: 3)]),
            at: day0)
        #expect(first.newAlerts == 1)
        let many = (0..<70).map { "10.1.0.\($0)" }
        let second = try store.commit(
            MonitorBatch(
                alerts: [StoredAlert(finding: finding, input: "kern.log", firstSeen: day1, lastSeen: day1, count: 4)],
                usage: [usage(70, many, at: day1)], offsets: [offset(900, line: 73)]),
            at: day1)
        #expect(second.repeatedAlerts == 1)
        #expect(second.newAlerts == 0)
        let alerts = try store.alerts()
        #expect(alerts.count == 1)
        #expect(alerts.first?.count == 5)
        #expect(alerts.first?.firstSeen == StoreClock.micros(day0))
        #expect(alerts.first?.lastSeen == StoreClock.micros(day1))
        #expect(alerts.first?.requirements == ["1.3.1"])
        let used = try #require(try store.serviceUsage().first)
        #expect(used.hits == 73)
        #expect(used.firstSeen == StoreClock.micros(day0))
        #expect(used.lastSeen == StoreClock.micros(day1))
        #expect(used.sources.count == ServiceUsageRecord.sourceLimit)
        #expect(used.moreSources)
        let offsets = try store.logOffsets()
        #expect(offsets.count == 1)
        #expect(offsets.first?.byteOffset == 900)
        #expect(offsets.first?.line == 73)
        #expect(try store.logOffset(input: "/var/log/kern.log")?.inode == 77)
        #expect(try ChainVerifier(store: store).verify().isIntact)
    }
}
