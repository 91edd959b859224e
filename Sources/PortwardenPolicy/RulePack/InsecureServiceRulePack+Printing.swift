import PortwardenCore

extension InsecureServiceRulePack {
    /// Network printers, for `insecure-services.md` §0 item 10's "printers (9100/515/631)". The
    /// pack's table has no rows for them: ids, severities and requirements are ours (2.2.5 and 1.2.6
    /// as on every row; 8.3.1 where nothing authenticates, 8.3.2 where a password would cross
    /// in cleartext), all marked `verify`.
    static let printingRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-IPP-ANON", name: "IPP printer taking requests without authentication",
            ports: ports("tcp/631"), defaultSeverity: .medium, cdeSeverity: .high, requirements: plus("8.3.1"),
            why:
                "The printer names no authentication (none, or only the user name the client claims) for one of "
                + "its URIs: anyone who reaches it can submit, list and cancel jobs; it was reached over plain HTTP, "
                + "so the documents can cross the network readably too.",
            remediation:
                "Require authentication for job operations and TLS (ipps, or CUPS' DefaultEncryption Required), "
                + "or restrict tcp/631 to the print clients that need it.",
            handshake:
                "IPP Get-Printer-Attributes (RFC 8011) in an HTTP POST to /ipp/print, then CUPS-Get-Default on /: an "
                + "application/ipp response whose uri-authentication-supported is none or requesting-user-name for "
                + "one of its printer-uri-supported matches (no job is sent).",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], basis: .verify, reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-IPP-CLEAR", name: "IPP printer without TLS", ports: ports("tcp/631"), defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why:
                "The printer answers IPP over plain HTTP and asks Basic or Digest authentication for its cleartext "
                + "URI: the password, and every document, cross the network without TLS.",
            remediation: "Serve IPP over TLS only (ipps; CUPS: DefaultEncryption Required) and close cleartext IPP.",
            handshake:
                "The same IPP requests: an application/ipp response whose uri-authentication-supported is basic or "
                + "digest for a URI with uri-security-supported none matches.",
            processes: ["cupsd"], mitigationsAllowed: ["tls-wrapped", "tunnelled-ipsec", "source-restricted"],
            basis: .verify, configurationDependent: true),
        InsecureServiceRule(
            id: "INS-LPD", name: "LPD print service (RFC 1179)", ports: ports("tcp/515"), defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("8.3.1"),
            why:
                "LPD has no authentication and no encryption: the user name in a job is the client's claim, the "
                + "only control is the daemon's list of client hosts, and jobs cross the network readably.",
            remediation: "Disable the LPD listener and print over IPP with TLS and authentication.",
            handshake:
                "LPD 'send queue state (short)' (0x03, queue lp, LF) on tcp/515: a text answer ended by the daemon "
                + "closing the connection matches, a refusal of this host included (no job is sent).",
            processes: ["lpd", "cups-lpd"], mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"],
            basis: .verify),
        InsecureServiceRule(
            id: "INS-JETDIRECT", name: "Raw print port (JetDirect / AppSocket)", ports: ports("tcp/9100"),
            defaultSeverity: .medium, cdeSeverity: .high, requirements: plus("8.3.1"),
            why:
                "A raw print port prints whatever any client sends, with no authentication and no encryption, and "
                + "most printers also take printer-language commands (PJL) on it.",
            remediation: "Close the raw port and print over IPP with TLS and authentication, or restrict tcp/9100.",
            handshake:
                "None: a raw port prints whatever it receives, so detection sends it no bytes and an open tcp/9100 "
                + "stays unverified; the host agent naming p910nd confirms it.",
            processes: ["p910nd"], mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], basis: .verify),
    ]
}
