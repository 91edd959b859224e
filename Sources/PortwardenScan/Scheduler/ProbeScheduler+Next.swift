import PortwardenCore

/// Choosing the next probe: held-back probe, then alternately the ready queue (retries, in a
/// later slot than their first try) and the permutation, under the window, the per-host caps
/// and the token buckets.
extension ProbeScheduler {
    /// The next decision at `now`.
    mutating func next(now: UInt64) -> Decision {
        if isDone { return .done }
        guard inFlight < Int(window) else { return .idle }
        while true {
            guard let probe = candidate() ?? (unblock(now: now) ? candidate() : nil) else {
                if let until = pacedWakeUp(now: now) { return .wait(until: until) }
                return .idle
            }
            if var limiter = bucket {
                let wait = limiter.wait(now: now)
                bucket = limiter
                if wait > 0 {
                    held = probe
                    return .wait(until: now + wait)
                }
            }
            let host = host(of: probe.index)
            if var limiter = hosts[host].bucket {
                let allowed = limiter.take(now: now)
                hosts[host].bucket = limiter
                guard allowed else {
                    blocked.push(probe, host: host)
                    continue
                }
            }
            _ = bucket?.take(now: now)
            return .send(probe)
        }
    }

    /// The next probe not yet concluded whose host is below its cap; probes of hosts at their
    /// cap wait in the host's blocked queue. The permutation stops while ``backlogLimit`` probes
    /// wait there: with every host at its cap it would otherwise move the whole scan into the
    /// queues (16 bytes a probe: 1M probes of 16 hosts × 65,535 ports grew peak memory by ~20 MB).
    private mutating func candidate() -> Probe? {
        if let probe = held {
            held = nil
            if outcome[probe.index] == 0 { return probe }
        }
        while true {
            let probe: Probe
            let permutationOpen = cursor < permutation.count && blocked.count < backlogLimit
            if !ready.isEmpty, preferReady || !permutationOpen, let next = ready.pop() {
                probe = next
                preferReady = false
            } else if permutationOpen {
                probe = Probe(index: Int(permutation.map(cursor)), attempt: 0)
                cursor += 1
                preferReady = true
            } else {
                return nil
            }
            if outcome[probe.index] != 0 { continue }
            let host = host(of: probe.index)
            if hosts[host].inFlight >= Int(hosts[host].cap) {
                blocked.push(probe, host: host)
                continue
            }
            return probe
        }
    }

    /// Moves blocked probes of hosts below their cap (and with a token, when paced) to the
    /// ready queue. - Returns: whether any moved.
    private mutating func unblock(now: UInt64) -> Bool {
        var moved = false
        for host in Array(blocked.hosts) {
            var room = Int(hosts[host].cap) - hosts[host].inFlight
            if var limiter = hosts[host].bucket {
                room = min(room, limiter.wait(now: now) == 0 ? room : 0)
                hosts[host].bucket = limiter
            }
            while room > 0, let probe = blocked.pop(host: host) {
                if outcome[probe.index] != 0 { continue }
                ready.push(probe)
                room -= 1
                moved = true
            }
        }
        return moved
    }

    /// The earliest time a paced host with blocked probes gets its next token.
    private mutating func pacedWakeUp(now: UInt64) -> UInt64? {
        var earliest: UInt64?
        for host in blocked.hosts where hosts[host].inFlight < Int(hosts[host].cap) {
            guard var limiter = hosts[host].bucket else { continue }
            let wait = limiter.wait(now: now)
            hosts[host].bucket = limiter
            earliest = min(earliest ?? now + wait, now + wait)
        }
        return earliest
    }
}
