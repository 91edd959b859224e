/// TLS: is the port speaking TLS at all, which protocol versions and weak cipher suites does it
/// accept, and what certificate does it present. With ``PortProbe/startTLS`` set, every TLS
/// connection is first upgraded from the plaintext protocol (SMTP, IMAP, POP3, FTP).
extension PortProbe {
    /// Sends a TLS 1.2 ClientHello (which older servers answer at their own version). A ServerHello
    /// or an alert means TLS; then, when configured, each version is probed on its own connection.
    mutating func probeTLS(on connection: ProbeConnection) -> Bool {
        guard let bytes = exchangeHello(.tls12, on: connection, until: TLSServerFlight.isFinal) else { return false }
        switch TLSServerReply.parse(bytes) {
        case .serverHello, .alert:
            result.identify(ServicePortTable.tlsService(port: port))
        case .incomplete, .notTLS:
            return false
        }
        connection.close()
        inspectTLS(firstReply: bytes)
        return true
    }

    /// Versions, weak suites and the certificate, from the reply to a TLS 1.2 ClientHello and
    /// further connections.
    mutating func inspectTLS(firstReply: [UInt8]) {
        let reply = TLSServerReply.parse(firstReply)
        if case .serverHello = reply { recordCertificate(TLSServerFlight.parse(firstReply)) }
        guard configuration.tlsVersions else { return }
        for version in TLSVersion.allCases {
            if version == .tls12, case .serverHello(let chosen, _, _) = reply {
                if chosen == TLSVersion.tls12.rawValue { result.tls.append(version.name) }
                continue
            }
            if acceptsVersion(version) { result.tls.append(version.name) }
        }
        recordWeakSuites()
    }

    /// Whether a ClientHello pinned to `version` is answered with a ServerHello at that version.
    func acceptsVersion(_ version: TLSVersion) -> Bool {
        guard let connection = openTLSConnection() else { return false }
        defer { connection.close() }
        guard let bytes = exchangeHello(version, on: connection),
            case .serverHello(let chosen, _, _) = TLSServerReply.parse(bytes)
        else { return false }
        return chosen == version.rawValue
    }

    /// Offers only weak suites at every version up to TLS 1.2, one connection per suite the server
    /// picks (each picked suite is dropped from the next offer): `INS-TLS-WEAK-CIPHER`. Every version
    /// is tried, not only those the usual offer got accepted at: a server that accepts nothing but
    /// weak suites alerts to the usual offer. A version accepted with a weak suite is accepted, and
    /// the certificate such a handshake shows is judged when the usual offer showed none.
    mutating func recordWeakSuites() {
        var accepted: [String] = []
        var versions = Set(result.tls)
        for version in TLSVersion.allCases where version < .tls13 {
            var offer = TLSCipherSuites.weak.map(\.code)
            while !offer.isEmpty, let connection = openTLSConnection() {
                defer { connection.close() }
                guard let bytes = exchangeHello(version, on: connection, suites: offer, until: TLSServerFlight.isFinal),
                    case .serverHello(let chosen, let suite, _) = TLSServerReply.parse(bytes),
                    chosen == version.rawValue, let weak = TLSCipherSuites.weakSuite(suite)
                else { break }
                accepted.append("\(version.name) \(weak.name) (\(weak.weakness))")
                versions.insert(version.name)
                offer.removeAll { $0 == suite }
                if result.details["tls.certificate"] == nil { recordCertificate(TLSServerFlight.parse(bytes)) }
            }
        }
        result.tls = TLSVersion.allCases.map(\.name).filter(versions.contains)
        if accepted.isEmpty {
            result.record(Self.weakCipherRule, .notMatched)
        } else {
            result.details["tls.weak-ciphers"] = accepted.joined(separator: "; ")
            result.record(Self.weakCipherRule, .confirmed)
        }
    }

    /// The leaf certificate's validity, issuer and key: `INS-TLS-CERT` (expired, not yet valid,
    /// weak key or signature) and `INS-TLS-CERT-SELF-SIGNED`.
    mutating func recordCertificate(_ flight: TLSServerFlight) {
        guard let leaf = flight.certificateChain?.first, let certificate = X509Summary.parse(leaf) else { return }
        let now = DetectionSystem.secondsSince1970
        var facts = [
            certificate.commonName.map { "CN=\($0)" } ?? "no CN",
            "\(certificate.keyAlgorithm)\(certificate.keyBits.map { " \($0)-bit" } ?? "")",
            certificate.signatureAlgorithm,
            "valid \(CivilTime.format(certificate.notBefore)) to \(CivilTime.format(certificate.notAfter))",
        ]
        if certificate.selfIssued { facts.append("self-signed") }
        result.details["tls.certificate"] = facts.joined(separator: ", ")
        let problems = certificate.problems(now: now)
        if !problems.isEmpty { result.details["tls.certificate-problems"] = problems.joined(separator: "; ") }
        result.record(Self.certificateRule, problems.isEmpty ? .notMatched : .confirmed)
        result.record(Self.selfSignedRule, certificate.selfIssued ? .confirmed : .notMatched)
    }

    /// A connection ready for a ClientHello: connected, and upgraded when the port speaks STARTTLS.
    func openTLSConnection() -> ProbeConnection? {
        guard let connection = connect() else { return nil }
        guard let startTLS else { return connection }
        guard upgrade(connection, startTLS) else {
            connection.close()
            return nil
        }
        return connection
    }

    /// Sends a ClientHello for `version` (offering `suites` when given) and returns the reply bytes,
    /// read until `isFinal` holds; `nil` when the send failed.
    func exchangeHello(
        _ version: TLSVersion, on connection: ProbeConnection, suites: [UInt16]? = nil,
        until isFinal: ([UInt8]) -> Bool = { TLSServerReply.parse($0).isFinal }
    ) -> [UInt8]? {
        var random = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in random.indices { random[index] = UInt8.random(in: 0...255, using: &generator) }
        guard connection.send(TLSClientHello.record(for: version, random: random, suites: suites)) else { return nil }
        return connection.receive(until: isFinal)
    }

    static let weakCipherRule = "INS-TLS-WEAK-CIPHER"
    static let certificateRule = "INS-TLS-CERT"
    static let selfSignedRule = "INS-TLS-CERT-SELF-SIGNED"
}

extension X509Summary {
    /// What makes the certificate unfit at `now`: expired, not yet valid, a key under 2048 bits
    /// (RSA, DSA) or 224 bits (EC), or a signature over MD5 or SHA-1 (NIST SP 800-131A).
    func problems(now: Int64) -> [String] {
        var problems: [String] = []
        if now > notAfter { problems.append("expired \(CivilTime.format(notAfter))") }
        if now < notBefore { problems.append("not valid before \(CivilTime.format(notBefore))") }
        if let bits = keyBits {
            let minimum = keyAlgorithm == "EC" ? 224 : (keyAlgorithm == "RSA" || keyAlgorithm == "DSA" ? 2048 : 0)
            if bits < minimum { problems.append("\(keyAlgorithm) key of \(bits) bits") }
        }
        let lower = signatureAlgorithm.lowercased()
        if lower.contains("md5") || lower.contains("sha1") { problems.append("signed with \(signatureAlgorithm)") }
        return problems
    }
}
