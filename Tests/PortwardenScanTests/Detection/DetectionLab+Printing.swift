import Foundation
import PortwardenCore

@testable import PortwardenScan

/// The print servers of the detection lab. On 127.0.0.1: Debian's cupsd on 631 with one raw queue
/// (the positive case of `INS-IPP-ANON`), BSD lpd on 515 (`INS-LPD`) and p910nd on 9100, whose
/// "printer" is a file, so that a test can see every byte detection sent it. On
/// ``DetectionLab/secondAddress``, 631 and 515 answer with HTTP (the negative cases).
///
/// lpd reads `/etc/printcap` and `/etc/hosts.lpd` and keeps its pid file in `/run`, and p910nd its
/// lock in `/run/lock`: both run in a mount namespace of their own where `/etc` is an overlay
/// written in the lab folder and `/run` a fresh tmpfs, so that nothing of the host's changes. lpd
/// forks into the background: it runs in a PID namespace too, whose init dies with `unshare`.
extension DetectionLab {
    static let printingServers: [LabServer] = [
        LabServer(
            name: "cupsd", binary: "/usr/sbin/cupsd", ports: [631],
            command: ["/usr/sbin/cupsd", "-f", "-c", "{dir}/cups/cupsd.conf", "-s", "{dir}/cups/cups-files.conf"]),
        LabServer(
            name: "lpd", binary: "/usr/sbin/lpd", ports: [515],
            command: ["/usr/bin/unshare", "--mount", "--pid", "--fork", "--kill-child", "/bin/sh", "{dir}/lpd/lpd.sh"]),
        LabServer(
            name: "p910nd", binary: "/usr/sbin/p910nd", ports: [9100],
            command: [
                "/usr/bin/unshare", "--mount", "/bin/sh", "-c",
                "mount -t tmpfs tmpfs /run && mkdir -p /run/lock/p910nd && "
                    + "exec /usr/sbin/p910nd -d -f {dir}/printed-9100 -i 127.0.0.1 0",
            ],
            setup: { host in sendRawPrintControl(to: host) }),
        LabServer(
            name: "socat HTTP on 631", binary: "/usr/bin/socat", ports: [631],
            command: [
                "/usr/bin/socat", "TCP-LISTEN:631,bind=127.0.0.2,fork,reuseaddr", "SYSTEM:/bin/sh {dir}/not-printer.sh",
            ],
            address: secondAddress),
        LabServer(
            name: "socat HTTP on 515", binary: "/usr/bin/socat", ports: [515],
            command: [
                "/usr/bin/socat", "TCP-LISTEN:515,bind=127.0.0.2,fork,reuseaddr", "SYSTEM:/bin/sh {dir}/not-printer.sh",
            ],
            address: secondAddress),
    ]

    /// The bytes the lab itself sends p910nd before detection runs: the raw port's "printer" file
    /// must hold exactly these afterwards, proving that it records what arrives and that detection
    /// added nothing.
    static let rawPrintControl = Array("portwarden lab control line\n".utf8)

    /// Sends ``rawPrintControl`` to p910nd and closes; false when that failed.
    private static func sendRawPrintControl(to host: IPAddress) -> Bool {
        guard case .connected(let fd) = DetectionSystem.connect(host: host, port: 9100, timeoutMilliseconds: 2000)
        else { return false }
        defer { DetectionSystem.closeSocket(fd) }
        return DetectionSystem.send(fd: fd, rawPrintControl[...]) == rawPrintControl.count
    }

    /// What p910nd wrote to its "printer" once detection is done (`nil` when it did not run): read
    /// by the lab before its folder is removed. p910nd copies a connection's bytes as they arrive;
    /// the short wait lets it finish writing the last one.
    static func rawPrintOutput(dir: String) -> [UInt8]? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/p910nd") else { return nil }
        usleep(300_000)
        return FileManager.default.contents(atPath: "\(dir)/printed-9100").map { Array($0) }
    }

    /// Writes cupsd's, lpd's and the HTTP stand-in's files into `dir`.
    static func preparePrinting(dir: String) throws {
        let cups = "\(dir)/cups"
        for sub in ["spool", "cache", "state", "log"] {
            try FileManager.default.createDirectory(atPath: "\(cups)/\(sub)", withIntermediateDirectories: true)
        }
        // cupsd drops to the lp user for its helpers, which must reach the lab folder.
        for path in [dir, cups] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        let files = """
            ServerRoot \(cups)
            RequestRoot \(cups)/spool
            CacheDir \(cups)/cache
            StateDir \(cups)/state
            TempDir \(cups)/spool
            AccessLog \(cups)/log/access_log
            ErrorLog \(cups)/log/error_log
            PageLog \(cups)/log/page_log
            FileDevice Yes
            User lp
            Group lp

            """
        try files.write(toFile: "\(cups)/cups-files.conf", atomically: true, encoding: .utf8)
        let daemon = """
            Listen 127.0.0.1:631
            Browsing No
            LogLevel warn
            DefaultAuthType None
            WebInterface No
            <Location />
              Order allow,deny
              Allow all
            </Location>

            """
        try daemon.write(toFile: "\(cups)/cupsd.conf", atomically: true, encoding: .utf8)
        // One raw queue whose device is /dev/null, the default destination: nothing is ever printed.
        let printers = """
            <DefaultPrinter lab>
            Info portwarden lab queue
            DeviceURI file:///dev/null
            State Idle
            Accepting Yes
            Shared Yes
            </DefaultPrinter>

            """
        try printers.write(toFile: "\(cups)/printers.conf", atomically: true, encoding: .utf8)
        let lpd = "\(dir)/lpd"
        for sub in ["etc-upper", "etc-work", "spool"] {
            try FileManager.default.createDirectory(atPath: "\(lpd)/\(sub)", withIntermediateDirectories: true)
        }
        let printcap = "lp|portwarden lab queue:\\\n\t:lp=\(lpd)/printed:\\\n\t:sd=\(lpd)/spool:\\\n\t:sh:\n"
        try printcap.write(toFile: "\(lpd)/printcap", atomically: true, encoding: .utf8)
        try "127.0.0.1\n".write(toFile: "\(lpd)/hosts.lpd", atomically: true, encoding: .utf8)
        let script = """
            set -e
            mount -t overlay overlay -o lowerdir=/etc,upperdir=\(lpd)/etc-upper,workdir=\(lpd)/etc-work /etc
            mount -t tmpfs tmpfs /run
            cp \(lpd)/printcap /etc/printcap
            cp \(lpd)/hosts.lpd /etc/hosts.lpd
            : > \(lpd)/printed
            /usr/sbin/lpd -b 127.0.0.1
            exec sleep infinity

            """
        try script.write(toFile: "\(lpd)/lpd.sh", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(dir)/printed-9100", atomically: true, encoding: .utf8)
        let notPrinter = """
            head -c 1 >/dev/null
            printf 'HTTP/1.0 404 Not Found\\r\\nContent-Length: 0\\r\\n\\r\\n'

            """
        try notPrinter.write(toFile: "\(dir)/not-printer.sh", atomically: true, encoding: .utf8)
    }
}
