import PortwardenCore

/// The events a transport reports.
extension ProbeScheduler {
    /// The probe left: it is in flight until answered, silent or expired.
    mutating func sent(_ probe: Probe, now: UInt64) {
        let host = host(of: probe.index)
        flights[probe.index] = Flight(attempt: probe.attempt, sentAt: now)
        tries[probe.index] = UInt8(clamping: probe.attempt + 1)
        hosts[host].inFlight += 1
        if hosts[host].started == nil { hosts[host].started = now }
        let deadline = now + UInt64(max(1, timeout(host: host))) * 1000
        heap.push(DeadlineHeap.Entry(deadline: deadline, index: probe.index, attempt: UInt8(clamping: probe.attempt)))
        statistics.probesSent += 1
        if probe.attempt > 0 { statistics.retries += 1 }
        statistics.peakInFlight = max(statistics.peakInFlight, inFlight)
        idlePressureRounds = 0
    }

    /// An answer to try `attempt` of probe `index` concluded it with `code` (`state` is what it
    /// means). `sample`: the answer is a round-trip sample (a SYN-ACK or RST, never ICMP, which
    /// is rate limited). Answers to a concluded probe are ignored; the first answer wins.
    mutating func answered(index: Int, attempt: Int, code: UInt8, state: PortState, sample: Bool, now: UInt64) {
        let host = host(of: index)
        let flight = flights[index]
        // The answered try is done; so is a later try of a probe this answer concludes.
        if let flight, flight.attempt == attempt || outcome[index] == 0 { release(index, host: host) }
        hosts[host].bestTry = max(hosts[host].bestTry, attempt)
        guard outcome[index] == 0 else { return }
        if sample {
            // Karn: only the latest try's send time is kept, so only its answer is a sample.
            if let flight, flight.attempt == attempt {
                let delta = Int64((now &- flight.sentAt) / 1000)
                adapt(host: host, sample: delta, attempt: attempt)
                hosts[host].estimator.add(sample: delta)
                globalEstimator.add(sample: delta)
            } else if attempt > 0 {
                shrink(host: host)
            }
        }
        conclude(index, code: code, state: state, now: now)
        if sample { noteAnswer(host: host, index: index, open: state == .open, now: now) }
        growWindow(now: now)
    }

    /// Try `attempt` of probe `index` learned nothing (deadline passed, or an event without an
    /// answer): retry it in a later slot while the host's loss evidence allows, else conclude
    /// `noResponse`.
    mutating func silent(index: Int, attempt: Int, now: UInt64) {
        let host = host(of: index)
        if let flight = flights[index], flight.attempt == attempt { release(index, host: host) }
        guard outcome[index] == 0 else { return }
        let allowed = min(settings.maxRetries, max(1, hosts[host].bestTry + 1))
        if attempt < allowed, !hosts[host].abandoned {
            ready.push(Probe(index: index, attempt: attempt + 1))
        } else {
            conclude(index, code: codes.noResponse, state: .filtered, now: now)
        }
    }

    /// The probe could not leave because of local resource pressure (descriptors, ports,
    /// buffers): it is requeued and the window shrinks by 10 %.
    mutating func pressure(_ probe: Probe, now: UInt64) {
        let host = host(of: probe.index)
        if let flight = flights[probe.index], flight.attempt == probe.attempt { release(probe.index, host: host) }
        statistics.requeued += 1
        ready.push(probe)
        window = max(1, window * 0.9)
        statistics.smallestWindow = min(statistics.smallestWindow, Int(window))
        lastPressure = now
        if inFlight == 0 { idlePressureRounds += 1 }
    }

    /// The next probe whose deadline passed and that is still in flight with that try; the
    /// transport then reports ``silent(index:attempt:now:)`` or an answer it found late.
    mutating func expired(now: UInt64) -> Probe? {
        while let entry = heap.popExpired(now: now) {
            guard let flight = flights[entry.index], flight.attempt == Int(entry.attempt) else { continue }
            return Probe(index: entry.index, attempt: flight.attempt)
        }
        return nil
    }

    /// Concludes probe `index` with `code` (the first conclusion wins); `state` `nil` is an error
    /// of the scan (no port state, not counted). A try still in flight stays in flight until the
    /// transport reports it (its socket must still be closed).
    mutating func conclude(_ index: Int, code: UInt8, state: PortState?, now: UInt64) {
        guard outcome[index] == 0 else { return }
        outcome[index] = code
        finishedAt[index] = UInt32(clamping: (now &- start) / 1_000_000)
        done += 1
        hosts[host(of: index)].remaining -= 1
        switch state {
        case .open: statistics.open += 1
        case .closed: statistics.closed += 1
        case nil: break
        default: statistics.filtered += 1
        }
    }

    /// Abandons hosts that ran past the host timeout (checked at most twenty times a second):
    /// their unfinished probes conclude `hostTimeout`.
    mutating func checkHostTimeouts(now: UInt64) {
        guard let limit = settings.hostTimeout, now &- lastHostTimeoutCheck >= 50_000_000 else { return }
        lastHostTimeoutCheck = now
        for host in hosts.indices where !hosts[host].abandoned {
            guard let started = hosts[host].started, hosts[host].remaining > 0,
                Int64((now &- started) / 1000) > limit
            else { continue }
            statistics.hostsTimedOut += 1
            abandon(host: host, code: codes.hostTimeout, now: now)
        }
    }

    private mutating func release(_ index: Int, host: Int) {
        flights[index] = nil
        hosts[host].inFlight -= 1
        if let probe = blocked.pop(host: host) { ready.push(probe) }
    }

    /// After a second without pressure, grow the window back slowly (one probe per ten answers).
    private mutating func growWindow(now: UInt64) {
        guard window < Double(settings.window), now &- lastPressure > 1_000_000_000 else { return }
        window = min(Double(settings.window), window + 0.1)
    }

    /// Stops probing a host: every probe without an outcome concludes with `code`.
    mutating func abandon(host: Int, code: UInt8, now: UInt64) {
        hosts[host].abandoned = true
        blocked.removeAll(host: host)
        let base = host * portCount
        for index in base..<(base + portCount) { conclude(index, code: code, state: .filtered, now: now) }
    }
}
