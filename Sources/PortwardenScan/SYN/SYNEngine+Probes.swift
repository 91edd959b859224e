/// Sending probes, expiring deadlines and loss-driven retries.
extension SYNEngine {
    /// The next probe to send: retries first, then the permutation; finished probes are skipped.
    private func nextProbe() -> PendingProbe? {
        while let probe = retryQueue.pop() {
            if outcome[probe.index] == 0 { return probe }
        }
        while cursor < UInt64(total) {
            let index = Int(permutation.map(cursor))
            cursor += 1
            if outcome[index] == 0 { return PendingProbe(index: index, attempt: 0) }
        }
        return nil
    }

    /// Sends probes while the window, the per-host cap and the token bucket allow.
    /// - Throws: ``ScanError`` with `networkDown` when the interface went down.
    func sendBatch(now: UInt64) throws {
        var deferred: [PendingProbe] = []
        defer { for probe in deferred { retryQueue.push(probe) } }
        let perHost = max(1, configuration.maxInFlightPerHost)
        var budget = statistics.initialWindow - inFlightCount
        var skips = 0
        while budget > 0, skips < 4096 {
            guard let probe = nextProbe() else { return }
            let host = probe.index / ports.count
            if hostInFlight[host] >= perHost {
                deferred.append(probe)
                skips += 1
                continue
            }
            if var limiter = bucket {
                let allowed = limiter.take(now: now)
                bucket = limiter
                guard allowed else {
                    deferred.append(probe)
                    return
                }
            }
            switch try send(probe, now: now) {
            case .sent: budget -= 1
            case .finished: continue
            case .pressure:
                deferred.append(probe)
                return
            }
        }
    }

    enum SendOutcome {
        case sent
        case finished
        case pressure
    }

    private func send(_ probe: PendingProbe, now: UInt64) throws -> SendOutcome {
        let index = probe.index
        let host = index / ports.count
        let port = ports[index % ports.count]
        let destination = hosts[host].ipv4Value
        let source = hostSource[host]
        let sourcePort = cookie.sourcePort(target: destination, port: port, attempt: probe.attempt)
        identification &+= 1
        let probePacket = SYNPacket(
            source: source, destination: destination, sourcePort: sourcePort, destinationPort: port,
            sequence: cookie.cookie(
                source: source, destination: destination, sourcePort: sourcePort, destinationPort: port),
            identification: identification)
        let code = packet.withUnsafeMutableBytes { buffer -> Int32 in
            probePacket.write(into: buffer)
            return Kernel.sendTo(sendSocket, UnsafeRawBufferPointer(buffer), address: hosts[host], port: 0)
        }
        typealias E = Kernel.Errno
        switch code {
        case 0: break
        case E.noBuffers, E.again:
            statistics.requeued += 1
            return .pressure
        case E.notPermitted, E.accessDenied:
            finish(index, .localPolicy, now: now)
            return .finished
        case E.networkUnreachable:
            finish(index, .networkUnreachable, now: now)
            return .finished
        case E.hostUnreachable:
            finish(index, .hostUnreachable, now: now)
            return .finished
        case E.networkDown:
            throw ScanError(.networkDown, "the network went down while sending to \(hosts[host])")
        default:
            logger.debug("sendto \(hosts[host]):\(port) failed: \(Kernel.describe(errno: code))")
            finish(index, .localError, now: now)
            return .finished
        }
        statistics.probesSent += 1
        if probe.attempt > 0 { statistics.retries += 1 }
        if hostFirstSent[host] == 0 { hostFirstSent[host] = now }
        attempts[index] = UInt8(probe.attempt + 1)
        sentAt[index] = now
        inFlight[index] = true
        inFlightCount += 1
        hostInFlight[host] += 1
        statistics.peakInFlight = max(statistics.peakInFlight, inFlightCount)
        let deadline = now + UInt64(timeout(host: host)) * 1000
        heap.push(TimeoutHeap.Entry(deadline: deadline, fd: Int32(index), generation: UInt32(probe.attempt)))
        return .sent
    }

    /// Handles expired deadlines: retry while the host's evidence of loss allows, else
    /// `filtered`/`no-response` (scanning.md §4).
    func expire(now: UInt64) {
        while let entry = heap.popExpired(now: now) {
            let index = Int(entry.fd)
            let attempt = Int(entry.generation)
            guard outcome[index] == 0, inFlight[index], Int(attempts[index]) == attempt + 1 else { continue }
            inFlight[index] = false
            inFlightCount -= 1
            let host = index / ports.count
            hostInFlight[host] -= 1
            let allowed = min(maxTries - 1, max(1, hostBestTry[host] + 1))
            if attempt < allowed {
                retryQueue.push(PendingProbe(index: index, attempt: attempt + 1))
            } else {
                finish(index, .noResponse, now: now)
            }
        }
    }

    /// Abandons hosts that ran past the host timeout (checked at most ten times a second).
    func checkHostTimeouts(now: UInt64) {
        guard let limit = configuration.hostTimeout, now &- lastHostTimeoutCheck >= 100_000_000 else { return }
        lastHostTimeoutCheck = now
        let limitNanoseconds = UInt64(limit.microseconds) * 1000
        for host in hosts.indices where !hostTimedOut[host] && hostFirstSent[host] != 0 {
            guard now &- hostFirstSent[host] > limitNanoseconds else { continue }
            hostTimedOut[host] = true
            statistics.hostsTimedOut += 1
            for port in ports.indices { finish(host * ports.count + port, .hostTimeout, now: now) }
        }
    }
}
