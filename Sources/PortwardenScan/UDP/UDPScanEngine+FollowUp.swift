import PortwardenCore

extension UDPScanEngine {
    /// Sends the second round trip a first reply asks for (`UDPPayloads.followUp`, the SNMPv3
    /// users after the discovery Report) on the probe's socket, and gives it the host's timeout
    /// from now. Nothing is sent when the reply asks for none.
    func startFollowUp(_ fd: Int32, _ reply: [UInt8], _ flight: inout InFlight) {
        guard configuration.protocolPayloads else { return }
        let next = UDPPayloads.followUp(
            port: flight.probe.port, reply: reply, cookie: flight.cookie, configuration: configuration)
        guard !next.datagrams.isEmpty else { return }
        flight.followUps = next.datagrams
        flight.details.merge(next.details) { first, _ in first }
        sendFollowUps(fd, &flight, indices: Array(next.datagrams.indices))
    }

    /// At the follow-up's deadline: sends the unanswered follow-up datagrams once more (never a
    /// new discovery), with another host timeout. A second silence leaves those users without a
    /// verdict: absent, never negative.
    func resendFollowUps(_ fd: Int32, _ flight: inout InFlight) {
        flight.followUpResent = true
        let missing = flight.followUps.indices.filter { flight.followUpAnswers[$0] == nil }
        sendFollowUps(fd, &flight, indices: missing)
    }

    /// Records an answer to a follow-up datagram.
    /// - Returns: whether `reply` answered one (otherwise it is a first-round reply).
    func recordFollowUpAnswer(_ reply: [UInt8], _ flight: inout InFlight) -> Bool {
        guard
            let recognised = UDPPayloads.recogniseFollowUp(
                port: flight.probe.port, reply: reply, cookie: flight.cookie, configuration: configuration),
            flight.followUps.indices.contains(recognised.index)
        else { return false }
        if flight.followUpAnswers[recognised.index] == nil {
            flight.followUpAnswers[recognised.index] = recognised.answer
        }
        return true
    }

    /// Sends the follow-up datagrams at `indices`, counting each one sent; a send that fails
    /// leaves its answer missing (no verdict), not the port's state changed.
    private func sendFollowUps(_ fd: Int32, _ flight: inout InFlight, indices: [Int]) {
        let address = hosts[flight.probe.host].address
        for index in indices {
            let datagram = flight.followUps[index]
            let code =
                flight.connected
                ? Kernel.send(fd, datagram)
                : datagram.withUnsafeBytes { Kernel.sendTo(fd, $0, address: address, port: flight.probe.port) }
            if code == 0 { statistics.datagramsSent += 1 }
        }
        flight.deadline = Kernel.monotonicNanoseconds() + timeout(host: flight.probe.host)
    }
}
