import Foundation

/// A real BIND 9 `named` in the target namespace, for the DNS checks: an authoritative primary for
/// ``labZone`` whose zone transfers are allowed to anyone or to no one, and with recursion on or
/// off. When recursion is on, named's only forwarder is a dnsmasq on port 5300 of the same target
/// that holds ``elsewhereName`` (`forward only`), so no query ever leaves the lab.
extension VethTestNetwork {
    /// A name outside named's zones, held by the lab's upstream dnsmasq.
    public static let elsewhereName = "www.elsewhere.test"
    /// The address the upstream dnsmasq gives ``elsewhereName``.
    public static let elsewhereAddress = "10.99.0.77"
    /// The zone named is the primary for.
    public static let labZone = "lab.test"
    /// The serial of ``labZone``'s SOA record.
    public static let labZoneSerial: UInt32 = 2_026_120_201

    /// Why the named lab cannot run here, or `nil`.
    public static var namedUnavailable: String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        for binary in ["named", "dnsmasq"] where Shell.which(binary) == nil {
            return "needs \(binary) (apt-get install -y bind9 dnsmasq)"
        }
        return nil
    }

    /// Starts named on the target's IPv4 and IPv6 addresses (UDP and TCP 53) and, with `recursion`,
    /// its upstream dnsmasq on IPv4 port 5300.
    /// - Parameters:
    ///   - recursion: `recursion yes` (with `allow-recursion { any; }`) or `recursion no`.
    ///   - transferToAnyone: the zone's `allow-transfer { any; }` when true, `{ none; }` when false.
    /// - Returns: the UDP ports to wait for with ``waitForListeners(_:tcp:)``.
    @discardableResult
    public func startNamed(recursion: Bool, transferToAnyone: Bool = false) throws -> [UInt16] {
        let directory = directory.path
        if recursion {
            try spawnDaemon([
                "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--bind-interfaces", "--listen-address=\(Self.targetV4)", "--port=5300",
                "--address=/\(Self.elsewhereName)/\(Self.elsewhereAddress)", "--user=root", "--group=root",
                "--pid-file=\(directory)/upstream.pid",
            ])
        }
        let zoneFile = try write(
            "\(Self.labZone).zone",
            """
            $TTL 300
            @ IN SOA ns1.\(Self.labZone). hostmaster.\(Self.labZone). \(Self.labZoneSerial) 3600 600 86400 300
            @ IN NS ns1.\(Self.labZone).
            ns1 IN A \(Self.targetV4)
            pay IN A 10.99.0.50

            """)
        let forwarding =
            recursion
            ? """
                allow-recursion { any; };
                forwarders { \(Self.targetV4) port 5300; };
                forward only;
            """ : ""
        let config = try write(
            "named.conf",
            """
            options {
                directory "\(directory)";
                pid-file "\(directory)/named.pid";
                listen-on port 53 { \(Self.targetV4); };
                listen-on-v6 port 53 { \(Self.targetV6); };
                recursion \(recursion ? "yes" : "no");
            \(forwarding)
                dnssec-validation no;
            };
            controls { };
            zone "\(Self.labZone)" {
                type primary;
                file "\(zoneFile)";
                allow-transfer { \(transferToAnyone ? "any" : "none"); };
            };

            """)
        try spawnDaemon(["named", "-g", "-c", config])
        return recursion ? [53, 5300] : [53]
    }
}
