import PortwardenCore
import PortwardenMonitor

#if canImport(Glibc)
import Glibc
#endif

/// Sends alerts as RFC 5424 messages to one syslog receiver over UDP or TCP (`udp://ADDRESS:PORT`,
/// `tcp://[ADDRESS]:PORT`, an IP literal). A receiver that cannot be reached costs a warning, never the
/// stream: a TCP connection is opened again for the next alert.
final class SyslogSink {
    enum Transport: String {
        case udp
        case tcp
    }

    let url: String
    private let proto: Transport
    private let address: IPAddress
    private let port: UInt16
    private var fd: Int32 = -1
    private let hostname: String
    private var warned = false

    /// - Throws: an input failure (exit 2) for a URL that is not `udp://` or `tcp://` with an IP and a port.
    init(url: String) throws {
        self.url = url
        let parts = url.split(separator: "://", maxSplits: 1).map(String.init)
        guard parts.count == 2, let proto = Transport(rawValue: parts[0]),
            let colon = parts[1].lastIndex(of: ":"), let port = UInt16(parts[1][parts[1].index(after: colon)...]),
            port > 0
        else {
            throw CLIFailure.input("--syslog \(url): expected udp://ADDRESS:PORT or tcp://ADDRESS:PORT")
        }
        var host = String(parts[1][..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let address = IPAddress(host) else {
            throw CLIFailure.input("--syslog \(url): \(host) is not an IP address")
        }
        self.proto = proto
        self.address = address
        self.port = port
        var name = [CChar](repeating: 0, count: 256)
        hostname =
            gethostname(&name, 255) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "-"
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Sends one alert whose finding renders as `body` (one JSON object).
    func send(_ alert: MonitorAlert, body: String) {
        let message = SyslogAlertFormat.message(alert, body: body, hostname: hostname, procID: getpid())
        let bytes = Array((proto == .tcp ? SyslogAlertFormat.octetCounted(message) : message).utf8)
        for _ in 0..<2 {
            if fd < 0 { fd = PeerSocket.connect(address, port: port, stream: proto == .tcp) }
            guard fd >= 0 else { break }
            if PeerSocket.sendAll(fd, bytes) { return }
            close(fd)
            fd = -1
        }
        if !warned {
            Terminal.writeError(
                "portwarden: --syslog \(url): cannot send (\(String(cString: strerror(errno)))); alerts go on")
            warned = true
        }
    }
}
