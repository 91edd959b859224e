import Dispatch
import PortwardenCore
import Synchronization

/// Scans UDP ports with connected sockets and `IP_RECVERR` (docs/scanning.md): a datagram back is
/// `open`, ICMP port unreachable `closed`, other unreachables `filtered` with the ICMP code as
/// reason, silence after the allowed retries `open|filtered`.
///
/// ```swift
/// let scanner = UDPScanner(configuration: UDPScanConfiguration(snmpCommunities: ["ops-ro"]))
/// let result = try await scanner.scan(hosts: [IPAddress("10.20.1.10")!], ports: [53, 123, 161])
/// ```
public struct UDPScanner: Sendable {
    /// The scan's knobs.
    public let configuration: UDPScanConfiguration

    /// Creates a scanner.
    public init(configuration: UDPScanConfiguration) {
        self.configuration = configuration
    }

    /// Scans every port of every host on the calling thread and returns when all are decided.
    ///
    /// Sockets are created on the calling thread, so a thread that joined a network namespace
    /// scans inside that namespace. Duplicate hosts and ports are scanned once.
    /// - Parameters:
    ///   - hosts: the targets (IPv4 and IPv6 may be mixed).
    ///   - ports: the UDP ports.
    /// - Returns: one observation per (host, port) and the scan's counters.
    /// - Throws: ``ScanError`` for an invalid configuration, a dead network or no sockets.
    public func run(hosts: [IPAddress], ports: [UInt16]) throws -> UDPScanResult {
        try run(hosts: hosts, ports: ports, shouldStop: { false })
    }

    /// As ``run(hosts:ports:)``, polling `shouldStop` between batches of events.
    /// - Throws: also `CancellationError` once `shouldStop` returns `true`.
    public func run(hosts: [IPAddress], ports: [UInt16], shouldStop: @escaping () -> Bool) throws -> UDPScanResult {
        let engine = try UDPScanEngine(configuration: configuration, hosts: hosts, ports: ports, shouldStop: shouldStop)
        return try engine.run()
    }

    /// Runs ``run(hosts:ports:)`` on a Dispatch thread (not the cooperative pool, which must not
    /// block) and stops it when the task is cancelled.
    /// - Throws: as ``run(hosts:ports:)``, and `CancellationError` when cancelled.
    public func scan(hosts: [IPAddress], ports: [UInt16]) async throws -> UDPScanResult {
        let stop = UDPStopFlag()
        let scanner = self
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(
                        with: Result {
                            try scanner.run(hosts: hosts, ports: ports, shouldStop: { stop.isSet })
                        })
                }
            }
        } onCancel: {
            stop.set()
        }
    }
}

/// A flag the cancellation handler sets and the engine thread polls.
final class UDPStopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    var isSet: Bool { flag.load(ordering: .acquiring) }

    func set() { flag.store(true, ordering: .releasing) }
}
