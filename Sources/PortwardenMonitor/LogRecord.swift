import PortwardenCore
import PortwardenPolicy

/// What one log line turned into.
public enum LogRecord: Hashable, Sendable {
    case flow(FlowEvent)
    case security(SecurityEvent)
    /// A well-formed line that carries nothing Portwarden judges (a Suricata `stats` record, a
    /// Zeek header, an sshd line about something else).
    case ignored
}

/// The log formats `portwarden ingest` reads.
public enum LogFormat: String, Hashable, Sendable, CaseIterable {
    case netfilter
    case zeek
    case suricata
    case sshd
}
