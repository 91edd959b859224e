import PortwardenCore

/// Why the scope guard refused a scan.
public struct ScopeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which safety rule refused it.
    public enum Code: String, Sendable, Hashable {
        /// Targets outside every zone that the user did not name explicitly.
        case outsideZones = "outside-zones"
        /// Public (globally routable) addresses without `--allow-public`.
        case publicAddress = "public-address"
    }

    /// Which rule refused the scan.
    public var code: Code
    /// Up to the first ten offending addresses.
    public var addresses: [IPAddress]
    /// How many addresses broke the rule.
    public var count: Int

    /// Creates an error.
    public init(_ code: Code, addresses: [IPAddress], count: Int) {
        self.code = code
        self.addresses = addresses
        self.count = count
    }

    /// What was refused, why, and which flag or policy change overrides it.
    public var description: String {
        let listed = addresses.map(\.description).joined(separator: ", ")
        let more = count > addresses.count ? " and \(count - addresses.count) more" : ""
        switch code {
        case .outsideZones:
            return "refusing to scan \(count) address(es) outside every zone of the policy: \(listed)\(more); "
                + "name them explicitly on the command line or add their prefixes to a zone"
        case .publicAddress:
            return "refusing to scan \(count) public address(es): \(listed)\(more); they are not private, "
                + "loopback, link-local, shared (100.64/10), benchmarking or documentation space; "
                + "pass --allow-public if you are authorised to scan them"
        }
    }
}
