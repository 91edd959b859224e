import PortwardenCore

/// Line-oriented mail and file-transfer protocols: FTP, SMTP, POP3, IMAP.
extension PortProbe {
    /// Whether an FTP/SMTP reply is whole: its last line is `NNN ` (a final line) ending in LF.
    static func replyIsComplete(_ bytes: [UInt8]) -> Bool {
        guard bytes.last == 10 else { return false }
        let lines = bytes.split(separator: 10)
        guard let last = lines.last, last.count >= 4 else { return false }
        return DetectionText.decimal(last.prefix(3)) != nil && last[last.startIndex + 3] == UInt8(ascii: " ")
    }

    /// The code of a complete FTP/SMTP reply (from its final line).
    static func finalReplyCode(_ bytes: [UInt8]) -> Int? {
        guard let last = bytes.split(separator: 10).last else { return nil }
        return DetectionText.replyCode(Array(last))
    }

    /// A `220` greeting: SMTP or FTP. The banner decides when it names its product; otherwise an
    /// `EHLO` answered `250` means SMTP, anything else continues as FTP.
    mutating func probeFTPOrSMTP(_ banner: [UInt8], on connection: ProbeConnection) {
        let greeting = connection.receive(appendingTo: banner) { Self.replyIsComplete($0) }
        let smtpWords = ["SMTP", "Postfix", "Exim", "Sendmail"]
        let software = ProductVersion.greeting(DetectionText.firstLine(greeting) ?? "")
        if smtpWords.contains(where: { DetectionText.contains(greeting, $0) }) {
            result.identify("smtp", software: software)
            probeSMTP(ehlo: nil, on: connection)
            return
        }
        if !DetectionText.contains(greeting, "FTP"), port != 21 {
            guard connection.send("EHLO \(Self.clientName)\r\n") else { return }
            let reply = connection.receive { Self.replyIsComplete($0) }
            if Self.finalReplyCode(reply) == 250 {
                result.identify("smtp")
                probeSMTP(ehlo: reply, on: connection)
                return
            }
        }
        result.identify("ftp", software: software)
        probeFTPAuthTLS(on: connection)
    }

    /// `AUTH TLS`: `234` means TLS is offered (then a second connection checks whether a cleartext
    /// `USER` is still accepted, and further ones probe the TLS behind the upgrade); a `5xx` refusal
    /// means the control channel is cleartext only.
    mutating func probeFTPAuthTLS(on connection: ProbeConnection) {
        guard connection.send(StartTLS.ftp.command) else { return }
        let reply = connection.receive { Self.replyIsComplete($0) }
        guard let code = Self.finalReplyCode(reply) else { return }
        switch code {
        case 234:
            connection.close()
            let cleartextUser = ftpAcceptsCleartextUser()
            probeStartTLS(.ftp)
            if cleartextUser {
                result.record("INS-FTP", .confirmed, detail: "AUTH TLS offered, but a cleartext USER is accepted")
            } else {
                result.record("INS-FTP", .notMatched)
            }
        case 500..<600:
            result.record("INS-FTP", .confirmed)
            connection.send("QUIT\r\n")
        default:
            connection.send("QUIT\r\n")
        }
    }

    /// Sends `USER` without TLS (a fixed probe name, never a password): `331`/`230` means the server
    /// would take a cleartext login; a `5xx` (e.g. "TLS required") means it would not.
    private func ftpAcceptsCleartextUser() -> Bool {
        guard let connection = connect() else { return false }
        defer { connection.close() }
        let greeting = connection.receive { Self.replyIsComplete($0) }
        guard Self.finalReplyCode(greeting) == 220, connection.send("USER portwarden-probe\r\n") else { return false }
        let reply = connection.receive { Self.replyIsComplete($0) }
        connection.send("QUIT\r\n")
        guard let code = Self.finalReplyCode(reply) else { return false }
        return code == 331 || code == 230 || code == 332
    }

    /// POP3 `CAPA`: without `STLS` logins can only be cleartext. With it, `USER` (a fixed probe name)
    /// answered `+OK` before TLS means cleartext logins are taken; otherwise TLS is available and
    /// enforcement unverified (`insecure-services.md` §0 item 4). The TLS behind `STLS` is probed.
    mutating func probePOP3(_ banner: [UInt8], on connection: ProbeConnection) {
        result.identify("pop3", software: ProductVersion.greeting(DetectionText.firstLine(banner) ?? ""))
        guard connection.send("CAPA\r\n") else { return }
        let reply = connection.receive { bytes in
            let lines = DetectionText.lines(bytes)
            return bytes.last == 10 && (lines.first?.hasPrefix("-ERR") == true || lines.last == ".")
        }
        let lines = DetectionText.lines(reply)
        guard let first = lines.first, first.hasPrefix("+OK") || first.hasPrefix("-ERR") else { return }
        let offersTLS = first.hasPrefix("+OK") && lines.contains { $0.uppercased() == "STLS" }
        guard offersTLS else {
            result.record("INS-POP3", .confirmed)
            connection.send("QUIT\r\n")
            return
        }
        // A fixed probe name, never a password: `+OK` means a cleartext USER/PASS login is taken.
        var cleartextUser = false
        if connection.send("USER portwarden-probe\r\n") {
            cleartextUser = DetectionText.starts(connection.receiveLine(), with: "+OK")
        }
        connection.send("QUIT\r\n")
        connection.close()
        let upgraded = probeStartTLS(.pop3)
        let tls = upgraded ? startTLSEvidence(.pop3) : "STLS offered"
        if cleartextUser {
            result.record("INS-POP3", .confirmed, detail: "USER accepted before TLS; \(tls)")
        } else {
            result.record("INS-POP3", .tlsAvailable, detail: tls)
        }
    }

    /// IMAP `CAPABILITY`: cleartext unless both `STARTTLS` and `LOGINDISABLED` are announced; the
    /// TLS behind `STARTTLS` is probed either way.
    mutating func probeIMAP(_ banner: [UInt8], on connection: ProbeConnection) {
        result.identify("imap", software: ProductVersion.greeting(DetectionText.firstLine(banner) ?? ""))
        guard connection.send("pw1 CAPABILITY\r\n") else { return }
        let reply = connection.receive { bytes in
            bytes.last == 10 && DetectionText.lines(bytes).contains { $0.hasPrefix("pw1 ") }
        }
        let lines = DetectionText.lines(reply)
        guard lines.contains(where: { $0.hasPrefix("pw1 OK") }) else { return }
        let words = Set(
            lines.filter { $0.uppercased().hasPrefix("* CAPABILITY") }
                .flatMap { $0.uppercased().split(separator: " ").map(String.init) })
        let offersTLS = words.contains("STARTTLS")
        connection.send("pw2 LOGOUT\r\n")
        guard offersTLS else {
            result.record("INS-IMAP", .confirmed)
            return
        }
        connection.close()
        let upgraded = probeStartTLS(.imap)
        if words.contains("LOGINDISABLED") {
            result.record("INS-IMAP", .notMatched)
        } else {
            let tls = upgraded ? startTLSEvidence(.imap) : "STARTTLS offered"
            result.record("INS-IMAP", .confirmed, detail: "LOGINDISABLED absent before TLS; \(tls)")
        }
    }
}
