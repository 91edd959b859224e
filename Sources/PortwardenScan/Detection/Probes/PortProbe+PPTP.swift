/// PPTP: a Start-Control-Connection-Request on tcp/1723. Any Start-Control-Connection-Reply proves
/// a PPTP server, whose only authentication is MS-CHAPv2 inside PPP: its exchange lets whoever
/// captures it recover the credential (`INS-PPTP`). The probe asks for no call and stops the
/// control connection after the reply, before any authentication.
extension PortProbe {
    /// Sends the request; true when a reply came back (the service is PPTP).
    mutating func probePPTP(on connection: ProbeConnection) -> Bool {
        guard connection.send(PPTPControl.request) else { return false }
        let answer = connection.receive { PPTPControl.parse($0) != .incomplete }
        guard case .reply(let reply) = PPTPControl.parse(answer) else { return false }
        connection.send(PPTPControl.stopRequest)
        result.identify("pptp")
        if let vendor = reply.vendor { result.details["pptp.vendor"] = vendor }
        if let host = reply.hostName { result.details["pptp.hostname"] = host }
        result.record(Self.pptpRule, .confirmed, detail: PPTPControl.describe(reply))
        return true
    }

    static let pptpRule = "INS-PPTP"
}
