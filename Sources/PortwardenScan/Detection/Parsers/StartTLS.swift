/// The plaintext protocols that can switch a connection to TLS in place, and how to read their
/// answers to the upgrade request. Pure: the probe does the I/O (`PortProbe+StartTLS.swift`).
enum StartTLS: String, Sendable, CaseIterable {
    /// SMTP `STARTTLS` (RFC 3207), after `EHLO`.
    case smtp
    /// IMAP `STARTTLS` (RFC 9051 section 6.2.1).
    case imap
    /// POP3 `STLS` (RFC 2595 section 4).
    case pop3
    /// FTP `AUTH TLS` (RFC 4217 section 4).
    case ftp

    /// The command that asks for TLS, as sent (IMAP carries the probe's tag).
    var command: String {
        switch self {
        case .smtp: return "STARTTLS\r\n"
        case .imap: return "\(Self.imapTag) STARTTLS\r\n"
        case .pop3: return "STLS\r\n"
        case .ftp: return "AUTH TLS\r\n"
        }
    }

    /// The protocol's own name for the command, for evidence (`STLS`, `AUTH TLS`).
    var commandName: String {
        switch self {
        case .smtp, .imap: return "STARTTLS"
        case .pop3: return "STLS"
        case .ftp: return "AUTH TLS"
        }
    }

    /// The IMAP tag of the upgrade command.
    static let imapTag = "pw1"

    /// Whether a greeting or a reply to a command has been read in full: SMTP and FTP up to the
    /// final `NNN ` line, IMAP up to the tagged line (or the untagged greeting), POP3 one line.
    func isComplete(_ bytes: [UInt8], greeting: Bool) -> Bool {
        guard bytes.last == 10 else { return false }
        switch self {
        case .smtp, .ftp: return PortProbe.replyIsComplete(bytes)
        case .pop3: return true
        case .imap:
            return greeting || DetectionText.lines(bytes).contains { $0.hasPrefix("\(Self.imapTag) ") }
        }
    }

    /// Whether the greeting invites commands: `220` (SMTP, FTP), `* OK` (IMAP), `+OK` (POP3).
    func greetingIsReady(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .smtp, .ftp: return PortProbe.finalReplyCode(bytes) == 220
        case .imap: return DetectionText.starts(bytes, with: "* OK")
        case .pop3: return DetectionText.starts(bytes, with: "+OK")
        }
    }

    /// Whether the reply to ``command`` agrees to start TLS: `220` (SMTP), `234` (FTP), the tagged
    /// `OK` (IMAP), `+OK` (POP3).
    func accepts(_ reply: [UInt8]) -> Bool {
        switch self {
        case .smtp: return PortProbe.finalReplyCode(reply) == 220
        case .ftp: return PortProbe.finalReplyCode(reply) == 234
        case .pop3: return DetectionText.starts(reply, with: "+OK")
        case .imap:
            return DetectionText.lines(reply).contains { $0.uppercased().hasPrefix("\(Self.imapTag.uppercased()) OK") }
        }
    }
}
