import PortwardenCore

extension InsecureServiceRulePack {
    /// Legacy file sharing, remote desktops, management planes, caches and small services that are
    /// unnecessary or unauthenticated.
    static let infrastructureRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-SNMPV12", name: "SNMP v1 / v2c", ports: ports("udp/161"), defaultSeverity: .high,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why: "SNMP v1/v2c authenticates with a community string only and offers no privacy.",
            remediation: "Disable SNMP v1/v2c and use SNMPv3 with authPriv.",
            handshake: "v1/v2c GetRequest for sysDescr.0 with each configured community; any response matches.",
            processes: ["snmpd"], mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"],
            configurationDependent: true),
        InsecureServiceRule(
            id: "INS-SNMP-DEFAULT-COMMUNITY", name: "SNMP answering a default community (public/private)",
            ports: ports("udp/161"), defaultSeverity: .critical, cdeSeverity: .critical,
            requirements: plus("2.2.2", "8.3.2"),
            why: "A vendor-default community string is a default credential: anyone who knows the default can read "
                + "(and with private, often write) the device's configuration.",
            remediation: "Remove the public/private communities; use SNMPv3 authPriv with per-device credentials.",
            handshake: "A configured default community (public or private) answers a GetRequest for sysDescr.0.",
            mitigationsAllowed: [], reportsPortOnly: false),
        // insecure-services.md §0 item 10 names "SNMPv3 noAuthNoPriv"; the table has no row, so the
        // ids (2.2.4, and 8.3.1 for no authentication at all, §0 item 5) and severity are ours.
        InsecureServiceRule(
            id: "INS-SNMPV3-NOAUTH", name: "SNMPv3 user served at noAuthNoPriv", ports: [], defaultSeverity: .high,
            cdeSeverity: .high, requirements: plus("2.2.4", "8.3.1"),
            why: "An SNMPv3 user the agent serves at noAuthNoPriv needs no authentication at all and gets no "
                + "privacy: anyone who knows the user name reads what its view holds.",
            remediation: "Require authPriv for every SNMPv3 user (net-snmp: rouser NAME priv, createUser NAME "
                + "SHA-256 … AES …) and remove noAuthNoPriv access.",
            handshake: "With each configured --snmp-v3-user, after the engine-discovery Report: a noAuthNoPriv "
                + "GetRequest for sysDescr.0 as that user; a Response without error matches, authorizationError "
                + "or usmStatsUnsupportedSecLevels is not-matched, usmStatsUnknownUserNames is no verdict.",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], basis: .verify, reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-SMB1", name: "SMBv1 / CIFS", ports: ports("tcp/445 tcp/139"), defaultSeverity: .high,
            cdeSeverity: .critical, requirements: plus("2.2.4"),
            why: "SMB1 is deprecated and unsafe (the EternalBlue/WannaCry class of attacks).",
            remediation: "Disable SMB1 on the server (SMB 3 only) and remove the SMB1 component.",
            handshake: "SMB negotiate offering only NT LM 0.12; a successful response matches.",
            mitigationsAllowed: ["source-restricted"]),
        InsecureServiceRule(
            id: "INS-NETBIOS", name: "NetBIOS name / datagram / session", ports: ports("udp/137 udp/138 tcp/139"),
            defaultSeverity: .medium, cdeSeverity: .medium, requirements: plus("2.2.4"),
            why: "NetBIOS name resolution and file sharing are legacy functions servers rarely need.",
            remediation: "Disable NetBIOS over TCP/IP on the host.",
            handshake: "NBSTAT node-status query to 137/udp; a name table in the reply matches.", processes: ["nmbd"],
            mitigationsAllowed: ["source-restricted"]),
        InsecureServiceRule(
            id: "INS-RDP-NONLA", name: "RDP without Network Level Authentication", ports: ports("tcp/3389"),
            defaultSeverity: .high, cdeSeverity: .high, requirements: plus("2.2.7"),
            why:
                "Without NLA the server shows a logon session before authenticating and may fall back to legacy RDP security.",
            remediation: "Require Network Level Authentication (UserAuthentication=1) and TLS security for RDP.",
            handshake: "X.224 request offering TLS and CredSSP; a response selecting standard RDP security matches.",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], basis: .verify),
        InsecureServiceRule(
            id: "INS-X11", name: "X11 display server", ports: ports("tcp/6000-6063"), defaultSeverity: .high,
            cdeSeverity: .high, requirements: plus("2.2.4", "8.3.1"),
            why: "An X server reachable without access control lets anyone capture keystrokes and screens.",
            remediation: "Start the X server with -nolisten tcp and use SSH X11 forwarding where needed.",
            handshake: "X11 connection setup; status byte 1 (success) means an open display.",
            processes: ["Xorg", "X"], mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"],
            basis: .verify, configurationDependent: true),
        InsecureServiceRule(
            id: "INS-REDIS", name: "Redis", ports: ports("tcp/6379"), defaultSeverity: .high, cdeSeverity: .critical,
            requirements: plus("8.3.1"),
            why: "Redis is built for trusted clients only, and exposed instances are actively exploited.",
            remediation: "Bind Redis to trusted interfaces, require AUTH/ACLs and TLS, and keep protected mode on.",
            handshake: "PING without AUTH answered +PONG (NOAUTH or DENIED do not match).", processes: ["redis-server"],
            mitigationsAllowed: ["source-restricted", "tls-wrapped"], configurationDependent: true),
        InsecureServiceRule(
            id: "INS-MEMCACHED", name: "Memcached", ports: ports("tcp/11211 udp/11211"), defaultSeverity: .high,
            cdeSeverity: .high, requirements: plus("2.2.4", "8.3.1"),
            why: "Memcached has no authentication by default and its UDP port is abused for amplification.",
            remediation: "Disable UDP, bind to trusted interfaces and enable SASL authentication.",
            handshake: "version (tcp) or stats over the UDP frame header; any reply matches.", processes: ["memcached"],
            mitigationsAllowed: ["source-restricted"], basis: .verify, configurationDependent: true),
        InsecureServiceRule(
            id: "INS-DOCKER-API", name: "Docker Engine API without TLS", ports: ports("tcp/2375"),
            defaultSeverity: .critical,
            cdeSeverity: .critical, requirements: plus("2.2.7", "8.3.1"),
            why: "Whoever reaches the Docker daemon API controls the host as root.",
            remediation: "Stop exposing the daemon on 2375; use SSH or TLS client certificates on 2376.",
            handshake: "GET /version over plain HTTP answered 200 with an ApiVersion.", processes: ["dockerd"],
            mitigationsAllowed: ["source-restricted"], configurationDependent: true),
        InsecureServiceRule(
            id: "INS-NFS-RPC", name: "NFS, rpcbind, NIS", ports: ports("tcp/2049 udp/2049 tcp/111 udp/111"),
            defaultSeverity: .medium, cdeSeverity: .high, requirements: plus("2.2.4"),
            why: "NFS and NIS trust hosts (AUTH_SYS) and rpcbind enumerates RPC services to anyone.",
            remediation:
                "Disable rpcbind, NIS and NFS where not needed; otherwise restrict them and use Kerberos (sec=krb5p).",
            handshake: "rpcbind DUMP lists NFS, mountd or ypserv programs.",
            processes: ["rpcbind", "ypserv", "rpc.mountd"], mitigationsAllowed: ["source-restricted"]),
        InsecureServiceRule(
            id: "INS-SMALLSVC", name: "echo, discard, daytime, chargen, time, finger, talk",
            ports: ports(
                "tcp/7 udp/7 tcp/9 udp/9 tcp/13 udp/13 tcp/19 udp/19 tcp/37 udp/37 tcp/79 udp/79 udp/517 udp/518"),
            defaultSeverity: .medium, cdeSeverity: .medium, requirements: plus("2.2.4"),
            why: "The obsolete small services enable reflection and amplification, and finger leaks user data.",
            remediation: "Disable the small services (xinetd/inetd entries) and remove talk and finger.",
            handshake: "Trivial per-port probe: echo returns input, daytime a date, chargen streams characters.",
            processes: ["xinetd", "inetd", "fingerd", "in.fingerd", "talkd", "in.talkd"],
            mitigationsAllowed: ["source-restricted"]),
        InsecureServiceRule(
            id: "INS-AVAHI", name: "mDNS / Avahi", ports: ports("udp/5353"), defaultSeverity: .low, cdeSeverity: .low,
            requirements: plus("2.2.4"),
            why: "Zero-configuration service advertisement is unnecessary on servers.",
            remediation: "Disable avahi-daemon (and its socket) on servers.",
            handshake: "mDNS query for _services._dns-sd._udp.local; any answer matches.", processes: ["avahi-daemon"],
            mitigationsAllowed: ["source-restricted"]),
        InsecureServiceRule(
            id: "INS-IPMI", name: "IPMI / BMC", ports: ports("udp/623"), defaultSeverity: .high, cdeSeverity: .high,
            requirements: plus("2.2.7"),
            why:
                "IPMI 2.0 RAKP exposes password hashes and the management plane must not be reachable from user zones.",
            remediation:
                "Put BMCs on a dedicated management network and disable cipher suite 0 and IPMI over LAN where possible.",
            handshake: "RMCP Get Channel Authentication Capabilities answered.",
            mitigationsAllowed: ["source-restricted"], basis: .verify),
        InsecureServiceRule(
            id: "INS-SYSLOG-UDP", name: "syslog over UDP", ports: ports("udp/514"), defaultSeverity: .info,
            cdeSeverity: .low, requirements: plus("10.3.3", "10.7.2"),
            why:
                "Syslog over UDP is unauthenticated, spoofable and lossy: an advisory for prompt, complete log "
                + "collection (10.3.3) and detecting a silent log pipeline (10.7.2).",
            remediation: "Ship logs over TLS syslog (6514/tcp) or RELP and close 514/udp.",
            handshake: "Passive only: a listener on 514/udp in the host inventory or traffic in flow logs.",
            processes: ["rsyslogd", "syslog-ng", "syslogd"],
            mitigationsAllowed: ["source-restricted", "extra-logging"],
            basis: .verify),
        InsecureServiceRule(
            id: "INS-JMX-RMI", name: "Java RMI registry / JMX without authentication", ports: ports("tcp/1099"),
            defaultSeverity: .high, cdeSeverity: .high, requirements: plus("2.2.4", "2.2.7", "8.3.1"),
            why: "An unauthenticated JMX/RMI endpoint can lead to remote code execution.",
            remediation:
                "Require JMX authentication and TLS (com.sun.management.jmxremote.authenticate/ssl) or disable remote JMX.",
            handshake: "RMI registry list call returns bound names such as jmxrmi without authentication.",
            mitigationsAllowed: ["source-restricted"], basis: .verify, configurationDependent: true),
        // `insecure-services.md` §0 item 10 names PPTP; its table has no row, so the id, severities and
        // requirements are ours (2.2.5 and 1.2.6 as on every row, 8.3.2 for the recoverable credential),
        // marked `verify`.
        InsecureServiceRule(
            id: "INS-PPTP", name: "PPTP VPN server", ports: ports("tcp/1723"), defaultSeverity: .high,
            cdeSeverity: .critical, requirements: plus("8.3.2"),
            why:
                "PPTP authenticates with MS-CHAPv2 inside PPP, whose exchange lets anyone who captures it recover "
                + "the password hash and with it the session keys: the credential does not stay unreadable in "
                + "transit, and MPPE adds no protection once it is known.",
            remediation:
                "Replace PPTP with IKEv2/IPsec, WireGuard or a TLS VPN, and close tcp/1723 and GRE (IP protocol 47).",
            handshake:
                "A PPTP Start-Control-Connection-Request (RFC 2637) on tcp/1723: any Start-Control-Connection-Reply "
                + "matches (no call is placed and nothing is authenticated).",
            processes: ["pptpd"], mitigationsAllowed: ["tunnelled-ipsec", "source-restricted"], basis: .verify),
    ]
}
