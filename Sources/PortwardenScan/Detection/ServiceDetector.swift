import PortwardenCore
import Synchronization

/// Identifies the services on open TCP ports and runs the insecure-service handshakes
///: banners, capability queries, negotiation offers, TLS version probes.
///
/// Everything is synchronous on kernel sockets with connect and read deadlines, so it can run on a
/// thread that joined a network namespace; ``detectAll(_:)`` spreads work over at most
/// ``DetectionConfiguration/concurrency`` threads, which inherit the caller's namespace. Probes are
/// read-only, never send credentials, and close each connection as soon as its reply is read.
public struct ServiceDetector: Sendable {
    /// The timeouts, concurrency and optional checks in use.
    public let configuration: DetectionConfiguration

    /// Creates a detector.
    public init(configuration: DetectionConfiguration = DetectionConfiguration()) {
        self.configuration = configuration
    }

    /// Probes one TCP port on the calling thread.
    /// - Returns: what was learned; an unreachable or silent port gives a `table` guess and no handshakes.
    public func detect(host: IPAddress, port: UInt16) -> ServiceDetection {
        PortProbe(host: host, port: port, configuration: configuration).run()
    }

    /// Probes many TCP ports, at most `configuration.concurrency` at a time, and waits for all.
    /// - Returns: one result per target, in the order of `targets`.
    public func detectAll(_ targets: [(IPAddress, UInt16)]) -> [ServiceDetection] {
        guard targets.count > 1, configuration.concurrency > 1 else {
            return targets.map { detect(host: $0.0, port: $0.1) }
        }
        let work = targets.map { WorkItem(host: $0.0, port: $0.1) }
        let next = Atomic<Int>(0)
        let results = Mutex<[ServiceDetection?]>(Array(repeating: nil, count: work.count))
        let detector = self
        DetectionSystem.runThreads(count: min(configuration.concurrency, work.count)) {
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < work.count else { return }
                let detection = detector.detect(host: work[index].host, port: work[index].port)
                results.withLock { $0[index] = detection }
            }
        }
        // Every index below work.count was claimed by exactly one worker, all of which have joined.
        return results.withLock { stored in stored.map { $0 ?? ServiceDetection() } }
    }

    /// Fills `service`, `tls`, `handshakes`, `product`, `version` and `details` of the open TCP observations; the rest pass through unchanged.
    /// A probe never clears what an observation already carries unless it learned something.
    public func enrich(_ observations: [Observation]) -> [Observation] {
        let indices = observations.indices.filter {
            observations[$0].transport == .tcp && observations[$0].state == .open
        }
        let detections = detectAll(indices.map { (observations[$0].host, observations[$0].port) })
        var enriched = observations
        for (index, detection) in zip(indices, detections) {
            enriched[index].apply(detection)
        }
        return enriched
    }
}

/// One port to probe.
private struct WorkItem: Sendable {
    let host: IPAddress
    let port: UInt16
}

extension Observation {
    /// Copies what detection learned onto the observation.
    mutating func apply(_ detection: ServiceDetection) {
        if let name = detection.service, detection.method == .probed || service == nil { service = name }
        if !detection.tls.isEmpty { tls = detection.tls }
        if !detection.handshakes.isEmpty {
            handshakes = (handshakes ?? [:]).merging(detection.handshakes) { _, new in new }
        }
        if let name = detection.product {
            product = name
            version = detection.version
        }
        if !detection.details.isEmpty {
            details = (details ?? [:]).merging(detection.details) { _, new in new }
        }
    }
}
