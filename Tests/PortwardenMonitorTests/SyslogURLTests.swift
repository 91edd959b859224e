import PortwardenCore
import PortwardenMonitor
import Testing

/// Syslog URLs share their `ADDRESS:PORT` parser with webhook URLs: the same addresses and ports are
/// accepted and refused at the same offsets.
@Suite("syslog URL: udp:// or tcp://, an IP literal and a port")
struct SyslogURLTests {
    @Test func parsesBothTransportsAndBothFamilies() throws {
        let v4 = try SyslogURL.parse("udp://10.20.9.1:514")
        #expect(v4 == SyslogURL(transport: .udp, address: try #require(IPAddress("10.20.9.1")), port: 514))
        #expect(v4.description == "udp://10.20.9.1:514")
        let v6 = try SyslogURL.parse("tcp://[fd00::9]:6514")
        #expect(v6 == SyslogURL(transport: .tcp, address: try #require(IPAddress("fd00::9")), port: 6514))
        #expect(v6.description == "tcp://[fd00::9]:6514")
    }

    @Test(
        arguments: [
            ("tls://10.0.0.1:6514", SyslogURLError.Code.scheme, 0),
            ("udp://10.0.0.1", .port, 14),
            ("udp://10.0.0.1:", .port, 15),
            ("udp://10.0.0.1:+514", .port, 15),
            ("udp://10.0.0.1:0", .port, 15),
            ("udp://10.0.0.1:000514", .port, 15),
            ("udp://[fd00::9", .port, 14),
            ("udp://[fd00::9]", .port, 15),
            ("udp://logs.example:514", .address, 6),
            ("udp://10.0.0.1:514/x", .path, 18),
        ])
    func refusalsSayWhatAndWhere(text: String, code: SyslogURLError.Code, offset: Int) {
        #expect {
            _ = try SyslogURL.parse(text)
        } throws: { error in
            guard let error = error as? SyslogURLError else { return false }
            return error.code == code && error.offset == offset && error.description.contains(text)
        }
    }
}
