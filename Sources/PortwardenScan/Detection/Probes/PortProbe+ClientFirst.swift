import PortwardenCore

/// Protocols where the client speaks first: HTTP, Redis, memcached, PostgreSQL, RDP, SMB.
extension PortProbe {
    /// The `Host` header value for this target.
    var hostHeader: String { host.isIPv4 ? "\(host):\(port)" : "[\(host)]:\(port)" }

    /// `GET / HTTP/1.0`: a password prompt or login form served without a redirect to HTTPS is an
    /// HTTP admin interface (INS-HTTP-ADMIN); on 2375, or when the server says Docker, `/version` is checked;
    /// on 2379, etcd's.
    mutating func probeHTTP(on connection: ProbeConnection) -> Bool {
        guard let response = httpGet("/", on: connection) else { return false }
        result.identify("http", software: response.server.flatMap(ProductVersion.httpServer))
        let admin = (response.asksForPassword || response.hasLoginForm) && !response.redirectsToHTTPS
        result.record("INS-HTTP-ADMIN", admin ? .confirmed : .notMatched)
        if port == 2375 || response.server.map({ DetectionText.contains(Array($0.utf8), "docker") }) == true {
            connection.close()
            probeDockerVersion()
        } else if port == Self.etcdClientPort {
            connection.close()
            probeEtcd()
        }
        return true
    }

    /// Sends one GET and parses the reply; `nil` when the peer is not an HTTP server.
    func httpGet(_ path: String, on connection: ProbeConnection) -> HTTPResponse? {
        let request = "GET \(path) HTTP/1.0\r\nHost: \(hostHeader)\r\nUser-Agent: portwarden\r\nAccept: */*\r\n\r\n"
        guard connection.send(request) else { return nil }
        let reply = connection.receive { HTTPResponse.isComplete($0) }
        return HTTPResponse.parse(reply)
    }

    /// Docker Engine API without TLS: `GET /version` answered `200` with `ApiVersion`.
    private mutating func probeDockerVersion() {
        guard let connection = connect() else { return }
        defer { connection.close() }
        guard let response = httpGet("/version", on: connection) else { return }
        if response.status == 200, DetectionText.contains(response.body, "\"ApiVersion\"") {
            result.identify("docker", software: response.server.flatMap(ProductVersion.httpServer))
            result.record("INS-DOCKER-API", .confirmed)
        } else {
            result.record("INS-DOCKER-API", .notMatched)
        }
    }

    /// Redis `PING` without `AUTH`: `+PONG` means anyone can use it; `-NOAUTH`/`-DENIED` mean it is
    /// password-protected or in protected mode.
    mutating func probeRedis(on connection: ProbeConnection) -> Bool {
        guard connection.send("PING\r\n") else { return false }
        let reply = connection.receiveLine()
        if DetectionText.starts(reply, with: "+PONG") {
            result.identify("redis", software: ProductVersion("Redis"))
            result.record("INS-REDIS", .confirmed)
            if connection.send("INFO server\r\n"),
                let software = ProductVersion.redisInfo(connection.receive { ProductVersion.redisInfo($0) != nil })
            {
                result.identify("redis", software: software)
            }
            return true
        }
        if DetectionText.starts(reply, with: "-NOAUTH") || DetectionText.starts(reply, with: "-DENIED") {
            result.identify("redis", software: ProductVersion("Redis"))
            result.record("INS-REDIS", .notMatched)
            return true
        }
        if DetectionText.starts(reply, with: "-ERR"), DetectionText.contains(reply, "auth") {
            // Older Redis: "-ERR operation not permitted" / "-ERR Client sent AUTH…": protected.
            result.identify("redis")
            result.record("INS-REDIS", .notMatched)
            return true
        }
        return false
    }

    /// memcached `version`: a `VERSION x` reply confirms an unauthenticated memcached.
    mutating func probeMemcached(on connection: ProbeConnection) -> Bool {
        guard connection.send("version\r\n") else { return false }
        let reply = connection.receiveLine()
        guard let software = ProductVersion.memcached(reply) else { return false }
        result.identify("memcached", software: software)
        result.record("INS-MEMCACHED", .confirmed)
        connection.send("quit\r\n")
        return true
    }

    /// PostgreSQL `SSLRequest`: `S` means TLS is available (enforcement unverified), `N` means cleartext
    /// only (INS-DB-CLEAR).
    mutating func probePostgreSQL(on connection: ProbeConnection) -> Bool {
        guard connection.send([0x00, 0x00, 0x00, 0x08, 0x04, 0xD2, 0x16, 0x2F]) else { return false }
        let reply = connection.receive { !$0.isEmpty }
        // Exactly one byte: a longer reply is some other protocol that happens to start with S or N.
        guard reply.count == 1 else { return false }
        switch reply[0] {
        case UInt8(ascii: "S"):
            result.identify("postgresql", software: ProductVersion("PostgreSQL"))
            result.record("INS-DB-CLEAR", .tlsAvailable, detail: "SSLRequest answered S")
            return true
        case UInt8(ascii: "N"):
            result.identify("postgresql", software: ProductVersion("PostgreSQL"))
            result.record("INS-DB-CLEAR", .confirmed)
            return true
        default:
            return false
        }
    }

    /// RDP negotiation: offering TLS and CredSSP, standard RDP security selected means no NLA; when
    /// CredSSP is selected, a second offer of TLS alone tells whether the server would also go without NLA.
    mutating func probeRDP(on connection: ProbeConnection) -> Bool {
        guard connection.send(RDPNegotiation.request(protocols: RDPNegotiation.tls | RDPNegotiation.hybrid)) else {
            return false
        }
        let response = RDPNegotiation.parse(connection.receive { RDPNegotiation.isFinal($0) })
        switch response {
        case .incomplete, .invalid:
            return false
        case .legacy, .selected(RDPNegotiation.standardRDP), .selected(RDPNegotiation.tls):
            result.identify("ms-wbt-server")
            result.record("INS-RDP-NONLA", .confirmed)
        case .selected:
            result.identify("ms-wbt-server")
            connection.close()
            if let verdict = rdpAcceptsTLSWithoutNLA() { result.record("INS-RDP-NONLA", verdict) }
        case .failure(let code):
            result.identify("ms-wbt-server")
            result.record("INS-RDP-NONLA", code == RDPNegotiation.hybridRequired ? .notMatched : .confirmed)
        }
        return true
    }

    /// Offers TLS without CredSSP: accepted means NLA is not required; `HYBRID_REQUIRED_BY_SERVER` means it is.
    private func rdpAcceptsTLSWithoutNLA() -> HandshakeVerdict? {
        guard let connection = connect() else { return nil }
        defer { connection.close() }
        guard connection.send(RDPNegotiation.request(protocols: RDPNegotiation.tls)) else { return nil }
        switch RDPNegotiation.parse(connection.receive { RDPNegotiation.isFinal($0) }) {
        case .selected(RDPNegotiation.standardRDP), .selected(RDPNegotiation.tls), .legacy: return .confirmed
        case .failure(RDPNegotiation.hybridRequired): return .notMatched
        case .failure, .selected: return .notMatched
        case .incomplete, .invalid: return nil
        }
    }

    /// SMB1 negotiate offering only `NT LM 0.12`: success means SMBv1 is enabled. On 139 the
    /// NetBIOS session is requested first, as a client of the session service must.
    mutating func probeSMB(on connection: ProbeConnection) -> Bool {
        if port == 139 {
            guard connection.send(NetBIOSSession.request) else { return false }
            let answer = NetBIOSSession.parse(connection.receive { NetBIOSSession.parse($0) != .incomplete })
            switch answer {
            case .positive:
                break
            case .negative(let code):
                result.identify("netbios-ssn")
                result.details["netbios.session"] = "refused (error 0x\(String(code, radix: 16)))"
                return true
            case .retarget:
                result.identify("netbios-ssn")
                result.details["netbios.session"] = "retargeted"
                return true
            case .incomplete, .invalid:
                return false
            }
        }
        guard connection.send(SMBNegotiation.request) else { return false }
        let reply = connection.receive { SMBNegotiation.parse($0) != .incomplete }
        switch SMBNegotiation.parse(reply) {
        case .smb1Accepted:
            result.identify(port == 139 ? "netbios-ssn" : "microsoft-ds")
            result.record("INS-SMB1", .confirmed)
            return true
        case .smb1Refused:
            result.identify(port == 139 ? "netbios-ssn" : "microsoft-ds")
            result.record("INS-SMB1", .notMatched)
            return true
        case .incomplete, .invalid:
            return false
        }
    }
}
