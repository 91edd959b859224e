import PortwardenCore

/// Per-host in-flight caps and tarpit detection (docs/scanning.md).
///
/// A host's cap starts at `perHostInitial` and grows while the host answers with a stable round
/// trip (an answer to a first try whose RTT is within the estimator's `srtt + 2·rttvar`): by
/// 1/256 of the cap, at least one probe, per such answer, up to `perHostCeiling`. Silence never
/// shrinks it — a firewall that drops probes is not congestion. It halves (not below a quarter
/// of the initial cap) on real loss: an answer that only a retransmission got, i.e. the earlier
/// try was lost on the way. Local pressure shrinks the global window instead.
extension ProbeScheduler {
    /// Applies one RTT sample of try `attempt` to the host's cap.
    mutating func adapt(host: Int, sample: Int64, attempt: Int) {
        guard attempt == 0 else {
            shrink(host: host)
            return
        }
        let estimator = hosts[host].estimator
        let stable = estimator.samples == 0 || sample <= estimator.srtt + 2 * estimator.rttvar
        guard stable else { return }
        let ceiling = Double(settings.perHostCeiling)
        let cap = hosts[host].cap
        guard cap < ceiling else { return }
        hosts[host].cap = min(ceiling, cap + max(1, cap / 256))
        statistics.largestHostCap = max(statistics.largestHostCap, Int(hosts[host].cap))
    }

    /// Halves the host's cap after real loss.
    mutating func shrink(host: Int) {
        let floor = max(1, Double(settings.perHostInitial) / 4)
        hosts[host].cap = max(floor, hosts[host].cap / 2)
        statistics.hostCapShrinks += 1
    }

    /// Counts a SYN-ACK or RST from a high port and abandons the host as a tarpit when the
    /// ``TarpitRule`` fires: its remaining probes conclude `tarpit`.
    mutating func noteAnswer(host: Int, index: Int, open: Bool, now: UInt64) {
        guard let rule = tarpitRule, isHighPort[index % portCount], !hosts[host].abandoned else { return }
        hosts[host].highAnswers += 1
        if open { hosts[host].highOpen += 1 }
        guard rule.fires(open: hosts[host].highOpen, answers: hosts[host].highAnswers) else { return }
        tarpitHosts.append(host)
        abandon(host: host, code: codes.tarpit, now: now)
    }

    /// The open and total high-port answers that flagged `host`.
    func tarpitEvidence(host: Int) -> (open: Int, answers: Int) {
        (hosts[host].highOpen, hosts[host].highAnswers)
    }
}
