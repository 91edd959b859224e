import PortwardenCore

/// Server-speaks-first protocols, recognised from the NULL probe's banner.
extension PortProbe {
    /// Identifies the service from its unprompted banner and runs that protocol's handshake on the
    /// same connection.
    mutating func classifyBanner(_ banner: [UInt8], on connection: ProbeConnection) {
        if banner.count >= 2, banner[0] == 0xFF, (0xFB...0xFE).contains(banner[1]) {
            result.identify("telnet")
            result.record("INS-TELNET", .confirmed)
        } else if DetectionText.starts(banner, with: "SSH-") {
            probeSSH(banner, on: connection)
        } else if DetectionText.starts(banner, with: "220") {
            probeFTPOrSMTP(banner, on: connection)
        } else if DetectionText.starts(banner, with: "+OK") {
            probePOP3(banner, on: connection)
        } else if DetectionText.starts(banner, with: "* OK") || DetectionText.starts(banner, with: "* PREAUTH") {
            probeIMAP(banner, on: connection)
        } else if DetectionText.starts(banner, with: "@RSYNCD:") {
            let version = DetectionText.firstLine(Array(banner.dropFirst(8)))
            result.identify("rsync", product: version.map { "rsync protocol \($0)" })
            result.record("INS-RSYNCD", .confirmed)
        } else if DetectionText.starts(banner, with: "RFB ") {
            probeVNC(banner, on: connection)
        } else if case .greeting(let version, let capabilities) = MySQLGreeting.parse(banner) {
            result.identify("mysql", software: ProductVersion.mysql(serverVersion: version))
            let tls = capabilities & MySQLGreeting.clientSSL != 0
            result.record("INS-DB-CLEAR", tls ? .tlsAvailable : .confirmed, detail: tls ? "CLIENT_SSL offered" : nil)
        } else if case .error = MySQLGreeting.parse(banner) {
            // "Host is not allowed to connect": MySQL, but the capabilities stay unknown.
            result.identify("mysql")
        } else if DetectionText.starts(banner, with: "HTTP/") {
            result.identify("http")
        } else if DetectionText.contains(banner, "login:") {
            // A bare login prompt with no other protocol signature: a telnet-style cleartext login.
            result.identify("telnet")
            result.record("INS-TELNET", .confirmed)
        }
    }

    /// RFB: answer the version, read the offered security types, then hang up before authenticating.
    mutating func probeVNC(_ banner: [UInt8], on connection: ProbeConnection) {
        guard let minor = VNCHandshake.minorVersion(banner: banner) else { return }
        result.identify("vnc", product: DetectionText.firstLine(banner))
        guard connection.send(VNCHandshake.clientVersion(forMinor: minor)) else { return }
        let reply = connection.receive { VNCHandshake.parseSecurityTypes($0, minor: minor) != .incomplete }
        if case .offered(let types) = VNCHandshake.parseSecurityTypes(reply, minor: minor) {
            for (rule, verdict) in VNCHandshake.verdicts(for: types) {
                result.record(rule, verdict, detail: VNCHandshake.describe(types))
            }
        }
    }
}
