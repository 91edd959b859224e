import Foundation
import PortwardenCore
import PortwardenStore

/// A /24 with 20 live hosts, each with a few open ports that change now and then.
final class SimulatedNetwork {
    let hosts: [IPAddress]
    let live: [IPAddress]
    private(set) var open: [IPAddress: Set<UInt16>] = [:]
    private var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
        hosts = (0..<256).map { IPAddress(ipv4: 0x0A14_0100 | UInt32($0)) }
        live = Array(hosts[10..<30])
        for host in live { open[host] = [22, 443, UInt16(8000 + (host.ipv4Value & 0xFF))] }
    }

    func random() -> UInt64 { generator.next() }

    /// Moves to the next day: on average one host opens or closes one port.
    func advance() {
        let host = live[Int(random() % UInt64(live.count))]
        let port = UInt16(1 + random() % 65535)
        if open[host, default: []].contains(port) { open[host]?.remove(port) } else { open[host]?.insert(port) }
    }

    /// The day's all-port scan as `portwarden audit` records it: every port of every live host in the
    /// coverage (open ones with an observation), the other hosts down.
    func scan(at date: Date) -> ScanEvidence {
        var observations: [Observation] = []
        var coverage: [HostCoverage] = []
        for host in hosts {
            guard let ports = open[host] else {
                coverage.append(HostCoverage(host: host, status: .down, reason: "no answer to icmp-echo"))
                continue
            }
            var covered = HostCoverage(host: host, status: .up, method: .icmpEcho, reason: "echo-reply")
            for port in UInt16(1)...65535 {
                let isOpen = ports.contains(port)
                covered.record(.tcp, port, isOpen ? .open : .closed, reason: isOpen ? "syn-ack" : "rst")
                if isOpen {
                    observations.append(
                        Observation(
                            time: date, host: host, transport: .tcp, port: port, state: .open, reason: "syn-ack",
                            vantage: "corp"))
                }
            }
            coverage.append(covered)
        }
        return ScanEvidence(
            kind: "audit", started: date, finished: date, operatorName: "bench", vantage: "corp",
            targets: ["10.20.1.0/24"], ports: "1-65535", parameters: ["rate": "10000"], toolVersion: "bench",
            policyHash: String(repeating: "ab", count: 32), hosts: coverage, observations: observations)
    }
}

enum BenchStores {
    static func sqlite(_ directory: String) throws -> any EvidenceStore {
        let location = try StoreLocation.resolve(db: directory + "/portwarden.sqlite", dataDirectory: directory)
        return try StoreOpener.create(location).store
    }

    static func postgres(_ url: String, directory: String) throws -> (store: any EvidenceStore, cleanup: () -> Void) {
        guard let server = PostgresLocation(url: url) else {
            throw StoreError(.location, "not a PostgreSQL URL: \(url)")
        }
        let name = "pw_bench_\(getpid())"
        let admin = try PostgresBackend(location: server)
        try admin.administer("DROP DATABASE IF EXISTS \(name)")
        try admin.administer("CREATE DATABASE \(name)")
        var target = server
        target.database = name
        let store = try StoreOpener.create(StoreLocation(database: .postgres(target), dataDirectory: directory)).store
        return (
            store,
            {
                try? store.close(); try? admin.administer("DROP DATABASE IF EXISTS \(name)"); try? admin.close()
            }
        )
    }
}
