import PortwardenCore
import PortwardenPolicy

/// An alert as an RFC 5424 syslog message, for the syslog sink: facility 4 (security/authorization), the
/// severity mapped from the finding's, the rule id as MSGID, no structured data, and the finding's JSON
/// object as MSG. Over TCP each message is framed by octet counting (RFC 6587 3.4.1).
public enum SyslogAlertFormat {
    /// The syslog severity (RFC 5424 table 2) of a finding's severity.
    public static func severity(_ severity: Severity) -> Int {
        switch severity {
        case .critical: return 2
        case .high: return 3
        case .medium: return 4
        case .low: return 5
        case .info: return 6
        }
    }

    /// `<PRI>1 TIMESTAMP HOSTNAME portwarden PROCID MSGID - MSG`.
    /// - Parameters:
    ///   - alert: the alert; its last-seen time is the message's time.
    ///   - body: the MSG part (the finding as one JSON object, without a newline).
    ///   - hostname: this host's name (spaces and non-printable bytes become `-`).
    ///   - procID: the process id.
    public static func message(_ alert: MonitorAlert, body: String, hostname: String, procID: Int32) -> String {
        let pri = 4 * 8 + severity(alert.finding.severity)
        let header = [
            "<\(pri)>1", Timestamp.format(alert.lastSeen), field(hostname, limit: 255), "portwarden", String(procID),
            field(alert.finding.rule, limit: 32), "-",
        ]
        return header.joined(separator: " ") + " " + body.filter { $0 != "\n" && $0 != "\r" }
    }

    /// The message framed for a TCP stream: its length in octets, a space, the message.
    public static func octetCounted(_ message: String) -> String { "\(message.utf8.count) \(message)" }

    /// A header field: printable US-ASCII without spaces, at most `limit` characters, `-` when empty.
    static func field(_ text: String, limit: Int) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.prefix(limit).map { $0.value >= 33 && $0.value <= 126 ? $0 : "-" }))
        return cleaned.isEmpty ? "-" : cleaned
    }
}
