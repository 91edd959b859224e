import Logging
import PortwardenCore

/// The TCP connect scanner: non-blocking sockets on epoll, per-host RTT timeouts, loss-driven
/// retries, a keyed random probe order, and separate rate and window caps (docs/scanning.md).
///
/// `run` blocks the calling thread until the scan is done; network namespaces are per thread, so
/// a caller that joined a namespace scans from inside it. `scan` runs the same engine on a
/// dedicated thread for async callers.
public final class ConnectScanner: Sendable {
    /// The caps and timeouts in force.
    public let configuration: ScanConfiguration
    private let logger: Logger

    /// Creates a scanner.
    /// - Parameters:
    ///   - configuration: caps, timeouts and the permutation seed.
    ///   - logger: where warnings (local firewall drops, resource pressure) go.
    public init(configuration: ScanConfiguration, logger: Logger = Logger(label: "portwarden.scan")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Scans every port of every host on the calling thread.
    /// - Parameters:
    ///   - hosts: the targets (IPv4 and IPv6 may be mixed); the scope guard must have passed them.
    ///   - ports: the TCP ports, in the order observations should list them.
    ///   - progress: called on this thread about four times a second and once at the end.
    ///   - cancellation: stops the scan when set from another thread (what finished is returned).
    /// - Returns: one observation per (host, port), including closed and filtered ports.
    /// - Throws: ``ScanError`` when the local network goes down or epoll fails.
    public func run(
        hosts: [IPAddress], ports: [UInt16], progress: ((ScanProgress) -> Void)? = nil,
        cancellation: ScanCancellation? = nil
    ) throws
        -> ScanResult
    {
        let engine = try ConnectEngine(
            hosts: hosts, ports: ports, configuration: configuration, logger: logger, cancellation: cancellation)
        let statistics = try engine.run(progress: progress)
        var observations: [Observation] = []
        observations.reserveCapacity(engine.total)
        engine.forEachObservation { observations.append($0) }
        return ScanResult(observations: observations, statistics: statistics)
    }

    /// Scans on the calling thread and streams the observations instead of collecting them: for
    /// large scans (16 hosts × 65 535 ports) where an array of a million observations would cost
    /// far more memory than the engine itself (about 5 bytes per probe).
    /// - Parameters:
    ///   - hosts: the targets; the scope guard must have passed them.
    ///   - ports: the TCP ports, in the order observations are delivered.
    ///   - progress: called on this thread about four times a second and once at the end.
    ///   - cancellation: stops the scan when set from another thread (what finished is delivered).
    ///   - observe: called once per (host, port), in host then port order, after the scan finished.
    /// - Returns: the run's counters.
    /// - Throws: ``ScanError``, or whatever `observe` throws (delivery then stops).
    public func run(
        hosts: [IPAddress], ports: [UInt16], progress: ((ScanProgress) -> Void)? = nil,
        cancellation: ScanCancellation? = nil, observe: (Observation) throws -> Void
    ) throws -> ScanStatistics {
        let engine = try ConnectEngine(
            hosts: hosts, ports: ports, configuration: configuration, logger: logger, cancellation: cancellation)
        let statistics = try engine.run(progress: progress)
        try engine.forEachObservation(observe)
        return statistics
    }

    /// Scans on a dedicated thread and resumes the caller when done. Cancelling the task stops
    /// the scan within about 100 ms; the result then holds what finished and
    /// ``ScanStatistics/interrupted`` is set.
    /// - Parameters:
    ///   - hosts: the targets.
    ///   - ports: the TCP ports.
    ///   - progress: called from the scanning thread.
    /// - Returns: one observation per (host, port).
    /// - Throws: ``ScanError``.
    public func scan(
        hosts: [IPAddress], ports: [UInt16], progress: (@Sendable (ScanProgress) -> Void)? = nil
    ) async throws -> ScanResult {
        let cancellation = ScanCancellation()
        return try await withTaskCancellationHandler {
            try await Kernel.onThread {
                try self.run(hosts: hosts, ports: ports, progress: progress, cancellation: cancellation)
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
