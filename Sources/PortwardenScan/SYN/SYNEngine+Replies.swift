import PortwardenCore

/// Reading the capture socket and attributing replies to probes by their cookie.
extension SYNEngine {
    /// Reads every queued packet.
    func receiveAll(now: UInt64) {
        while true {
            let length = receiveBuffer.withUnsafeMutableBytes { Kernel.receivePacket(captureSocket, into: $0) }
            if length < 0 { return }
            if length == 0 { continue }
            let reply = receiveBuffer.withUnsafeBytes {
                SYNReplyParser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<min(length, $0.count)]))
            }
            switch reply {
            case .success(.tcp(let segment)): handle(segment, now: now)
            case .success(.unreachable(let message)): handle(message, now: now)
            case .failure(let rejection): rejected[rejection, default: 0] += 1
            }
        }
    }

    /// The probe index and try a reply names, when the reply is ours.
    private func probe(
        target: UInt32, port: UInt16, local: UInt32, localPort: UInt16
    ) -> (index: Int, host: Int, attempt: Int)? {
        guard let attempt = cookie.attempt(sourcePort: localPort), let host = hostIndex[target],
            let portIndex = portIndex[port], hostSource[host] == local
        else { return nil }
        let index = host * ports.count + portIndex
        guard attempt < Int(scheduler.tries[index]) else { return nil }
        return (index, host, attempt)
    }

    /// The probe an answer belongs to when it matches one of ours, carries our cookie and is the
    /// first answer for that probe; counts unmatched and duplicate answers otherwise.
    private func firstAnswer(
        _ match: (index: Int, host: Int, attempt: Int)?, cookieAccepted: () -> Bool
    ) -> (index: Int, host: Int, attempt: Int)? {
        guard let match, cookieAccepted() else {
            unmatched += 1
            return nil
        }
        guard scheduler.outcome[match.index] == 0 else {
            duplicates += 1
            return nil
        }
        return match
    }

    private func handle(_ segment: SYNReply.TCPSegment, now: UInt64) {
        let match = probe(
            target: segment.source, port: segment.sourcePort, local: segment.destination,
            localPort: segment.destinationPort)
        guard let (index, host, attempt) = firstAnswer(match, cookieAccepted: { cookie.accepts(segment) }) else {
            return
        }
        let reason: SYNReason = segment.isSYNACK ? .synAck : .reset
        let flagged = scheduler.tarpitHosts.count
        scheduler.answered(
            index: index, attempt: attempt, code: reason.rawValue, state: reason.state, sample: true, now: now)
        if scheduler.tarpitHosts.count > flagged { warnTarpit(host: host) }
    }

    private func handle(_ message: SYNReply.ICMPUnreachable, now: UInt64) {
        let match = probe(
            target: message.probeDestination, port: message.probeDestinationPort, local: message.probeSource,
            localPort: message.probeSourcePort)
        guard let (index, _, attempt) = firstAnswer(match, cookieAccepted: { cookie.accepts(message) }) else {
            return
        }
        // ICMP is rate limited: it proves the try arrived but never feeds the RTT estimator.
        let reason = SYNReason.unreachable(code: message.code)
        scheduler.answered(
            index: index, attempt: attempt, code: reason.rawValue, state: reason.state, sample: false, now: now)
    }
}
