import Logging
import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SYNEngine {
    /// One observation per (host, port), in host then port order, timed at completion.
    func observations() -> [Observation] {
        var result: [Observation] = []
        result.reserveCapacity(total)
        for host in hosts.indices {
            for portIndex in ports.indices {
                let index = host * ports.count + portIndex
                let reason = SYNReason(rawValue: outcome[index]) ?? .noResponse
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

    /// Logs what the capture saw but could not use, and local firewall drops.
    func logSummary() {
        let rejectedTotal = rejected.values.reduce(0, +)
        if rejectedTotal > 0 || unmatched > 0 || duplicates > 0 {
            let detail = rejected.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ")
            logger.debug(
                "SYN capture: \(rejectedTotal) packets rejected [\(detail)], \(unmatched) without our cookie, \(duplicates) duplicate answers"
            )
        }
        if statistics.localPolicyDrops > 0 {
            logger.warning(
                "\(statistics.localPolicyDrops) probes were refused by this host's own output firewall (EPERM)")
        }
    }
}
