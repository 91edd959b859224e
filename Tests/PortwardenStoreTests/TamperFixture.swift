import Foundation
import PortwardenCore
import PortwardenStore

/// A store with a bit of everything (scans over fifteen months, findings, an exception, a review, a policy
/// version, monthly archives), built once and copied for every mutation of the tamper test.
enum TamperFixture {
    static let template: Result<String, any Error> = Result { try build() }

    static func build() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pwt-store-template-\(UUID().uuidString.prefix(8))"
        ).path
        let location = try StoreLocation.resolve(db: directory + "/portwarden.sqlite", dataDirectory: directory)
        let store = try StoreOpener.create(location).store
        defer { try? store.close() }
        var generator = SplitMix64(seed: 7)
        for day in stride(from: -450, through: 0, by: 30) {
            for host in ["10.20.1.10", "10.20.1.12"] {
                let open = [UInt16(22), 80, 443, 23, 5432].filter { _ in generator.next() % 3 != 0 }
                try store.record(Scans.tcp(host, open: open, on: Scans.day(day)))
            }
            let finding = Finding(
                rule: "PW-UNAUTHORIZED-PORT", severity: .high, requirements: [], zone: "cde-db",
                host: IPAddress("10.20.1.12"), transport: .tcp, port: UInt16(20 + (generator.next() % 5)),
                message: "port open", remediation: "close it")
            try store.ingest(findings: [finding], at: Scans.day(day), complete: true, actor: "audit")
        }
        try store.requestException(
            ExceptionRequest(
                id: "EX-7", zone: "cde-db", hosts: [Prefix("10.20.1.12/32")!], ports: [PortSpec(.tcp, port: 23)],
                justification: "HSM console", requestedBy: "alice", expires: CalendarDay(year: 2099, month: 1, day: 1)!)
        )
        try store.approveException(id: "EX-7", approver: "bob", on: CalendarDay(year: 2026, month: 11, day: 1)!)
        let review = try store.startReview(zone: "cde-db", reviewer: "alice")
        try store.decide(review: review, service: "pg-primary", decision: .keep, note: nil)
        try store.signReview(id: review, by: "alice", statement: "ok")
        _ = try store.applyPolicy(
            path: "p.yaml", content: "version: 1\n",
            change: ChangeRecordInput(changeID: "CHG-1", reason: "initial", recordedBy: "alice"))
        _ = try store.runRetention(try RetentionPolicy(), now: Scans.day(1))
        return directory
    }

    /// A fresh copy of the template directory.
    static func copy() throws -> String {
        let source = try template.get()
        let target = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pwt-store-copy-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }
}
