import PortwardenCore

/// The safety check before any probe leaves (ARCHITECTURE.md "Safety"): Portwarden scans only what
/// the policy's zones cover or what the user named explicitly, and never public address space
/// without `--allow-public`.
public struct ScopeGuard: Sendable {
    /// The addresses the policy's zones cover.
    public let zoneAddresses: IPSet
    /// Whether public addresses may be scanned.
    public let allowPublic: Bool

    /// Address space that is not globally routable, so scanning it cannot touch the internet.
    public static let nonPublic = IPSet(
        [
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "::1/128", "::/128", "fc00::/7", "fe80::/10", "2001:db8::/32", "3fff::/20",
        ].compactMap { Prefix($0) })

    /// Creates a guard.
    /// - Parameters:
    ///   - zones: the policy's zones; their prefixes are the implicit scope.
    ///   - allowPublic: whether public addresses are allowed (`--allow-public`).
    public init(zones: [Zone], allowPublic: Bool) {
        zoneAddresses = IPSet(zones.flatMap(\.prefixes))
        self.allowPublic = allowPublic
    }

    /// Whether an address is public: outside every non-routable block. IPv4-mapped IPv6
    /// addresses (`::ffff:a.b.c.d`) are judged by their IPv4 address.
    public static func isPublic(_ address: IPAddress) -> Bool {
        if !address.isIPv4, address.value >> 32 == 0xFFFF {
            return isPublic(IPAddress(ipv4: UInt32(truncatingIfNeeded: address.value)))
        }
        return !nonPublic.contains(address)
    }

    /// Checks targets before a scan.
    /// - Parameters:
    ///   - targets: the addresses about to be scanned.
    ///   - explicit: whether the user named them on the command line (not derived from a file
    ///     of discovered hosts or an earlier scan).
    /// - Throws: ``ScopeError`` for public addresses (without `allowPublic`) or addresses outside
    ///   every zone (unless explicit).
    public func check(_ targets: [IPAddress], explicit: Bool) throws {
        if !allowPublic {
            try refuse(.publicAddress, targets.lazy.filter(Self.isPublic))
        }
        if !explicit {
            try refuse(.outsideZones, targets.lazy.filter { !zoneAddresses.contains($0) })
        }
    }

    private func refuse(_ code: ScopeError.Code, _ offenders: some Sequence<IPAddress>) throws {
        var shown: [IPAddress] = []
        var count = 0
        for address in offenders {
            if shown.count < 10 { shown.append(address) }
            count += 1
        }
        if count > 0 { throw ScopeError(code, addresses: shown, count: count) }
    }
}
