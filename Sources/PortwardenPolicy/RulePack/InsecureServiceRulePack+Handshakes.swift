import PortwardenCore

extension InsecureServiceRulePack {
    /// Rows that only a handshake can evidence (`insecure-services.md` §0 item 10, and the TLS
    /// quality the scanner issue asks for): weak SSH algorithms, SMTP AUTH before STARTTLS, weak TLS
    /// cipher suites and unfit certificates. They list no candidate ports: an open port alone says nothing about algorithms
    /// or certificates, so they are never reported port-only. Every row carries 2.2.5 and 1.2.6
    /// (§0 item 1). The TLS rows add 2.2.7 and 8.3.2 only as `INS-TLS-OLD` does (§0 item 7): when an
    /// administrative-access or cleartext-credential rule is confirmed on the same port
    /// (`tlsQualityRuleIDs`); 4.2.1 stays with the assessor, who knows whether account data crosses
    /// open, public networks there.
    static let handshakeRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-SSH-WEAK", name: "SSH-1 or weak SSH algorithms", ports: [], defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("2.2.7", "8.3.2"),
            why:
                "SSH-1, SHA-1 or 1024-bit key exchange, DSA or SHA-1 host keys, CBC/3DES/RC4 ciphers and MD5 or 96-bit "
                + "MACs are not strong cryptography for administrative access and the credentials it carries.",
            remediation:
                "Disable SSH-1 and remove the weak entries from KexAlgorithms, HostKeyAlgorithms, Ciphers and MACs.",
            handshake:
                "Identification string (SSH-1.x) and the server's KEXINIT lists; any weak algorithm offered matches.",
            mitigationsAllowed: ["source-restricted"], basis: .verify),
        InsecureServiceRule(
            id: "INS-SMTP-AUTH-CLEAR", name: "SMTP AUTH PLAIN/LOGIN offered before TLS", ports: [],
            defaultSeverity: .medium, cdeSeverity: .high, requirements: plus("8.3.2"),
            why:
                "AUTH PLAIN and LOGIN carry the password itself; offered on the cleartext connection (before "
                + "STARTTLS, or with no STARTTLS at all) a client may send it readably (8.3.2).",
            remediation:
                "Offer AUTH only after STARTTLS (Postfix smtpd_tls_auth_only = yes, Exim auth_advertise_hosts), or "
                + "only on implicit TLS (465).",
            handshake:
                "EHLO on the cleartext connection: an AUTH keyword naming PLAIN or LOGIN matches; STARTTLS is then "
                + "probed like any TLS port.",
            mitigationsAllowed: ["tls-wrapped", "source-restricted"], basis: .verify),
        InsecureServiceRule(
            id: "INS-TLS-WEAK-CIPHER", name: "Weak TLS cipher suites accepted", ports: [], defaultSeverity: .high,
            cdeSeverity: .high, requirements: plus(),
            why:
                "NULL, EXPORT, DES, 3DES, RC4 and anonymous suites give no or weak encryption or no server "
                + "authentication: not strong cryptography.",
            remediation: "Remove NULL, EXPORT, DES, 3DES, RC4 and anonymous suites from the service's cipher list.",
            handshake:
                "ClientHello offering only weak suites at each accepted version up to TLS 1.2; a ServerHello choosing "
                + "one matches.",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"],
            escalation:
                "2.2.7 on administrative interfaces and 8.3.2 where credentials pass (added when such a rule is "
                + "confirmed on the port); 4.2.1 where account data crosses open, public networks.",
            basis: .verify),
        InsecureServiceRule(
            id: "INS-TLS-CERT", name: "TLS certificate expired, not yet valid, or with a weak key or signature",
            ports: [], defaultSeverity: .medium, cdeSeverity: .high, requirements: plus(),
            why:
                "A certificate outside its validity period, with an RSA or DSA key under 2048 bits, an EC key under "
                + "224 bits, or an MD5 or SHA-1 signature (NIST SP 800-131A) does not give strong cryptography.",
            remediation:
                "Replace the certificate with a current one: RSA ≥ 2048 or EC ≥ 224 bits, signed with SHA-256 or "
                + "better.",
            handshake: "The leaf certificate of a TLS 1.2 handshake: validity dates, key size, signature algorithm.",
            mitigationsAllowed: ["source-restricted"],
            escalation:
                "2.2.7 and 8.3.2 as for INS-TLS-OLD; 4.2.1 (valid, unexpired certificates) where account data "
                + "crosses open, public networks.",
            basis: .verify),
        InsecureServiceRule(
            id: "INS-TLS-CERT-SELF-SIGNED", name: "Self-signed TLS certificate", ports: [], defaultSeverity: .low,
            cdeSeverity: .medium, requirements: plus(),
            why:
                "A client cannot confirm a self-signed certificate as the server's, so clients are taught to accept "
                + "any certificate, and a man in the middle goes unnoticed.",
            remediation: "Issue the certificate from a CA the clients trust (an internal CA is enough inside the CDE).",
            handshake: "The leaf certificate of a TLS 1.2 handshake: issuer equal to subject matches.",
            mitigationsAllowed: ["source-restricted"],
            escalation: "4.2.1 (trusted keys and certificates) where account data crosses open, public networks.",
            basis: .verify),
    ]

    /// The rules about the quality of a port's TLS, whose 2.2.7 and 8.3.2 follow the other rules
    /// confirmed on the same port (`insecure-services.md` §0 item 7).
    public static let tlsQualityRuleIDs: Set<String> = [
        oldTLSRuleID, "INS-TLS-WEAK-CIPHER", "INS-TLS-CERT", "INS-TLS-CERT-SELF-SIGNED",
    ]
}
