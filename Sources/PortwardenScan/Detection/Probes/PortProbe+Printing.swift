/// Printers: LPD on tcp/515 is asked for the short queue state of one queue and judged by its
/// answer (`INS-LPD`); the raw print ports 9100–9107 (JetDirect, AppSocket) get no bytes at all,
/// since a raw port prints whatever arrives (`INS-JETDIRECT` stays port-only there).
extension PortProbe {
    /// The LPD port.
    static let lpdPort: UInt16 = 515
    /// Raw print ports: whatever a client sends is printed, so no probe writes to them.
    static let rawPrintPorts: ClosedRange<UInt16> = 9100...9107

    /// Sends the queue-state command; true when an LPD answer came back (the service is LPD).
    mutating func probeLPD(on connection: ProbeConnection) -> Bool {
        guard connection.send(LPDQueueState.command) else { return false }
        let answer = connection.receive {
            if case .refused = LPDQueueState.parse($0, closed: false) { return true }
            return false
        }
        guard case .answer(let lines) = LPDQueueState.parse(answer, closed: connection.peerClosed) else { return false }
        result.identify("printer")
        result.record(Self.lpdRule, .confirmed, detail: LPDQueueState.describe(lines))
        return true
    }

    static let lpdRule = "INS-LPD"
}
