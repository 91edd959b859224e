import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConnectEngine {
    /// Calls `body` with one observation per (host, port), in host then port order, timed at
    /// completion; probes our own stack could not route (``ScanStatistics/unroutableHosts``) give
    /// none. Nothing is accumulated, so a caller that streams keeps memory at the engine's few
    /// bytes per probe. After a cancellation, probes without an outcome are left out.
    func forEachObservation(_ body: (Observation) throws -> Void) rethrows {
        for host in hosts.indices {
            for portIndex in ports.indices {
                let index = host * ports.count + portIndex
                let code = scheduler.outcome[index]
                if code == 0, interrupted { continue }
                let reason = ProbeReason(rawValue: code) ?? .noResponse
                // Our own stack had no route: nothing was learned about the network.
                if reason == .noRoute { continue }
                let seconds = startWall + Double(scheduler.finishedAt[index]) / 1000
                try body(
                    Observation(
                        time: Date(timeIntervalSince1970: seconds), host: hosts[host], transport: .tcp,
                        port: ports[portIndex], state: reason.state, reason: reason.text, source: .scan,
                        vantage: configuration.vantage))
            }
        }
    }

    /// The scheduler's counters with the transport's, and each host's final RTT estimator.
    func finalStatistics() -> ScanStatistics {
        scheduler.finalStatistics(hosts: hosts, transport: counters, interrupted: interrupted)
    }
}
