import PortwardenCore

/// TLS: is the port speaking TLS at all, and which protocol versions does it accept.
extension PortProbe {
    /// Sends a TLS 1.2 ClientHello (which older servers answer at their own version). A ServerHello
    /// or an alert means TLS; then, when configured, each version is probed on its own connection.
    mutating func probeTLS(on connection: ProbeConnection) -> Bool {
        guard let reply = exchangeHello(.tls12, on: connection) else { return false }
        switch reply {
        case .serverHello, .alert:
            result.identify(ServicePortTable.tlsService(port: port))
        case .incomplete, .notTLS:
            return false
        }
        connection.close()
        guard configuration.tlsVersions else { return true }
        for version in TLSVersion.allCases {
            if version == .tls12, case .serverHello(let chosen, _, _) = reply {
                if chosen == TLSVersion.tls12.rawValue { result.tls.append(version.name) }
                continue
            }
            if acceptsVersion(version) { result.tls.append(version.name) }
        }
        return true
    }

    /// Whether a ClientHello pinned to `version` is answered with a ServerHello at that version.
    func acceptsVersion(_ version: TLSVersion) -> Bool {
        guard let connection = connect() else { return false }
        defer { connection.close() }
        guard case .serverHello(let chosen, _, _) = exchangeHello(version, on: connection) else { return false }
        return chosen == version.rawValue
    }

    /// Sends a ClientHello for `version` and parses the answer; `nil` when the send failed.
    func exchangeHello(_ version: TLSVersion, on connection: ProbeConnection) -> TLSServerReply? {
        var random = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in random.indices { random[index] = UInt8.random(in: 0...255, using: &generator) }
        guard connection.send(TLSClientHello.record(for: version, random: random)) else { return nil }
        return TLSServerReply.parse(connection.receive { TLSServerReply.parse($0).isFinal })
    }
}
