import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension UDPScanEngine {
    /// Reads what a ready socket has: its error queue first (the ICMP type and code explain the
    /// errno that `recv` would report), then its datagrams.
    func handleReadable(_ fd: Int32) {
        guard var flight = inFlight[fd] else { return }
        drainErrorQueue(fd, &flight)
        drainDatagrams(fd, &flight)
        let now = Kernel.monotonicNanoseconds()
        if flight.replies > 0 {
            if flight.replies >= flight.expectedReplies, !flight.followUpPending {
                finish(fd, flight)
                return
            }
            // Wait a little for the answers to the probe's other datagrams (SNMP v1/v2c/v3); a
            // follow-up keeps the host's timeout it was sent with.
            if !flight.followUpPending {
                let grace = UInt64(max(0, configuration.replyGrace.microseconds)) * 1000
                flight.deadline = min(flight.deadline, now + grace)
            }
        } else if flight.verdict != nil {
            finish(fd, flight)
            return
        }
        inFlight[fd] = flight
    }

    /// Dequeues every error-queue entry; the first one that names a state decides it.
    private func drainErrorQueue(_ fd: Int32, _ flight: inout InFlight) {
        while let control = Kernel.receiveError(fd), !control.isEmpty {
            for entry in UDPErrorQueueEntry.parse(control: control) {
                statistics.icmpErrors += 1
                if flight.verdict == nil, let verdict = UDPVerdict.classify(entry) { flight.verdict = verdict }
            }
        }
    }

    /// Reads every queued datagram. A reply makes the port open, whatever ICMP said before;
    /// `ECONNREFUSED` without a queued entry still means port unreachable.
    private func drainDatagrams(_ fd: Int32, _ flight: inout InFlight) {
        let address = hosts[flight.probe.host].address
        for _ in 0..<64 {
            let (count, source) = Kernel.receive(fd, into: &buffer)
            if count < 0 {
                let code = Int32(-count)
                if code == Kernel.Errno.again || code == Kernel.Errno.interrupted { return }
                if flight.verdict == nil, let verdict = UDPVerdict.classify(errno: code) { flight.verdict = verdict }
                continue
            }
            // An unconnected (TFTP) socket accepts any sender: keep only the target's replies.
            if !flight.connected, source != address { continue }
            statistics.responses += 1
            let reply = Array(buffer.prefix(count))
            // An answer to the second round trip: no RTT sample, no loss evidence (both belong to
            // the first datagrams), and not one of the first round's expected replies.
            if !flight.followUps.isEmpty, recordFollowUpAnswer(reply, &flight) { continue }
            if flight.replies == 0, flight.probe.tries == 0 {
                let delta = Int64(Kernel.monotonicNanoseconds() - flight.sentAt) / 1000
                hosts[flight.probe.host].estimator.add(sample: delta)
            }
            hosts[flight.probe.host].maxSuccessfulTry = max(
                hosts[flight.probe.host].maxSuccessfulTry, flight.probe.tries)
            flight.replies += 1
            flight.verdict = .response
            let recognised =
                configuration.protocolPayloads
                ? UDPPayloads.recognise(port: flight.probe.port, reply: reply, cookie: flight.cookie) : nil
            if let recognised {
                flight.service = flight.service ?? recognised.service
                for handshake in recognised.handshakes { flight.handshakes[handshake] = "confirmed" }
                if flight.followUps.isEmpty { startFollowUp(fd, reply, &flight) }
            } else {
                statistics.unrecognisedReplies += 1
            }
        }
    }

    /// Closes a probe with a verdict and records its outcome.
    private func finish(_ fd: Int32, _ flight: InFlight) {
        epoll.remove(fd)
        Kernel.close(fd)
        inFlight[fd] = nil
        let followUp = UDPPayloads.followUpVerdicts(port: flight.probe.port, answers: flight.followUpAnswers)
        record(
            flight.probe,
            Outcome(
                verdict: flight.verdict ?? .silence, service: flight.service,
                handshakes: flight.handshakes.merging(followUp.handshakes) { first, _ in first },
                details: flight.details.merging(followUp.details) { first, _ in first }, time: Date()))
    }

    /// Ends probes past their deadline: answered ones are recorded, silent ones retried while the
    /// host's loss evidence allows (docs/scanning.md), then recorded as `open|filtered`.
    func expire(now: UInt64) {
        let due = inFlight.filter { $0.value.deadline <= now }
        for (fd, var flight) in due {
            if flight.followUpPending, !flight.followUpResent {
                resendFollowUps(fd, &flight)
                inFlight[fd] = flight
                continue
            }
            if flight.verdict != nil {
                finish(fd, flight)
                continue
            }
            let host = hosts[flight.probe.host]
            let allowed = min(configuration.maxRetries, max(1, host.maxSuccessfulTry + 1))
            if flight.probe.tries < allowed {
                epoll.remove(fd)
                Kernel.close(fd)
                inFlight[fd] = nil
                var retry = flight.probe
                retry.tries += 1
                requeueBack(retry)
            } else {
                finish(fd, flight)
            }
        }
    }
}
