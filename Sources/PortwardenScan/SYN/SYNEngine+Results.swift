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
                let code = scheduler.outcome[index]
                if code == 0, interrupted { continue }
                let reason = SYNReason(rawValue: code) ?? .noResponse
                let seconds = startWall + Double(scheduler.finishedAt[index]) / 1000
                result.append(
                    Observation(
                        time: Date(timeIntervalSince1970: seconds), host: hosts[host], transport: .tcp,
                        port: ports[portIndex], state: reason.state, reason: reason.text, source: .scan,
                        vantage: configuration.vantage))
            }
        }
        return result
    }

    /// The scheduler's counters with the transport's, and each host's final RTT estimator.
    func finalStatistics() -> ScanStatistics {
        scheduler.finalStatistics(hosts: hosts, transport: counters, interrupted: interrupted)
    }

    /// Logs that the scheduler flagged `host` as a tarpit: no further probes go to it.
    func warnTarpit(host: Int) {
        let evidence = scheduler.tarpitEvidence(host: host)
        logger.warning(
            "\(hosts[host]) answered SYN-ACK on \(evidence.open) of \(evidence.answers) sampled high ports: flagged as a tarpit/wildcard responder; its remaining ports are not probed (filtered, tarpit)"
        )
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
        if counters.localPolicyDrops > 0 {
            logger.warning(
                "\(counters.localPolicyDrops) probes were refused by this host's own output firewall (EPERM)")
        }
    }
}
