import Logging
import PortwardenCore

/// Sending what the scheduler decides and reporting expired deadlines.
extension SYNEngine {
    /// Sends probes while the scheduler allows (at most 512 before replies are read again).
    /// - Returns: when to wake up at the latest for the next send (`nil`: only events matter).
    /// - Throws: ``ScanError`` with `networkDown` when the interface went down.
    func sendBatch(now: UInt64) throws -> UInt64? {
        for _ in 0..<512 {
            switch scheduler.next(now: now) {
            case .send(let probe):
                if try !send(probe, now: now) { return now + 1_000_000 }
            case .wait(let until): return until
            case .idle, .done: return nil
            }
        }
        return now
    }

    /// Builds and sends one probe. - Returns: false on local buffer pressure (requeued).
    private func send(_ probe: PendingProbe, now: UInt64) throws -> Bool {
        let index = probe.index
        let host = scheduler.host(of: index)
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
        let failure: SYNReason
        switch code {
        case 0:
            scheduler.sent(probe, now: now)
            return true
        case E.noBuffers, E.again:
            scheduler.pressure(probe, now: now)
            return false
        case E.notPermitted, E.accessDenied:
            counters.localPolicyDrops += 1
            failure = .localPolicy
        case E.networkUnreachable: failure = .networkUnreachable
        case E.hostUnreachable: failure = .hostUnreachable
        case E.networkDown:
            throw ScanError(.networkDown, "the network went down while sending to \(hosts[host])")
        default:
            logger.debug("sendto \(hosts[host]):\(port) failed: \(Kernel.describe(errno: code))")
            failure = .localError
        }
        scheduler.conclude(index, code: failure.rawValue, state: failure.state, now: now)
        return true
    }

    /// Reports every expired deadline as silence: the scheduler retries while the host's
    /// evidence of loss allows, else concludes `filtered`/`no-response` (docs/scanning.md).
    func expire(now: UInt64) {
        while let probe = scheduler.expired(now: now) {
            scheduler.silent(index: probe.index, attempt: probe.attempt, now: now)
        }
    }
}
