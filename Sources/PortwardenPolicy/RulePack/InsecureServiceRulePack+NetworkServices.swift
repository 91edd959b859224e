import PortwardenCore

extension InsecureServiceRulePack {
    /// Network infrastructure services that answer queries they need not (`insecure-services.md`
    /// §0 item 10: "NTP mode 6/7", "open DNS resolver / AXFR"). An open resolver answers recursive
    /// queries from anyone: a reflection amplifier and a cache others can poison; a zone transfer to
    /// anyone hands out the zone's every name and address; 2.2.4's guidance names DNS among typically
    /// unnecessary functions. The pack's table has no row for either: their ids, severities and
    /// requirements follow §0 (2.2.5 and 1.2.6 on every row) and are ours, marked `verify`. Serving time is a necessary function; answering remote control
    /// (mode 6) and private (mode 7) queries is not (2.2.4): they disclose the server's state and
    /// clients and reflect traffic at spoofed victims (mode 7 monlist, CVE-2013-5211). An open
    /// 123 or 53 is any NTP or DNS server and proves none of these, so, like the handshake-only
    /// rows, they list no candidate ports (udp/123, udp/53, tcp/53 in their names and docs): never
    /// port-only, and a declared NTP or DNS service is not "insecure per the pack" for its port
    /// alone; a process proves nothing about `restrict … noquery`, `recursion` or `allow-transfer`. Every row carries
    /// 2.2.5 and 1.2.6 (§0 item 1).
    static let networkServiceRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-NTP-MODE7", name: "NTP answering mode 7 monlist (udp/123)", ports: [],
            defaultSeverity: .high, cdeSeverity: .high, requirements: plus("2.2.4"),
            why:
                "An NTP server that answers the private (mode 7) monlist query returns up to 600 of its recent "
                + "clients to anyone, a reflection amplifier (CVE-2013-5211) and a map of who uses it.",
            remediation:
                "Upgrade to an ntpd without mode 7 (ntpsec, ntp 4.2.7p26 or later) or disable it (disable monitor; "
                + "restrict default noquery), and answer only mode 3 from clients.",
            handshake:
                "One mode-7 REQ_MON_GETLIST_1 request (48 bytes): a mode-7 response for that request without an "
                + "error code matches.",
            mitigationsAllowed: ["source-restricted"], basis: .verify, configurationDependent: true,
            reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-NTP-MODE6", name: "NTP answering mode 6 control queries (udp/123)", ports: [],
            defaultSeverity: .medium, cdeSeverity: .medium, requirements: plus("2.2.4"),
            why:
                "An NTP server that answers control (mode 6) queries from any address discloses its version, "
                + "peers and system state (ntpq readvar) and reflects larger answers than the query.",
            remediation:
                "Add noquery to the default restrict line (restrict default … noquery) and allow control "
                + "queries only from the management hosts.",
            handshake:
                "One mode-6 READSTAT request (12 bytes, the probe's cookie as sequence): a READSTAT response "
                + "without the error bit matches.",
            mitigationsAllowed: ["source-restricted"], basis: .verify, configurationDependent: true,
            reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-DNS-OPEN-RESOLVER", name: "DNS server resolving recursively for the scanner (udp/53)",
            ports: [], defaultSeverity: .medium, cdeSeverity: .high, requirements: plus("2.2.4"),
            why:
                "A DNS server that resolves names outside its own zones for any client is a reflection amplifier "
                + "and a shared cache an attacker can poison, and lets hosts without DNS egress tunnel out.",
            remediation:
                "Turn recursion off on authoritative servers (recursion no) and limit resolvers to their clients "
                + "(allow-recursion / allow-query-cache with an address match list).",
            handshake:
                "With a name outside the server's zones configured (--dns-recursion-name), one A query with RD set: "
                + "an answer with RA set, AA clear, RCODE 0 and at least one record matches.",
            mitigationsAllowed: ["source-restricted"], basis: .verify, configurationDependent: true,
            reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-DNS-AXFR", name: "DNS server transferring a zone to the scanner (tcp/53)",
            ports: [], defaultSeverity: .medium, cdeSeverity: .high, requirements: plus("2.2.4"),
            why:
                "A DNS server that hands a whole zone (AXFR) to any client gives away every name and address in it: "
                + "a map of the network for whoever asks, and a transfer to anyone is no function the zone needs.",
            remediation:
                "Allow zone transfers only to the secondaries (allow-transfer with their addresses, or a TSIG key: "
                + "allow-transfer { key NAME; }), and none on servers without secondaries.",
            handshake:
                "With a zone named (--dns-transfer-zone), one AXFR query for it over TCP 53: a response with RCODE 0 "
                + "whose first answer record is that zone's SOA matches; the rest of the transfer is not read.",
            mitigationsAllowed: ["source-restricted"], basis: .verify, configurationDependent: true,
            reportsPortOnly: false),
    ]
}
