import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConnectEngine {
    /// One observation per (host, port), in host then port order, timed at completion.
    func observations() -> [Observation] {
        var result: [Observation] = []
        result.reserveCapacity(total)
        for host in hosts.indices {
            for portIndex in ports.indices {
                let index = host * ports.count + portIndex
                let reason = ProbeReason(rawValue: outcome[index]) ?? .noResponse
                let seconds = startWall + Double(finishedAt[index] &- startMonotonic) / 1e9
                result.append(
                    Observation(
                        time: Date(timeIntervalSince1970: seconds), host: hosts[host], transport: .tcp,
                        port: ports[portIndex], state: reason.state, reason: reason.text, source: .scan,
                        vantage: configuration.vantage))
            }
        }
        return result
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
