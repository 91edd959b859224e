import Logging
import PortwardenCore

/// Sending connection attempts and turning their results into scheduler events.
extension ConnectEngine {
    /// Sends probes while the scheduler allows.
    func issue(now: UInt64) throws -> IssueStop {
        var launched = 0
        while true {
            // Probes settled synchronously (loopback) never fill the window: hand control back
            // now and then so that timeouts, host timeouts and progress still run.
            if launched >= 4096 { return .batch }
            switch scheduler.next(now: now) {
            case .send(let probe):
                launched += 1
                if try !launch(probe, now: now) { return .pressure }
            case .wait(let until): return .rate(until > now ? until - now : 0)
            case .idle: return .capacity
            case .done: return .exhausted
            }
        }
    }

    /// Opens a socket and starts the connection.
    /// - Returns: false when local resource pressure stopped it (the probe is requeued).
    private func launch(_ probe: PendingProbe, now: UInt64) throws -> Bool {
        let address = hosts[scheduler.host(of: probe.index)]
        let fd = Kernel.openTCPSocket(ipv6: !address.isIPv4)
        if fd < 0 {
            if case .pressure = ConnectOutcome.classify(-fd) {
                notePressure(-fd, probe, now: now)
                return false
            }
            scheduler.conclude(probe.index, code: ProbeReason.localError.rawValue, state: .filtered, now: now)
            return true
        }
        var code = Kernel.connect(fd, to: address, port: ports[probe.index % ports.count])
        if case .final(.noRoute) = ConnectOutcome.classifySynchronous(code) {
            Kernel.close(fd)
            noteNoRoute(host: scheduler.host(of: probe.index))
            scheduler.conclude(probe.index, code: ProbeReason.noRoute.rawValue, state: nil, now: now)
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
            track(fd: fd, probe: probe)
            scheduler.sent(probe, now: now)
            return true
        }
        // Finished synchronously (common on loopback): handle inline.
        let selfConnected = code == 0 && Kernel.isSelfConnected(fd)
        if code == 0 { Kernel.closeAbortively(fd) } else { Kernel.close(fd) }
        if case .pressure = ConnectOutcome.classify(code) {
            notePressure(code, probe, now: now)
            return false
        }
        scheduler.sent(probe, now: now)
        try settle(probe, code: code, selfConnected: selfConnected, now: now)
        return true
    }

    private func track(fd: Int32, probe: PendingProbe) {
        let index = Int(fd)
        if index >= slots.count { slots.append(contentsOf: repeatElement(Slot(), count: index + 1 - slots.count)) }
        slots[index] = Slot(probe: probe, active: true)
        descriptors[probe.index] = fd
    }

    private func untrack(fd: Int32) -> PendingProbe? {
        let index = Int(fd)
        guard index < slots.count, slots[index].active else { return nil }
        slots[index].active = false
        let probe = slots[index].probe
        if descriptors[probe.index] == fd { descriptors[probe.index] = nil }
        return probe
    }

    /// A socket became writable or errored: read `SO_ERROR`, close, classify.
    func handleEvent(fd: Int32, now: UInt64) throws {
        guard let probe = untrack(fd: fd) else { return }
        let code = Kernel.pendingError(fd)
        // With IPV6_RECVERR an EPOLLERR may come from the error queue alone: no error and no peer
        // means nothing was learned (never an open port); it counts as silent.
        let unconnected = code == 0 && !Kernel.isConnected(fd)
        let selfConnected = code == 0 && !unconnected && Kernel.isSelfConnected(fd)
        if code == 0 { Kernel.closeAbortively(fd) } else { Kernel.close(fd) }
        if unconnected {
            scheduler.silent(index: probe.index, attempt: probe.attempt, now: now)
            return
        }
        if case .pressure = ConnectOutcome.classify(code) {
            notePressure(code, probe, now: now)
            return
        }
        try settle(probe, code: code, selfConnected: selfConnected, now: now)
    }

    /// Probes whose deadline passed are silent: close them and let the scheduler retry or give up.
    func expireTimeouts(now: UInt64) {
        while let probe = scheduler.expired(now: now) {
            guard let fd = descriptors[probe.index], untrack(fd: fd) != nil else {
                scheduler.silent(index: probe.index, attempt: probe.attempt, now: now)
                continue
            }
            // An ICMP error that arrived while connect() still owned the socket is only a soft
            // error (sk_err_soft, no wake-up): SO_ERROR still reports it, so read it before giving
            // the probe up as silent. No RTT sample: the delay is our timeout, not the path's.
            let late = ConnectOutcome.classify(Kernel.pendingError(fd))
            // It may have connected since the last epoll_wait: never leave a TIME_WAIT behind.
            Kernel.closeAbortively(fd)
            if case .final(let reason) = late, reason.isICMPError {
                counters.lateICMPErrors += 1
                scheduler.answered(
                    index: probe.index, attempt: probe.attempt, code: reason.rawValue, state: reason.state,
                    sample: false, now: now)
            } else {
                scheduler.silent(index: probe.index, attempt: probe.attempt, now: now)
            }
        }
    }

    /// Applies the classification of a finished connection attempt.
    private func settle(_ probe: PendingProbe, code: Int32, selfConnected: Bool, now: UInt64) throws {
        if selfConnected {
            counters.selfConnects += 1
            scheduler.silent(index: probe.index, attempt: probe.attempt, now: now)
            return
        }
        switch ConnectOutcome.classify(code) {
        case .final(let reason):
            if reason == .localPolicy { noteLocalPolicy() }
            let flagged = scheduler.tarpitHosts.count
            scheduler.answered(
                index: probe.index, attempt: probe.attempt, code: reason.rawValue, state: reason.state,
                sample: reason.isRTTSample, now: now)
            if scheduler.tarpitHosts.count > flagged { warnTarpit(host: scheduler.host(of: probe.index)) }
        case .silent:
            scheduler.silent(index: probe.index, attempt: probe.attempt, now: now)
        case .pressure:
            notePressure(code, probe, now: now)
        case .abort:
            throw ScanError(
                .networkDown,
                "the local network went down (ENETDOWN) while scanning \(hosts[scheduler.host(of: probe.index)])")
        }
    }

    /// Counts a probe our own stack could not route and remembers its host (once).
    private func noteNoRoute(host: Int) {
        counters.noRouteProbes += 1
        if unroutable.insert(host).inserted { counters.unroutableHosts.append(hosts[host]) }
    }

    private func noteLocalPolicy() {
        counters.localPolicyDrops += 1
        guard !warnedLocalPolicy else { return }
        warnedLocalPolicy = true
        logger.warning("this host's own firewall refused a probe (EPERM); such ports are marked local-policy")
    }

    /// Local resource pressure: the scheduler requeues the probe and shrinks the window.
    private func notePressure(_ code: Int32, _ probe: PendingProbe, now: UInt64) {
        if code == Kernel.Errno.addressNotAvailable { counters.addressNotAvailable += 1 }
        if code == Kernel.Errno.tooManyFiles || code == Kernel.Errno.tableFull { counters.outOfDescriptors += 1 }
        scheduler.pressure(probe, now: now)
        if !warnedPressure {
            warnedPressure = true
            logger.notice(
                "local resource pressure (\(Kernel.describe(errno: code))): window shrunk to \(Int(scheduler.window))")
        }
    }
}
