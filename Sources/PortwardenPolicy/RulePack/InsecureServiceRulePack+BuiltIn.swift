import PortwardenCore

extension InsecureServiceRulePack {
    /// The built-in pack: every insecure service Portwarden knows, as data.
    public static let builtIn = InsecureServiceRulePack(
        rules: cleartextRules + infrastructureRules + networkServiceRules + messagingRules + controlPlaneRules
            + printingRules + handshakeRules)

    /// Requirements of a row: 2.2.5 and 1.2.6, which every row carries, plus x and y.
    static func plus(_ extra: String...) -> [Requirement] {
        (["2.2.5", "1.2.6"] + extra).map(Requirement.init)
    }

    /// Parses `tcp/23 tcp/2323 udp/69`; the pack is literal data, so a typo drops the entry
    /// (and the pack tests catch it) instead of crashing.
    static func ports(_ text: String) -> [PortSpec] {
        text.split(separator: " ").compactMap { try? PortSpec.parse(String($0)).get() }
    }

    /// Telnet, FTP, r-services, mail, HTTP management and other services that carry logins or whole
    /// sessions in cleartext.
    static let cleartextRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-TELNET", name: "Telnet", ports: ports("tcp/23 tcp/2323"), defaultSeverity: .high,
            cdeSeverity: .critical, requirements: plus("2.2.7", "8.3.2"),
            why: "Telnet carries the whole session, login included, in cleartext.",
            remediation: "Disable Telnet and use SSH for remote administration.",
            handshake:
                "First bytes are Telnet option negotiation (IAC followed by WILL/WONT/DO/DONT) or a bare login prompt.",
            processes: ["telnetd", "in.telnetd", "utelnetd"],
            mitigationsAllowed: ["source-restricted", "extra-logging"]),
        InsecureServiceRule(
            id: "INS-FTP", name: "FTP without TLS", ports: ports("tcp/21"), defaultSeverity: .high,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why: "FTP sends USER and PASS in cleartext.",
            remediation: "Replace FTP with SFTP, or require explicit TLS (AUTH TLS) and refuse plaintext logins.",
            handshake: "220 greeting; AUTH TLS answered 500/502/504 means cleartext only.",
            processes: ["vsftpd", "proftpd", "pure-ftpd", "in.ftpd", "ftpd"],
            mitigationsAllowed: ["tls-wrapped", "source-restricted", "extra-logging"], configurationDependent: true),
        InsecureServiceRule(
            id: "INS-TFTP", name: "TFTP", ports: ports("udp/69"), defaultSeverity: .high, cdeSeverity: .high,
            requirements: plus("2.2.4"),
            why:
                "TFTP has no authentication and no encryption, so anyone who reaches it can read and often write files.",
            remediation:
                "Remove the TFTP server, or restrict it to the provisioning network for the time it is needed.",
            handshake: "A read request for a random name answered with an ERROR or DATA packet.",
            processes: ["in.tftpd", "tftpd", "atftpd"], mitigationsAllowed: ["source-restricted"]),
        InsecureServiceRule(
            id: "INS-RSH", name: "rexec / rlogin / rsh", ports: ports("tcp/512 tcp/513 tcp/514"),
            defaultSeverity: .high,
            cdeSeverity: .critical, requirements: plus("2.2.7", "8.3.2"),
            why: "The r-services are cleartext and trust hosts by address (.rhosts).",
            remediation: "Remove the r-services (rsh-server) and use SSH.",
            handshake: "TCP connect, send the r-protocol null-byte start; a null byte or a prompt back confirms.",
            processes: ["in.rshd", "in.rlogind", "in.rexecd", "rshd", "rlogind", "rexecd"],
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec", "extra-logging"]),
        InsecureServiceRule(
            id: "INS-POP3", name: "POP3 without TLS", ports: ports("tcp/110"), defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why: "POP3 without TLS carries mailbox logins in cleartext.",
            remediation: "Serve POP3S on 995 or require STLS before login, then close 110.",
            handshake: "+OK greeting; CAPA without STLS, or USER accepted before TLS.",
            mitigationsAllowed: ["tls-wrapped", "source-restricted"], configurationDependent: true),
        InsecureServiceRule(
            id: "INS-IMAP", name: "IMAP without TLS", ports: ports("tcp/143"), defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why: "IMAP without TLS carries mailbox logins in cleartext.",
            remediation: "Serve IMAPS on 993 or require STARTTLS with LOGINDISABLED before TLS, then close 143.",
            handshake: "* OK greeting; CAPABILITY without STARTTLS, or without LOGINDISABLED before TLS.",
            mitigationsAllowed: ["tls-wrapped", "source-restricted"], configurationDependent: true),
        InsecureServiceRule(
            id: "INS-HTTP-ADMIN", name: "HTTP management UI or API",
            ports: ports("tcp/80 tcp/8000 tcp/8008 tcp/8080 tcp/8888"),
            findingRule: EvaluationRule.cleartextAdmin, defaultSeverity: .high, cdeSeverity: .critical,
            requirements: plus("2.2.7", "8.3.2"),
            why: "Non-console administrative access over plain HTTP sends credentials and sessions unencrypted.",
            remediation:
                "Serve the management interface over HTTPS only (TLS 1.2 or later) and redirect or close plain HTTP.",
            handshake:
                "GET / over plain HTTP shows a login form, WWW-Authenticate Basic/Digest or a known admin path, with no redirect to HTTPS.",
            mitigationsAllowed: ["tls-wrapped", "tunnelled-ipsec", "source-restricted"], reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-TLS-OLD", name: "SSLv2, SSLv3, TLS 1.0 or TLS 1.1 offered", ports: [], defaultSeverity: .high,
            cdeSeverity: .high, requirements: plus(),
            why: "SSL and TLS 1.0/1.1 are deprecated (RFC 8996) and are not strong cryptography for PCI DSS.",
            remediation: "Disable SSLv2, SSLv3, TLS 1.0 and TLS 1.1 on the service and offer TLS 1.2 or 1.3 only.",
            handshake: "ClientHello pinned to each old version in turn; a ServerHello at that version matches.",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"],
            escalation:
                "2.2.7 on administrative interfaces and 8.3.2 where credentials pass (added when such a rule is confirmed on the port); 4.2.1 where account data crosses open, public networks."
        ),
        InsecureServiceRule(
            id: "INS-VNC-NONE", name: "VNC without authentication (security type None)",
            ports: ports("tcp/5900-5906"), defaultSeverity: .critical, cdeSeverity: .critical,
            requirements: plus("2.2.7", "8.3.1"),
            why: "VNC security type 1 (None) hands the desktop to anyone who connects, with no authentication at all.",
            remediation:
                "Remove security type None; tunnel VNC through SSH or a VPN and offer VeNCrypt/TLS types only.",
            handshake: "RFB banner, then the security-type list: type 1 (None) offered matches.",
            mitigationsAllowed: ["tunnelled-ipsec", "source-restricted"], reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-VNC", name: "VNC Authentication (DES challenge, unencrypted session)",
            ports: ports("tcp/5900-5906 tcp/5800"), defaultSeverity: .high, cdeSeverity: .critical,
            requirements: plus("2.2.7", "8.3.2"),
            why:
                "VNC Authentication (type 2) is a DES challenge with the password cut to 8 characters, and the session itself is unencrypted.",
            remediation: "Remove VNC or tunnel it through SSH or a VPN and require VeNCrypt/TLS security types only.",
            handshake: "RFB banner, then the security-type list: type 2 offered matches; only TLS/VeNCrypt does not.",
            processes: ["Xvnc", "x11vnc", "vncserver", "Xtightvnc"],
            mitigationsAllowed: ["tunnelled-ipsec", "source-restricted", "extra-logging"], configurationDependent: true),
        InsecureServiceRule(
            id: "INS-DB-CLEAR", name: "Database listener without enforced TLS or authentication",
            ports: ports("tcp/3306 tcp/5432 tcp/1433 tcp/1521 tcp/27017 tcp/5984 tcp/9042 tcp/9200 tcp/9300"),
            findingRule: EvaluationRule.cleartextAuth, defaultSeverity: .high, cdeSeverity: .high,
            requirements: plus("8.3.2"),
            why: "Database logins (and often card data) cross the network in cleartext unless TLS is enforced.",
            remediation: "Require TLS for every client connection and authentication on the database listener.",
            handshake:
                "MySQL greeting without CLIENT_SSL; PostgreSQL SSLRequest answered N; MongoDB hello or Elasticsearch GET / without credentials.",
            mitigationsAllowed: ["tls-wrapped", "source-restricted", "tunnelled-ipsec"],
            escalation: "Critical when the database answers without authentication.", basis: .verify,
            configurationDependent: true),
        InsecureServiceRule(
            id: "INS-LDAP-CLEAR", name: "LDAP simple bind without TLS", ports: ports("tcp/389"),
            defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why: "LDAP simple-bind passwords travel in cleartext unless StartTLS or LDAPS is required.",
            remediation: "Require StartTLS before bind or move clients to LDAPS on 636, then refuse cleartext binds.",
            handshake: "Anonymous RootDSE search whose supportedExtension lacks StartTLS.",
            mitigationsAllowed: ["tls-wrapped", "source-restricted"], basis: .verify),
        InsecureServiceRule(
            id: "INS-WINRM-HTTP", name: "WinRM over HTTP", ports: ports("tcp/5985"), defaultSeverity: .low,
            cdeSeverity: .medium, requirements: plus("2.2.7"),
            why: "WinRM on 5985 is HTTP; Basic authentication there is cleartext and encryption depends on the client.",
            remediation: "Use WinRM over HTTPS on 5986, set AllowUnencrypted=false and disable Basic authentication.",
            handshake: "POST /wsman without credentials; WWW-Authenticate offering Basic matches.",
            mitigationsAllowed: ["tls-wrapped", "source-restricted"], basis: .verify),
        InsecureServiceRule(
            id: "INS-RSYNCD", name: "rsync daemon", ports: ports("tcp/873"), defaultSeverity: .medium,
            cdeSeverity: .medium,
            requirements: plus("2.2.4", "8.3.2"),
            why: "The rsync daemon protocol is unencrypted and often serves anonymous modules.",
            remediation: "Disable rsyncd and run rsync over SSH instead.",
            handshake: "@RSYNCD: greeting, then a module list request.", processes: ["rsync"],
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], configurationDependent: true),
    ]
}
