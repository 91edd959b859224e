import Foundation
import PortwardenCore
import PortwardenMonitor
import Testing

@Suite("syslog sink: alerts as RFC 5424 messages")
struct SyslogAlertFormatTests {
    static let alert = MonitorAlert(
        finding: Finding(
            rule: "PW-IDS-INCIDENT", severity: .critical, requirements: [Requirement("10.4.1")], zone: "cde-db",
            message: "incident", remediation: "respond"),
        firstSeen: Date(timeIntervalSince1970: 1_795_000_000), lastSeen: Date(timeIntervalSince1970: 1_795_000_000.5))

    @Test("header fields, severity mapping, JSON body on one line")
    func message() {
        let text = SyslogAlertFormat.message(
            Self.alert, body: "{\"rule\":\"PW-IDS-INCIDENT\"}\n", hostname: "fw 1", procID: 42)
        #expect(
            text == "<34>1 2026-11-18T11:06:40.500Z fw-1 portwarden 42 PW-IDS-INCIDENT - {\"rule\":\"PW-IDS-INCIDENT\"}"
        )
        #expect(SyslogAlertFormat.severity(.info) == 6)
        #expect(SyslogAlertFormat.severity(.high) == 3)
        #expect(SyslogAlertFormat.message(Self.alert, body: "x", hostname: "", procID: 1).contains(" - portwarden 1 "))
    }

    @Test("octet counting counts bytes, not characters")
    func octets() {
        #expect(SyslogAlertFormat.octetCounted("<34>1 é") == "8 <34>1 é")
    }
}
