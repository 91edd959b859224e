import PortwardenCore

extension InsecureServiceRulePack {
    /// Network infrastructure services that answer queries they need not (`insecure-services.md`
    /// §0 item 10: "NTP mode 6/7"). Serving time is a necessary function; answering remote control
    /// (mode 6) and private (mode 7) queries is not (2.2.4): they disclose the server's state and
    /// clients and reflect traffic at spoofed victims (mode 7 monlist, CVE-2013-5211). An open
    /// port 123 proves neither, so neither is reported port-only, and a process proves nothing
    /// about `restrict … noquery`. Every row carries 2.2.5 and 1.2.6 (§0 item 1).
    static let networkServiceRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-NTP-MODE7", name: "NTP answering mode 7 monlist", ports: ports("udp/123"),
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
            id: "INS-NTP-MODE6", name: "NTP answering mode 6 control queries", ports: ports("udp/123"),
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
    ]
}
