import Foundation

/// The VPN servers of the detection lab: Debian's pptpd on 127.0.0.1:1723 (the positive case of
/// `INS-PPTP`), and on ``DetectionLab/secondAddress``:1723 a server that is not PPTP: it waits for
/// the client's first bytes and answers them with an HTTP error (the negative case: the PPTP
/// request gets an answer that is no Start-Control-Connection-Reply).
extension DetectionLab {
    static let vpnServers: [LabServer] = [
        LabServer(
            name: "pptpd", binary: "/usr/sbin/pptpd", ports: [1723],
            command: [
                "/usr/sbin/pptpd", "--fg", "--conf", "{dir}/pptpd.conf", "--listen", "127.0.0.1", "--pidfile",
                "{dir}/pptpd.pid",
            ]),
        LabServer(
            name: "socat HTTP on 1723", binary: "/usr/bin/socat", ports: [1723],
            command: [
                "/usr/bin/socat", "TCP-LISTEN:1723,bind=127.0.0.2,fork,reuseaddr",
                "SYSTEM:/bin/sh {dir}/not-pptp.sh",
            ], address: secondAddress),
    ]

    /// Writes pptpd's configuration into `dir`: its PPP options file is empty, since no call is
    /// ever placed (the probe stops the control connection after the reply).
    static func prepareVPN(dir: String) throws {
        let config = """
            option \(dir)/pptpd-options
            localip 10.99.0.1
            remoteip 10.99.0.100-110

            """
        try config.write(toFile: "\(dir)/pptpd.conf", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(dir)/pptpd-options", atomically: true, encoding: .utf8)
        let notPPTP = """
            head -c 1 >/dev/null
            printf 'HTTP/1.0 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n'

            """
        try notPPTP.write(toFile: "\(dir)/not-pptp.sh", atomically: true, encoding: .utf8)
    }
}
