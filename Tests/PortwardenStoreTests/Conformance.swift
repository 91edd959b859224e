import Foundation
import PortwardenCore
import PortwardenStore
import Testing

/// The checks every backend must pass; `SQLiteConformanceTests` and `PostgresConformanceTests` run each one.
enum Conformance {
    static func initialisedStoreVerifies(_ store: any EvidenceStore) throws {
        let report = try ChainVerifier(store: store).verify()
        #expect(report.isIntact, "\(report.issues)")
        #expect(report.records == 1)
        #expect(try store.publicKey().count == 32)
    }

    static func portStateIsKeptAsIntervals(_ store: any EvidenceStore) throws {
        let host = IPAddress("10.20.1.12")!
        try store.record(Scans.tcp("10.20.1.12", open: [22, 23], on: Scans.day(0)))
        let second = try store.record(Scans.tcp("10.20.1.12", open: [22], on: Scans.day(1), vantage: "corp"))
        let third = try store.record(Scans.tcp("10.20.1.12", open: [22], on: Scans.day(2)))
        // The same state again only moves last_seen: no new rows.
        #expect(third.intervalsInserted == 0)
        #expect(second.intervalsInserted >= 1)
        let last = try #require(try store.lastOpen(host: host, transport: .tcp, port: 23))
        #expect(last.lastSeen == StoreClock.micros(Scans.day(0)))
        #expect(last.vantage == "corp")
        #expect(last.ended == StoreClock.micros(Scans.day(1)))
        let history = try store.portHistory(host: host, transport: .tcp, port: 23)
        #expect(history.map(\.state) == ["open", "closed"])
        #expect(history.last?.lastSeen == StoreClock.micros(Scans.day(2)))
        let closed = try store.portHistory(host: host, transport: .tcp, port: 500)
        #expect(closed.count == 1)
        #expect(closed.first.map { ($0.low, $0.high) } ?? (0, 0) == (24, 1024))
        let open22 = try #require(try store.lastOpen(host: host, transport: .tcp, port: 22))
        #expect(open22.lastSeen == StoreClock.micros(Scans.day(2)))
        #expect(open22.firstSeen == StoreClock.micros(Scans.day(0)))
        #expect(try ChainVerifier(store: store).verify().isIntact)
    }

    static func openedSinceReviewFindsNewPorts(_ store: any EvidenceStore) throws {
        try store.record(Scans.tcp("10.20.1.10", open: [5432], on: Scans.day(0)))
        try store.record(Scans.tcp("10.0.0.5", open: [80], on: Scans.day(0)))
        try store.record(Scans.tcp("10.20.1.10", open: [5432, 8080], on: Scans.day(5)))
        try store.record(Scans.tcp("10.0.0.5", open: [80, 443], on: Scans.day(5)))
        let zone = [Prefix("10.20.1.0/24")!]
        let opened = try store.openedSince(zone, since: StoreClock.micros(Scans.day(1)))
        #expect(opened.map(\.low) == [8080])
        let all = try store.openedSince(zone, since: 0)
        #expect(Set(all.map(\.low)) == [5432, 8080])
    }

    static func findingsFollowTheirLifecycle(_ store: any EvidenceStore) throws {
        let a = Finding(
            rule: "PW-UNAUTHORIZED-PORT", severity: .high, requirements: [], zone: "cde-db",
            host: IPAddress("10.20.1.12"),
            transport: .tcp, port: 23, message: "telnet open", remediation: "close it")
        let b = Finding(
            rule: "PW-INSECURE-SERVICE", severity: .medium, requirements: [], zone: "cde-db",
            host: IPAddress("10.20.1.13"), transport: .tcp, port: 21, message: "ftp open", remediation: "close it")
        var result = try store.ingest(findings: [a, b], at: Scans.day(0), complete: true, actor: "audit")
        #expect(result.new == 2)
        try store.acknowledge(fingerprint: a.fingerprint, reason: "vendor patch due", by: "alice", at: Scans.day(0))
        result = try store.ingest(findings: [a], at: Scans.day(1), complete: true, actor: "audit")
        #expect(result.resolved == 1)
        #expect(result.seenAgain == 1)
        let acknowledged = try store.findings(status: .acknowledged)
        #expect(acknowledged.map(\.fingerprint) == [a.fingerprint])
        #expect(acknowledged.first?.statusReason == "vendor patch due")
        result = try store.ingest(findings: [a, b], at: Scans.day(2), complete: true, actor: "audit")
        #expect(result.reopened == 1)
        let history = try store.findingHistory(fingerprint: b.fingerprint)
        #expect(history.map(\.status) == ["open", "resolved", "open"])
        #expect(throws: StoreError.self) {
            try store.acknowledge(fingerprint: "nope", reason: "x", by: "alice")
        }
        let stored = try store.findings()
        #expect(stored.count == 2)
        #expect(stored.allSatisfy { $0.firstSeen == StoreClock.micros(Scans.day(0)) })
    }

    static func exceptionsNeedAnotherApprover(_ store: any EvidenceStore) throws {
        let request = ExceptionRequest(
            id: "EX-7", zone: "cde-db", hosts: [Prefix("10.20.1.12/32")!], ports: [PortSpec(.tcp, port: 23)],
            justification: "Legacy HSM console", requestedBy: "alice",
            expires: CalendarDay(year: 2099, month: 12, day: 31)!)
        try store.requestException(request)
        #expect(throws: StoreError.self) { try store.requestException(request) }
        #expect(throws: StoreError.self) {
            try store.approveException(id: "EX-7", approver: "alice", on: CalendarDay(year: 2026, month: 11, day: 1)!)
        }
        try store.approveException(id: "EX-7", approver: "bob", on: CalendarDay(year: 2026, month: 11, day: 1)!)
        var listed = try store.exceptions()
        #expect(listed.first?.status == .approved)
        #expect(listed.first?.approvedBy == "bob")
        // An approved exception now covering an open finding turns it into "excepted", not "resolved".
        let finding = Finding(
            rule: "PW-UNAUTHORIZED-PORT", severity: .high, requirements: [], zone: "cde-db",
            host: IPAddress("10.20.1.12"), transport: .tcp, port: 23, message: "telnet", remediation: "close")
        try store.ingest(findings: [finding], at: Scans.day(0), complete: true, actor: "audit")
        let result = try store.ingest(findings: [], at: Scans.day(1), complete: true, actor: "audit")
        #expect(result.excepted == 1)
        try store.revokeException(id: "EX-7", by: "carol", reason: "patched")
        listed = try store.exceptions()
        #expect(listed.first?.status == .revoked)
        #expect(throws: StoreError.self) { try store.revokeException(id: "EX-7", by: "carol", reason: "again") }
        #expect(try ChainVerifier(store: store).verify().isIntact)
    }

    static func reviewsAreSignedOff(_ store: any EvidenceStore) throws {
        let id = try store.startReview(zone: "cde-db", reviewer: "alice")
        #expect(throws: StoreError.self) { try store.signReview(id: id, by: "alice", statement: nil) }
        try store.decide(review: id, service: "pg-primary", decision: .keep, note: "still needed")
        #expect(throws: StoreError.self) {
            try store.signReview(id: id, by: "alice", statement: nil, services: ["pg-primary", "hsm"])
        }
        try store.decide(review: id, service: "hsm", decision: .remove, note: nil)
        try store.signReview(id: id, by: "alice", statement: "reviewed", services: ["pg-primary", "hsm"])
        let review = try #require(try store.lastSignedReview(zone: "cde-db"))
        #expect(review.decisions.map(\.decision) == ["remove", "keep"])
        #expect(throws: StoreError.self) { try store.decide(review: id, service: "x", decision: .keep, note: nil) }
    }

    static func policyVersionsCarryDiffAndChange(_ store: any EvidenceStore) throws {
        let change = ChangeRecordInput(changeID: "CHG-1", reason: "first", approvedBy: "ciso", recordedBy: "alice")
        let first = try store.applyPolicy(path: "p.yaml", content: "version: 1\nzones: []\n", change: change)
        #expect(first.changed)
        var second = change
        second.changeID = "CHG-2"
        let applied = try store.applyPolicy(path: "p.yaml", content: "version: 1\nzones: [a]\n", change: second)
        #expect(applied.diff.contains("+zones: [a]"))
        #expect(applied.diff.contains("-zones: []"))
        #expect(try store.changes().count == 2)
    }

    static func listenersKeepOwnerIntervals(_ store: any EvidenceStore) throws {
        let host = IPAddress("10.20.1.10")!
        func snapshot(_ process: String, _ date: Date) -> ScanEvidence {
            ScanEvidence(
                kind: "inventory", started: date, operatorName: "tester", targets: ["10.20.1.10"], ports: "all",
                toolVersion: "test",
                observations: [
                    Observation(
                        time: date, host: host, transport: .tcp, port: 22, state: .open, reason: "listening",
                        source: .host,
                        process: process, bind: .wildcard)
                ])
        }
        #expect(try store.record(snapshot("/usr/sbin/sshd", Scans.day(0))).listenersChanged == 1)
        #expect(try store.record(snapshot("/usr/sbin/sshd", Scans.day(1))).listenersChanged == 0)
        #expect(try store.record(snapshot("/tmp/evil", Scans.day(2))).listenersChanged == 2)
        #expect(try ChainVerifier(store: store).verify().isIntact)
    }

    static func verifyLocatesTampering(_ store: any EvidenceStore) throws {
        try store.record(Scans.tcp("10.20.1.12", open: [22, 23], on: Scans.day(0)))
        try store.record(Scans.tcp("10.20.1.12", open: [22], on: Scans.day(1)))
        try store.backend.write { session in
            try session.execute("UPDATE port_intervals SET state = 'closed' WHERE id = 2", [])
        }
        var report = try ChainVerifier(store: store).verify()
        #expect(report.issues.contains { $0.kind == .rowChanged && $0.table == "port_intervals" && $0.rowID == 2 })
        try store.backend.write { session in
            try session.execute("UPDATE port_intervals SET state = 'open' WHERE id = 2", [])
            try session.execute("DELETE FROM audit_chain WHERE seq = 3", [])
        }
        report = try ChainVerifier(store: store).verify()
        #expect(report.issues.contains { $0.kind == .recordsMissing && $0.seq == 3 })
    }

    static func retentionArchivesAndQueriesOldMonths(_ store: any EvidenceStore) throws {
        let old = Scans.day(-300)
        try store.record(Scans.tcp("10.20.1.12", open: [23], on: old))
        try store.record(Scans.tcp("10.20.1.12", open: [], on: Scans.day(-280)))
        try store.record(Scans.tcp("10.20.1.12", open: [22], on: Scans.day(-200)))
        try store.record(Scans.tcp("10.20.1.12", open: [22], on: Scans.day(0)))
        #expect(throws: StoreError.self) { _ = try RetentionPolicy(hotDays: 30) }
        #expect(throws: StoreError.self) { _ = try RetentionPolicy(keepDays: 100) }
        let result = try store.runRetention(try RetentionPolicy(), now: Scans.day(1))
        #expect(!result.archivedMonths.isEmpty)
        #expect(result.rowsMoved > 0)
        let report = try ChainVerifier(store: store).verify()
        #expect(report.isIntact, "\(report.issues)")
        #expect(report.archivedRecords > 0)
        let host = IPAddress("10.20.1.12")!
        let hot = try store.portHistory(host: host, transport: .tcp, port: 23)
        let withArchives = try store.portHistory(host: host, transport: .tcp, port: 23, archives: true)
        #expect(
            withArchives.contains { $0.state == "open" && $0.firstSeen == StoreClock.micros(old) },
            "\(result) \(withArchives) \(hot)")
        #expect(withArchives.count > hot.count)
        let retention = try store.retentionReport(now: Scans.day(1))
        #expect(retention.verification.isIntact)
        #expect(retention.oldestRecord != nil)
        #expect(retention.sources.contains { $0.name == "scan:scan" })
        // Past the retention period the old archives are deleted, and the chain still verifies.
        let later = try store.runRetention(try RetentionPolicy(), now: Scans.day(200))
        #expect(!later.deletedMonths.isEmpty)
        let afterDeletion = try ChainVerifier(store: store).verify()
        #expect(afterDeletion.isIntact, "\(afterDeletion.issues)")
    }
}
