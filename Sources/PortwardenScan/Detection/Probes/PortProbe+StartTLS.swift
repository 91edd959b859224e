/// STARTTLS: the TLS that SMTP, IMAP, POP3 and FTP offer in place is probed after the upgrade,
/// with the same ClientHellos as a TLS port, so the TLS-quality rules (`INS-TLS-OLD`,
/// `INS-TLS-WEAK-CIPHER`, `INS-TLS-CERT…`) judge these services too.
extension PortProbe {
    /// Reads the greeting on a fresh `connection` and asks for TLS (after `EHLO` for SMTP); true
    /// when the server agreed, so that a ClientHello may follow on the same connection.
    func upgrade(_ connection: ProbeConnection, _ kind: StartTLS) -> Bool {
        let greeting = connection.receive { kind.isComplete($0, greeting: true) }
        guard kind.greetingIsReady(greeting) else { return false }
        if kind == .smtp {
            guard connection.send("EHLO \(Self.clientName)\r\n"),
                SMTPExtensions.parse(connection.receive { Self.replyIsComplete($0) })?.startTLS == true
            else { return false }
        }
        guard connection.send(kind.command) else { return false }
        return kind.accepts(connection.receive { kind.isComplete($0, greeting: false) })
    }

    /// Probes the TLS behind `kind` on fresh, upgraded connections: versions, weak suites and the
    /// certificate. Records `<kind>.starttls` as `accepted`, `refused` or `accepted, but no TLS
    /// followed`; returns true when a TLS handshake followed the upgrade.
    @discardableResult
    mutating func probeStartTLS(_ kind: StartTLS) -> Bool {
        startTLS = kind
        defer { startTLS = nil }
        let key = "\(kind.rawValue).starttls"
        guard let connection = openTLSConnection() else {
            result.details[key] = "refused"
            return false
        }
        defer { connection.close() }
        guard let bytes = exchangeHello(.tls12, on: connection, until: TLSServerFlight.isFinal) else {
            result.details[key] = "accepted, but no TLS followed"
            return false
        }
        switch TLSServerReply.parse(bytes) {
        case .serverHello, .alert:
            result.details[key] = "accepted"
            connection.close()
            inspectTLS(firstReply: bytes)
            return true
        case .incomplete, .notTLS:
            result.details[key] = "accepted, but no TLS followed"
            return false
        }
    }

    /// What a STARTTLS upgrade showed, for a handshake detail: `TLS via STARTTLS (STLS): TLSv1.2, TLSv1.3`.
    func startTLSEvidence(_ kind: StartTLS) -> String {
        let command = kind.commandName == "STARTTLS" ? "" : " (\(kind.commandName))"
        let versions = result.tls.isEmpty ? "" : ": " + result.tls.joined(separator: ", ")
        return "TLS via STARTTLS\(command)\(versions)"
    }

    /// SMTP `EHLO` on the cleartext connection: `AUTH PLAIN` or `AUTH LOGIN` announced before TLS
    /// means a client may send its password readably (`INS-SMTP-AUTH-CLEAR`, 8.3.2); then the TLS
    /// behind `STARTTLS` is probed. `ehlo` is the reply already read, if any.
    mutating func probeSMTP(ehlo: [UInt8]?, on connection: ProbeConnection) {
        var reply = ehlo ?? []
        if ehlo == nil {
            guard connection.send("EHLO \(Self.clientName)\r\n") else { return }
            reply = connection.receive { Self.replyIsComplete($0) }
        }
        guard let extensions = SMTPExtensions.parse(reply) else { return }
        connection.send("QUIT\r\n")
        connection.close()
        if !extensions.startTLS { result.details["smtp.starttls"] = "not offered" }
        if !extensions.authMechanisms.isEmpty {
            result.details["smtp.auth-before-tls"] = extensions.authMechanisms.joined(separator: " ")
        }
        let cleartext = extensions.cleartextAuthMechanisms
        if extensions.startTLS { probeStartTLS(.smtp) }
        if cleartext.isEmpty {
            result.record(Self.smtpAuthRule, .notMatched)
        } else {
            let place = extensions.startTLS ? "before STARTTLS" : "and no STARTTLS"
            result.record(Self.smtpAuthRule, .confirmed, detail: "AUTH \(cleartext.joined(separator: " ")) \(place)")
        }
    }

    /// The name the probe gives itself in `EHLO`: a reserved name that points nowhere (RFC 2606).
    static let clientName = "portwarden.invalid"

    static let smtpAuthRule = "INS-SMTP-AUTH-CLEAR"
}
