import PortwardenCore

/// The detection of one port: the NULL probe, then the probes its banner or port number suggests.
/// Each probe opens its own connection and drops it when done.
struct PortProbe {
    let host: IPAddress
    let port: UInt16
    let configuration: DetectionConfiguration
    var result = ServiceDetection()
    /// Set while the TLS behind a plaintext protocol's upgrade is probed: every TLS connection is
    /// then upgraded first (`PortProbe+StartTLS.swift`).
    var startTLS: StartTLS?

    init(host: IPAddress, port: UInt16, configuration: DetectionConfiguration) {
        self.host = host
        self.port = port
        self.configuration = configuration
    }

    /// Runs the probes and returns what they found.
    func run() -> ServiceDetection {
        var probe = self
        probe.probe()
        probe.finish()
        return probe.result
    }

    /// Opens a fresh connection for one probe; `nil` when the port no longer accepts.
    func connect(_ settings: DetectionConfiguration? = nil) -> ProbeConnection? {
        try? ProbeConnection.open(host: host, port: port, configuration: settings ?? configuration).get()
    }

    /// How long later probes wait once a probe has met only silence: a server that ignored a
    /// protocol greeting for the full read timeout rarely answers the next one, and waiting the
    /// full timeout for each remaining probe made a silent port cost half a minute.
    static let silentServerReadTimeout: Duration = .seconds(1)

    private mutating func probe() {
        guard let connection = connect() else { return }
        let banner = connection.receive(timeout: configuration.effectiveBannerTimeout) { Self.bannerIsComplete($0) }
        if Self.rawPrintPorts.contains(port) {
            // A raw print port prints whatever arrives: keep what it volunteers, send nothing.
            result.banner = DetectionText.firstLine(banner)
            connection.close()
            return
        }
        if !banner.isEmpty {
            result.banner = DetectionText.firstLine(banner)
            classifyBanner(banner, on: connection)
            connection.close()
            return
        }
        if connection.peerClosed {
            // Accepted, then closed before any data (a TCP wrapper or an address filter in the
            // service): nmap's "tcpwrapped". The port's usual service was not seen.
            result.identify(Self.tcpWrapped)
            result.details["tcp.wrapped"] = "connection accepted, then closed before any data"
            connection.close()
            return
        }
        // Client-speaks-first: the first probe reuses this connection unless the server hung up.
        var reusable: ProbeConnection? = connection.peerClosed ? nil : connection
        var settings = configuration
        for step in clientFirstProbes() {
            let current = reusable ?? connect(settings)
            reusable = nil
            guard let current else { return }
            let started = ContinuousClock.now
            let identified = run(step, on: current)
            current.close()
            if identified { return }
            if ContinuousClock.now - started >= settings.readTimeout {
                settings.readTimeout = min(settings.readTimeout, Self.silentServerReadTimeout)
            }
        }
    }

    /// The service name for a port that accepts connections and closes them without data.
    static let tcpWrapped = "tcpwrapped"

    /// Whether the NULL probe has read enough: a full line, a telnet negotiation, or a binary greeting.
    static func bannerIsComplete(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        if bytes.contains(10) { return true }
        if first == 0xFF { return bytes.count >= 3 }
        return MySQLGreeting.parse(bytes) != .incomplete
    }

    /// Client-first probes to try, the port's likely protocol first, then the common ones.
    func clientFirstProbes() -> [ClientFirstProbe] {
        guard !Self.rawPrintPorts.contains(port) else { return [] }
        var steps: [ClientFirstProbe]
        switch port {
        case 3389: steps = [.rdp]
        case 139, 445: steps = [.smb]
        case 5432: steps = [.postgresql]
        case 6379: steps = [.redis]
        case 11211: steps = [.memcached]
        case 1883: steps = [.mqtt]
        case 1723: steps = [.pptp]
        case 5672: steps = [.amqp]
        case 2181: steps = [.zookeeper]
        case Self.ippPort: steps = [.ipp]
        case Self.lpdPort: steps = [.lpd]
        case 53: steps = [.dns]
        case 443, 465, 636, 990, 993, 995, 2376, 5671, 5986, 6514, 8443, 8883: steps = [.tls]
        default: steps = [.http]
        }
        for common in [ClientFirstProbe.tls, .http, .redis, .memcached, .postgresql] where !steps.contains(common) {
            steps.append(common)
        }
        return steps
    }

    /// Runs one client-first probe; true when it identified the service.
    private mutating func run(_ step: ClientFirstProbe, on connection: ProbeConnection) -> Bool {
        switch step {
        case .tls: return probeTLS(on: connection)
        case .http: return probeHTTP(on: connection)
        case .redis: return probeRedis(on: connection)
        case .memcached: return probeMemcached(on: connection)
        case .postgresql: return probePostgreSQL(on: connection)
        case .rdp: return probeRDP(on: connection)
        case .smb: return probeSMB(on: connection)
        case .mqtt: return probeMQTT(on: connection)
        case .pptp: return probePPTP(on: connection)
        case .amqp: return probeAMQP(on: connection)
        case .zookeeper: return probeZooKeeper(on: connection)
        case .ipp: return probeIPP(on: connection)
        case .lpd: return probeLPD(on: connection)
        case .dns: return probeDNS(on: connection)
        }
    }

    /// Falls back to the port table when nothing was identified, and marks rules whose candidate
    /// port turned out to carry another protocol as `not-matched`.
    private mutating func finish() {
        guard result.method == .probed, let service = result.service else {
            if result.service == nil { result.service = ServicePortTable.guess(port: port) }
            result.method = .table
            return
        }
        // A wrapped port proved nothing about the protocol behind it: its rules stay port-only.
        guard service != Self.tcpWrapped else { return }
        for candidate in ServicePortTable.ruleCandidates
        where candidate.ports.contains(port) && !candidate.services.contains(service)
            && result.handshakes[candidate.rule] == nil
        {
            result.record(candidate.rule, .notMatched)
        }
        if !result.tls.isEmpty {
            result.tls.sort { (TLSVersion.named($0)?.rawValue ?? 0) < (TLSVersion.named($1)?.rawValue ?? 0) }
        }
    }
}

/// The probes for services that wait for the client to speak first.
enum ClientFirstProbe: Equatable {
    case tls, http, redis, memcached, postgresql, rdp, smb, mqtt, dns, pptp, amqp, zookeeper, ipp, lpd
}

extension TLSVersion {
    /// The version with this recorded name.
    static func named(_ name: String) -> TLSVersion? { allCases.first { $0.name == name } }
}
