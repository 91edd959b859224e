/// SSH: the identification string, then the server's KEXINIT (sent in the clear before any key
/// exchange), which lists every algorithm the server would use.
extension PortProbe {
    /// The identification string detection sends: a client that will never authenticate.
    static let sshClientIdentification = "SSH-2.0-Portwarden_probe\r\n"

    /// Records the product, the protocol version and the offered algorithms; `INS-SSH-WEAK` is
    /// confirmed by SSH-1 or a weak algorithm on offer, not-matched when a KEXINIT showed none.
    mutating func probeSSH(_ banner: [UInt8], on connection: ProbeConnection) {
        guard let identification = SSHBanner.parse(banner) else {
            result.identify("ssh")
            return
        }
        result.identify("ssh", software: identification.productVersion)
        result.details["ssh.protocol"] = identification.protocolVersion
        var weak = identification.offersSSH1 ? ["protocol \(identification.protocolVersion) (SSH-1)"] : []
        var algorithms: SSHKeyExchangeInit?
        // An SSH-1-only server (1.5) sends no KEXINIT: the version alone decides.
        if identification.protocolVersion == "2.0" || identification.protocolVersion == "1.99",
            connection.send(Self.sshClientIdentification)
        {
            let rest = Array(banner.drop { $0 != 10 }.dropFirst())
            let packet = connection.receive(appendingTo: rest) { SSHKeyExchangeInit.isFinal($0) }
            if case .kexinit(let offered) = SSHKeyExchangeInit.parse(packet) { algorithms = offered }
        }
        if let algorithms {
            result.details["ssh.kex"] = algorithms.keyExchange.joined(separator: ",")
            result.details["ssh.hostkeys"] = algorithms.hostKeys.joined(separator: ",")
            result.details["ssh.ciphers"] = algorithms.ciphers.joined(separator: ",")
            result.details["ssh.macs"] = algorithms.macs.joined(separator: ",")
            weak += algorithms.weakAlgorithms
        }
        if !weak.isEmpty {
            result.details["ssh.weak"] = weak.joined(separator: "; ")
            result.record(Self.sshWeakRule, .confirmed)
        } else if algorithms != nil {
            result.record(Self.sshWeakRule, .notMatched)
        }
    }

    /// The rule for SSH-1 and weak SSH algorithms.
    static let sshWeakRule = "INS-SSH-WEAK"
}
