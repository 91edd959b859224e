import Logging
import PortwardenCore

/// The optional raw SYN scanner (root or `CAP_NET_RAW`, IPv4): hand-built SYN probes on an
/// `IPPROTO_RAW` socket, replies read from an `AF_PACKET` socket behind a BPF filter and
/// authenticated by a SipHash-2-4 cookie in the ISN (docs/scanning.md). No connection is ever
/// completed: the local kernel answers each SYN-ACK with a RST, since no socket owns the port.
///
/// The CLI checks ``unavailableReason(hosts:)`` and falls back to ``ConnectScanner`` with a
/// warning when it is not `nil`.
public struct SYNScanner: Sendable {
    /// The caps and timeouts in force (`maxRetries` is capped at 15 by the source-port encoding).
    public let configuration: ScanConfiguration
    private let logger: Logger
    private let key: SipHash24

    /// Creates a scanner with a random cookie key.
    /// - Parameters:
    ///   - configuration: caps, timeouts and the permutation seed.
    ///   - logger: where warnings (no route, local firewall drops) go.
    public init(configuration: ScanConfiguration, logger: Logger = Logger(label: "portwarden.scan.syn")) {
        self.init(
            configuration: configuration, logger: logger,
            key: SipHash24(k0: .random(in: 0...UInt64.max), k1: .random(in: 0...UInt64.max)))
    }

    init(configuration: ScanConfiguration, logger: Logger, key: SipHash24) {
        self.configuration = configuration
        self.logger = logger
        self.key = key
    }

    /// Why a raw SYN scan cannot run from this thread's network namespace (no root or
    /// `CAP_NET_RAW`), or `nil` when it can. It opens and closes the two raw sockets to find out.
    public static var unavailableReason: String? {
        let send = Kernel.openRawSendSocket()
        guard send >= 0 else {
            return "the raw SYN scan needs root or CAP_NET_RAW (raw socket: "
                + "\(Kernel.describe(errno: -send)))"
        }
        Kernel.close(send)
        let capture = Kernel.openCaptureSocket(program: SYNCaptureFilter.program(low: 61000, high: 62023))
        guard capture >= 0 else {
            return "the raw SYN scan needs root or CAP_NET_RAW (packet socket: "
                + "\(Kernel.describe(errno: -capture)))"
        }
        Kernel.close(capture)
        return nil
    }

    /// ``unavailableReason`` plus the targets: the SYN scan is IPv4 only.
    /// - Parameter hosts: the scan's targets.
    /// - Returns: why the SYN scan cannot scan them, or `nil`.
    public static func unavailableReason(hosts: [IPAddress]) -> String? {
        if let host = hosts.first(where: { !$0.isIPv4 }) {
            return "the raw SYN scan supports IPv4 only, and \(host) is IPv6"
        }
        return unavailableReason
    }

    /// Scans every port of every host on the calling thread (which may have joined a namespace).
    /// - Parameters:
    ///   - hosts: IPv4 targets the scope guard has passed.
    ///   - ports: the TCP ports, in the order observations should list them.
    ///   - cancellation: stops the scan when set from another thread (what finished is returned,
    ///     ``ScanStatistics/interrupted`` set).
    /// - Returns: one observation per (host, port), including closed and filtered ports.
    /// - Throws: ``ScanError``: `configuration` for IPv6 targets, `resources` without raw
    ///   sockets, `networkDown` when the interface goes down.
    public func run(hosts: [IPAddress], ports: [UInt16], cancellation: ScanCancellation? = nil) throws -> ScanResult {
        let engine = try SYNEngine(
            hosts: hosts, ports: ports, configuration: configuration, key: key, logger: logger,
            cancellation: cancellation)
        return try engine.run()
    }

    /// Scans on a dedicated thread and resumes the caller when done. The thread is created from
    /// whichever executor thread runs this call, so it scans from that thread's network namespace
    /// (the process's own in practice); a caller that joined a namespace uses ``run(hosts:ports:)``.
    /// - Parameters:
    ///   - hosts: IPv4 targets.
    ///   - ports: the TCP ports.
    /// - Returns: one observation per (host, port).
    /// - Throws: ``ScanError``.
    public func scan(hosts: [IPAddress], ports: [UInt16]) async throws -> ScanResult {
        let cancellation = ScanCancellation()
        return try await withTaskCancellationHandler {
            try await Kernel.onThread { try self.run(hosts: hosts, ports: ports, cancellation: cancellation) }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
