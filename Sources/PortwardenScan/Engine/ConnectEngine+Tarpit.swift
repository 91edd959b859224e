import Logging
import PortwardenCore

extension ConnectEngine {
    /// Counts a SYN-ACK or RST from a high port and flags the host as a tarpit when the
    /// ``TarpitRule`` fires: no further probes go to it.
    func noteAnswer(host: Int, port: UInt16, open: Bool, now: UInt64) {
        guard let rule = tarpitRule, port >= rule.highPortFloor, !hostAbandoned[host] else { return }
        hostHighAnswers[host] += 1
        if open { hostHighOpen[host] += 1 }
        guard rule.fires(open: Int(hostHighOpen[host]), answers: Int(hostHighAnswers[host])) else { return }
        statistics.tarpitHosts.append(hosts[host])
        let text =
            "\(hosts[host]) answered SYN-ACK on \(hostHighOpen[host]) of \(hostHighAnswers[host]) sampled high "
            + "ports: flagged as a tarpit/wildcard responder; its remaining ports are not probed (filtered, tarpit)"
        logger.warning("\(text)")
        abandon(host: host, reason: .tarpit, now: now)
    }

    /// Stops probing a host: every port without a final answer gets `reason`. Probes still in
    /// flight finish normally but cannot change an outcome that is already set.
    func abandon(host: Int, reason: ProbeReason, now: UInt64) {
        hostAbandoned[host] = true
        blocked[host] = nil
        let base = host * ports.count
        for index in base..<(base + ports.count) { finish(index, reason, now: now) }
    }
}
