import Foundation
import PortwardenCore
import PortwardenStore

/// Throw-away stores for the conformance suite: a SQLite file in a temporary directory, or a new database
/// on the PostgreSQL server `PORTWARDEN_TEST_POSTGRES_URL` names (scripts/test-all.sh starts one).
enum TestStores {
    enum Backend: String, CaseIterable, Sendable {
        case sqlite, postgres
    }

    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["PORTWARDEN_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }

    /// A new, initialised store and a closure that removes it.
    static func make(_ backend: Backend) throws -> (store: any EvidenceStore, cleanup: () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pwt-store-\(UUID().uuidString.prefix(8))"
        ).path
        switch backend {
        case .sqlite:
            let location = try StoreLocation.resolve(db: directory + "/portwarden.sqlite", dataDirectory: directory)
            let store = try StoreOpener.create(location).store
            return (
                store,
                {
                    try? store.close(); try? FileManager.default.removeItem(atPath: directory)
                }
            )
        case .postgres:
            guard let url = postgresURL, let server = PostgresLocation(url: url) else {
                throw TestStoreError(message: "PORTWARDEN_TEST_POSTGRES_URL is not set")
            }
            let name = "pwt_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try PostgresBackend(location: server)
            try admin.administer("CREATE DATABASE \(name)")
            var target = server
            target.database = name
            let location = StoreLocation(database: .postgres(target), dataDirectory: directory)
            let store = try StoreOpener.create(location).store
            return (
                store,
                {
                    try? store.close()
                    try? admin.administer("DROP DATABASE IF EXISTS \(name)")
                    try? admin.close()
                    try? FileManager.default.removeItem(atPath: directory)
                }
            )
        }
    }

    /// Runs `body` on a new store and removes it afterwards.
    static func with(_ backend: Backend, _ body: (any EvidenceStore) throws -> Void) throws {
        let (store, cleanup) = try make(backend)
        defer { cleanup() }
        try body(store)
    }
}

struct TestStoreError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Builders of scans for the tests.
enum Scans {
    /// Simulated days lie after the store's creation (which is recorded at the real time), so that record
    /// times grow with sequence numbers as they do in use.
    static let base = Date(timeIntervalSince1970: 1_843_000_000)  // 2028-05-27

    static func day(_ n: Int) -> Date { base.addingTimeInterval(Double(n) * 86400) }

    /// A TCP scan of `host` over ports 1–1024 from `vantage` with `open` ports open and the rest closed.
    static func tcp(
        _ host: String, open: [UInt16], on date: Date, vantage: String = "corp", ports: ClosedRange<UInt16> = 1...1024
    ) -> ScanEvidence {
        let address = IPAddress(host)!
        let observations = open.map {
            Observation(
                time: date, host: address, transport: .tcp, port: $0, state: .open, reason: "syn-ack", vantage: vantage,
                service: $0 == 23 ? "telnet" : nil)
        }
        return ScanEvidence(
            kind: "scan", started: date, finished: date, operatorName: "tester", vantage: vantage, targets: [host],
            ports: "\(ports.lowerBound)-\(ports.upperBound)", parameters: ["rate": "100"], toolVersion: "test",
            hosts: [coverage(address, ports: ports, open: Set(open))], observations: observations)
    }

    /// The coverage a TCP scan records for a host that answered on every port: `open` open, the rest closed.
    static func coverage(_ host: IPAddress, ports: ClosedRange<UInt16>, open: Set<UInt16>) -> HostCoverage {
        var coverage = HostCoverage(host: host, status: .up, method: .tcpConnect, reason: "tcp answers")
        for port in ports {
            coverage.record(
                .tcp, port, open.contains(port) ? .open : .closed, reason: open.contains(port) ? "syn-ack" : "rst")
        }
        return coverage
    }
}
