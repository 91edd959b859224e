import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConnectEngine {
    /// Calls `body` with one observation per (host, port), in host then port order, timed at
    /// completion; probes our own stack could not route (``ScanStatistics/unroutableHosts``) give none. Nothing is accumulated, so a caller that streams keeps memory at the engine's
    /// few bytes per probe.
    func forEachObservation(_ body: (Observation) throws -> Void) rethrows {
        for host in hosts.indices {
            for portIndex in ports.indices {
                let index = host * ports.count + portIndex
                let reason = ProbeReason(rawValue: outcome[index]) ?? .noResponse
                // Our own stack had no route: nothing was learned about the network.
                if reason == .noRoute { continue }
                let seconds = startWall + Double(finishedAt[index]) / 1000
                try body(
                    Observation(
                        time: Date(timeIntervalSince1970: seconds), host: hosts[host], transport: .tcp,
                        port: ports[portIndex], state: reason.state, reason: reason.text, source: .scan,
                        vantage: configuration.vantage))
            }
        }
    }

    /// The counters plus each host's final RTT estimator.
    func finalStatistics() -> ScanStatistics {
        var result = statistics
        result.perHost = hosts.indices.map { host in
            let estimator = hostEstimators[host]
            let sampled = estimator.samples > 0
            return HostTiming(
                host: hosts[host], srtt: sampled ? .microseconds(estimator.srtt) : nil,
                rttvar: sampled ? .microseconds(estimator.rttvar) : nil, timeout: .microseconds(timeout(host: host)),
                samples: estimator.samples)
        }
        return result
    }
}
