import PortwardenCore

extension ConnectEngine {
    /// Sends probes while the window, the rate and the candidates allow.
    func issue(now: UInt64) throws -> IssueStop {
        var launched = 0
        while inFlight < Int(window) {
            // Probes settled synchronously (loopback) never fill the window: hand control back
            // now and then so that timeouts, host timeouts and progress still run.
            if launched >= 4096 { return .batch }
            launched += 1
            guard let probe = nextCandidate() else {
                if unblockHostsBelowCap() { continue }
                return .exhausted
            }
            if bucket != nil, bucket?.take(now: now) == false {
                held = probe
                return .rate(bucket?.wait(now: now) ?? 1_000_000)
            }
            if try !launch(probe, now: now) { return .pressure }
        }
        return .capacity
    }

    /// The next probe to send: a held-back one, then alternately the ready queue (retries, in a
    /// later slot than their first try) and the permutation. Probes of a host at its in-flight cap
    /// wait in that host's blocked list.
    private func nextCandidate() -> PendingProbe? {
        if let probe = held {
            held = nil
            return probe
        }
        while true {
            let probe: PendingProbe
            if !ready.isEmpty, preferReady || cursor >= permutation.count, let next = ready.pop() {
                probe = next
                preferReady = false
            } else if cursor < permutation.count {
                probe = PendingProbe(index: Int(permutation.map(cursor)), attempt: 0)
                cursor += 1
                preferReady = true
            } else {
                return nil
            }
            if outcome[probe.index] != 0 { continue }
            let host = probe.index / ports.count
            if Int(hostInFlight[host]) >= configuration.maxInFlightPerHost {
                blocked[host, default: ProbeQueue()].push(probe)
                continue
            }
            return probe
        }
    }

    /// Opens a socket and starts the connection.
    /// - Returns: false when local resource pressure stopped it (the probe is requeued).
    private func launch(_ probe: PendingProbe, now: UInt64) throws -> Bool {
        let host = probe.index / ports.count
        let address = hosts[host]
        let fd = Kernel.openTCPSocket(ipv6: !address.isIPv4)
        if fd < 0 {
            let outcome = ConnectOutcome.classify(-fd)
            if case .pressure = outcome {
                notePressure(-fd, probe, now: now)
                return false
            }
            finish(probe.index, .localError, now: now)
            return true
        }
        if hostStarted[host] == 0 { hostStarted[host] = now }
        statistics.probesSent += 1
        if probe.attempt > 0 { statistics.retries += 1 }
        var code = Kernel.connect(fd, to: address, port: ports[probe.index % ports.count])
        if case .final(.noRoute) = ConnectOutcome.classifySynchronous(code) {
            Kernel.close(fd)
            statistics.probesSent -= 1
            if probe.attempt > 0 { statistics.retries -= 1 }
            noteNoRoute(host: host)
            finish(probe.index, .noRoute, now: now)
            return true
        }
        if code == Kernel.Errno.inProgress, address.isLoopback {
            // On loopback the target's RST has usually been processed before connect() returns:
            // reading SO_ERROR now settles a refused probe without an epoll round trip. 0 means
            // "still pending or connected", so those still go through epoll.
            let pending = Kernel.pendingError(fd)
            if pending != 0 { code = pending }
        }
        if code == Kernel.Errno.inProgress {
            let failure = epoll?.add(fd, events: Epoll.connectEvents) ?? Kernel.Errno.notPermitted
            guard failure == 0 else {
                Kernel.close(fd)
                throw ScanError(.eventLoop, "epoll_ctl failed: \(Kernel.describe(errno: failure))")
            }
            track(fd: fd, probe: probe, now: now)
            return true
        }
        // Finished synchronously (common on loopback): handle inline.
        let selfConnected = code == 0 && Kernel.isSelfConnected(fd)
        if code == 0 { Kernel.closeAbortively(fd) } else { Kernel.close(fd) }
        if case .pressure = ConnectOutcome.classify(code) {
            statistics.probesSent -= 1
            if probe.attempt > 0 { statistics.retries -= 1 }
            notePressure(code, probe, now: now)
            return false
        }
        pressureRoundsIdle = 0
        try settle(probe, code: code, selfConnected: selfConnected, sentAt: now, now: now)
        return true
    }

    private func track(fd: Int32, probe: PendingProbe, now: UInt64) {
        let index = Int(fd)
        if index >= slots.count { slots.append(contentsOf: repeatElement(Slot(), count: index + 1 - slots.count)) }
        generation &+= 1
        slots[index] = Slot(
            index: probe.index, attempt: probe.attempt, sentAt: now, generation: generation, active: true)
        let host = probe.index / ports.count
        let deadline = now + UInt64(max(1, timeout(host: host))) * 1000
        heap.push(.init(deadline: deadline, fd: fd, generation: generation))
        inFlight += 1
        hostInFlight[host] += 1
        pressureRoundsIdle = 0
        statistics.peakInFlight = max(statistics.peakInFlight, inFlight)
    }

    /// A socket became writable or errored: read `SO_ERROR`, close, classify.
    func handleEvent(fd: Int32, now: UInt64) throws {
        let index = Int(fd)
        guard index < slots.count, slots[index].active else { return }
        let slot = slots[index]
        slots[index].active = false
        let code = Kernel.pendingError(fd)
        // With IPV6_RECVERR an EPOLLERR may come from the error queue alone: no error and no peer
        // means nothing was learned (never an open port); it counts as silent.
        let unconnected = code == 0 && !Kernel.isConnected(fd)
        let selfConnected = code == 0 && !unconnected && Kernel.isSelfConnected(fd)
        if code == 0 { Kernel.closeAbortively(fd) } else { Kernel.close(fd) }
        release(host: slot.index / ports.count)
        let probe = PendingProbe(index: slot.index, attempt: slot.attempt)
        if unconnected {
            silent(probe, now: now)
            return
        }
        if case .pressure = ConnectOutcome.classify(code) {
            notePressure(code, probe, now: now)
            return
        }
        try settle(probe, code: code, selfConnected: selfConnected, sentAt: slot.sentAt, now: now)
    }

    /// Probes whose deadline passed are silent: close them and retry or give up.
    func expireTimeouts(now: UInt64) throws {
        while let entry = heap.popExpired(now: now) {
            let index = Int(entry.fd)
            guard index < slots.count, slots[index].active, slots[index].generation == entry.generation else {
                continue
            }
            let slot = slots[index]
            slots[index].active = false
            // An ICMP error that arrived while connect() still owned the socket is only a soft
            // error (sk_err_soft, no wake-up): SO_ERROR still reports it, so read it before giving
            // the probe up as silent. No RTT sample: the delay is our timeout, not the path's.
            let late = ConnectOutcome.classify(Kernel.pendingError(entry.fd))
            // It may have connected since the last epoll_wait: never leave a TIME_WAIT behind.
            Kernel.closeAbortively(entry.fd)
            release(host: slot.index / ports.count)
            if case .final(let reason) = late, reason.isICMPError {
                statistics.lateICMPErrors += 1
                finish(slot.index, reason, now: now)
            } else {
                silent(PendingProbe(index: slot.index, attempt: slot.attempt), now: now)
            }
        }
    }

    /// Applies the classification of a finished connection attempt.
    private func settle(_ probe: PendingProbe, code: Int32, selfConnected: Bool, sentAt: UInt64, now: UInt64) throws {
        if selfConnected {
            statistics.selfConnects += 1
            silent(probe, now: now)
            return
        }
        switch ConnectOutcome.classify(code) {
        case .final(let reason):
            let host = probe.index / ports.count
            if reason.isRTTSample {
                let delta = Int64(now - sentAt) / 1000
                hostEstimators[host].add(sample: delta)
                globalEstimator.add(sample: delta)
                if probe.attempt > Int(maxSuccessfulTry[host]) {
                    maxSuccessfulTry[host] = Int8(clamping: probe.attempt)
                }
            }
            if reason == .localPolicy {
                statistics.localPolicyDrops += 1
                if !warnedLocalPolicy {
                    warnedLocalPolicy = true
                    logger.warning(
                        "this host's own firewall refused a probe (EPERM); such ports are marked local-policy")
                }
            }
            finish(probe.index, reason, now: now)
        case .silent:
            silent(probe, now: now)
        case .pressure:
            notePressure(code, probe, now: now)
        case .abort:
            throw ScanError(
                .networkDown,
                "the local network went down (ENETDOWN) while scanning \(hosts[probe.index / ports.count])")
        }
        growWindow(now: now)
    }

    /// A probe got no answer: retry it in a later slot while the host's loss evidence allows.
    private func silent(_ probe: PendingProbe, now: UInt64) {
        let host = probe.index / ports.count
        let allowed = min(configuration.maxRetries, max(1, Int(maxSuccessfulTry[host]) + 1))
        if probe.attempt < allowed, outcome[probe.index] == 0, !hostAbandoned[host] {
            ready.push(PendingProbe(index: probe.index, attempt: probe.attempt + 1))
        } else {
            finish(probe.index, .noResponse, now: now)
        }
    }

    /// Records the final reason of a probe (the first one wins).
    func finish(_ index: Int, _ reason: ProbeReason, now: UInt64) {
        guard outcome[index] == 0 else { return }
        outcome[index] = reason.rawValue
        finishedAt[index] = UInt32(clamping: (now &- startMonotonic) / 1_000_000)
        done += 1
        let host = index / ports.count
        hostRemaining[host] -= 1
        switch reason.state {
        case .open: statistics.open += 1
        case .closed: statistics.closed += 1
        default: if reason != .noRoute { statistics.filtered += 1 }
        }
        if reason.isRTTSample {
            noteAnswer(host: host, port: ports[index % ports.count], open: reason == .synAck, now: now)
        }
    }

    /// Counts a probe our own stack could not route and remembers its host (once).
    private func noteNoRoute(host: Int) {
        statistics.noRouteProbes += 1
        if !hostUnroutable[host] {
            hostUnroutable[host] = true
            statistics.unroutableHosts.append(hosts[host])
        }
    }

    private func release(host: Int) {
        inFlight -= 1
        hostInFlight[host] -= 1
        if let probe = blocked[host]?.pop() { ready.push(probe) }
        if blocked[host]?.isEmpty == true { blocked[host] = nil }
    }

    /// Moves blocked probes of hosts below their in-flight cap to the ready queue. Needed because
    /// probes settled synchronously (loopback) never pass through `release`.
    /// - Returns: whether any probe moved.
    private func unblockHostsBelowCap() -> Bool {
        var moved = false
        for host in Array(blocked.keys) {
            var room = configuration.maxInFlightPerHost - Int(hostInFlight[host])
            while room > 0, let probe = blocked[host]?.pop() {
                ready.push(probe)
                room -= 1
                moved = true
            }
            if blocked[host]?.isEmpty == true { blocked[host] = nil }
        }
        return moved
    }

    /// Local resource pressure: requeue the probe and shrink the window by 10%.
    private func notePressure(_ code: Int32, _ probe: PendingProbe, now: UInt64) {
        statistics.requeued += 1
        if code == Kernel.Errno.addressNotAvailable { statistics.addressNotAvailable += 1 }
        if code == Kernel.Errno.tooManyFiles || code == Kernel.Errno.tableFull {
            statistics.outOfDescriptors += 1
        }
        ready.push(probe)
        window = max(1, window * 0.9)
        statistics.smallestWindow = min(statistics.smallestWindow, Int(window))
        lastPressure = now
        if inFlight == 0 { pressureRoundsIdle += 1 }
        if !warnedPressure {
            warnedPressure = true
            logger.notice(
                "local resource pressure (\(Kernel.describe(errno: code))): window shrunk to \(Int(window))")
        }
    }

    /// After a quiet second, grow the window back slowly (one probe per ten completions).
    private func growWindow(now: UInt64) {
        guard window < Double(maxWindow), now - lastPressure > 1_000_000_000 else { return }
        window = min(Double(maxWindow), window + 0.1)
    }

    /// Gives up on hosts that exceeded the host timeout: their unfinished ports become
    /// `filtered`/`host-timeout`.
    func abandonSlowHosts(now: UInt64) {
        guard let limit = configuration.hostTimeout?.microseconds else { return }
        for host in hosts.indices where !hostAbandoned[host] && hostStarted[host] != 0 && hostRemaining[host] > 0 {
            guard Int64((now - hostStarted[host]) / 1000) > limit else { continue }
            statistics.hostsTimedOut += 1
            abandon(host: host, reason: .hostTimeout, now: now)
        }
    }
}
