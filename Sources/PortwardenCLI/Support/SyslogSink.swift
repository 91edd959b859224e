import PortwardenCore
import PortwardenMonitor

#if canImport(Glibc)
import Glibc
#endif

/// Sends alerts as RFC 5424 messages to one syslog receiver over UDP or TCP (`udp://ADDRESS:PORT`,
/// `tcp://[ADDRESS]:PORT`, an IP literal). A receiver that cannot be reached costs a warning, never the
/// stream: a TCP connection is opened again for the next alert.
final class SyslogSink {
    let url: SyslogURL
    private var fd: Int32 = -1
    private let hostname: String
    private var warned = false

    init(url: SyslogURL) {
        self.url = url
        var name = [CChar](repeating: 0, count: 256)
        hostname =
            gethostname(&name, 255) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "-"
    }

    /// The sink of `--syslog URL`.
    /// - Throws: an input failure (exit 2) for a URL that is not `udp://` or `tcp://` with an IP and a port.
    static func parse(flag text: String) throws -> SyslogSink {
        do throws(SyslogURLError) {
            return SyslogSink(url: try SyslogURL.parse(text))
        } catch {
            throw CLIFailure.input("--syslog \(error)")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Sends one alert whose finding renders as `body` (one JSON object).
    func send(_ alert: MonitorAlert, body: String) {
        let message = SyslogAlertFormat.message(alert, body: body, hostname: hostname, procID: getpid())
        let stream = url.transport == .tcp
        let bytes = Array((stream ? SyslogAlertFormat.octetCounted(message) : message).utf8)
        for _ in 0..<2 {
            if fd < 0 { fd = PeerSocket.connect(url.address, port: url.port, stream: stream) }
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
