/// A PCI DSS v4.0.1 requirement id, such as `1.2.5`.
///
/// Only the numbers of the v4.0/v4.0.1 standard are valid; legacy v3.2.1 numbers (used by older
/// tools) are translated with ``Requirement/fromLegacy(_:)``.
public struct Requirement: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let id: String

    public init(_ id: String) { self.id = id }

    public var description: String { id }

    public init(from decoder: any Decoder) throws {
        id = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }

    /// Numeric ordering: 1.2.5 < 1.2.10 < 2.2.4. The ids are compared component by component (the
    /// non-empty runs between dots), each read as an integer the way `Int(_:)` reads text, and one
    /// that is not an integer (`A1`) sorts after every number; a prefix sorts first. No component
    /// is copied out: findings sort their ids, and every evaluation sorts many.
    public static func < (lhs: Requirement, rhs: Requirement) -> Bool {
        var left = lhs.id
        var right = rhs.id
        return left.withUTF8 { a in right.withUTF8 { b in precedes(a, b) } }
    }

    private static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var j = 0
        while true {
            let left = nextComponent(a, &i)
            let right = nextComponent(b, &j)
            switch (left, right) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): if x != y { return x < y }
            }
        }
    }

    /// The next component at or after `position` (dots skipped), as `Int(component) ?? Int.max`;
    /// `nil` at the end of the id.
    private static func nextComponent(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Int? {
        let dot = UInt8(ascii: ".")
        while position < bytes.count, bytes[position] == dot { position += 1 }
        guard position < bytes.count else { return nil }
        let start = position
        while position < bytes.count, bytes[position] != dot { position += 1 }
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < position else { return Int.max }
        var value = 0
        while index < position {
            let digit = Int(bytes[index]) - 0x30
            guard digit >= 0, digit <= 9 else { return Int.max }
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) =
                negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflowTimes, !overflowAdd else { return Int.max }
            value = next
            index += 1
        }
        return value
    }

    /// Whether the id is one Portwarden knows from the v4.0.1 requirement map.
    public var isKnown: Bool { Requirement.titles[id] != nil }

    /// A short paraphrase of the requirement (our words, not the standard's text).
    public var title: String { Requirement.titles[id] ?? "PCI DSS requirement \(id)" }

    /// Translates a v3.2.1 number to its v4.0 successor(s). A number without a known mapping is
    /// unmapped (an empty list), never itself: several v3.2.1 numbers mean something else in v4
    /// (v3 2.2.4 is v4 2.2.6, v3 8.2.1 is v4 8.3.2).
    public static func fromLegacy(_ id: String) -> [Requirement] {
        (legacy[id] ?? []).map(Requirement.init)
    }

    /// Whether a v3.2.1 number has a known v4.0 mapping (``fromLegacy(_:)`` is empty otherwise).
    public static func isMappedLegacy(_ id: String) -> Bool { legacy[id] != nil }

    static let legacy: [String: [String]] = [
        "1.1.6": ["1.2.5", "1.2.6"], "1.1.7": ["1.2.7"], "1.2.1": ["1.3.1", "1.3.2"], "2.2.2": ["2.2.4"],
        "2.2.3": ["2.2.5"], "6.4.5": ["6.5.1"], "10.3": ["10.2.2"], "10.2.7": ["10.2.1.7"],
        "10.6.1": ["10.4.1"], "10.7": ["10.5.1"], "10.8": ["10.7.2"], "10.8.1": ["10.7.3"],
        "11.2.1": ["11.3.1"], "11.3.4": ["11.4.5"], "11.3.4.1": ["11.4.6"], "11.4": ["11.5.1"],
        "12.11": ["12.4.2"],
    ]

    static let titles: [String: String] = [
        "1.1.1": "Network security control policies and procedures are documented and current",
        "1.1.2": "Roles and responsibilities for network security controls are assigned",
        "1.2.1": "Configuration standards for NSC rulesets are defined, applied and kept current",
        "1.2.2": "Changes to network connections and NSC configurations follow change control",
        "1.2.3": "An accurate network diagram shows all connections to the CDE",
        "1.2.4": "An accurate data-flow diagram of account data is kept",
        "1.2.5": "Every allowed service, protocol and port is identified, approved and justified",
        "1.2.6": "Security features are implemented for every insecure service in use",
        "1.2.7": "NSC configurations are reviewed at least every six months",
        "1.2.8": "NSC configuration files are protected and consistent with the running configuration",
        "1.3.1": "Inbound traffic to the CDE is limited to what is necessary",
        "1.3.2": "Outbound traffic from the CDE is limited to what is necessary",
        "1.3.3": "NSCs sit between wireless networks and the CDE",
        "1.4.1": "NSCs are implemented between trusted and untrusted networks",
        "1.4.2": "Inbound traffic from untrusted networks is restricted",
        "1.4.3": "Anti-spoofing measures are in place",
        "1.4.4": "Components storing cardholder data are not reachable from untrusted networks",
        "1.4.5": "Internal addresses and routing information are disclosed only to authorized parties",
        "1.5.1": "Security controls on dual-connected devices; changes only case by case for a limited period",
        "2.2.2": "Vendor default accounts are managed: defaults changed, or removed or disabled",
        "2.2.4": "Only necessary services, protocols, daemons and functions are enabled",
        "2.2.5": "Insecure services present are justified and have additional security features",
        "2.2.7": "All non-console administrative access is encrypted with strong cryptography",
        "4.2.1": "Strong cryptography protects account data over open, public networks",
        "6.5.1": "Changes to production follow documented change-control procedures",
        "6.5.2": "Requirements are confirmed on systems after a significant change",
        "8.3.1": "All user and administrator access is authenticated with at least one factor",
        "8.3.2": "Authentication factors are unreadable in transit and storage",
        "10.2.1": "Audit logs are enabled and active for all system components",
        "10.2.2": "Audit log records carry the required details",
        "10.3.1": "Read access to audit logs is limited to a job-related need",
        "10.3.2": "Audit logs are protected against modification",
        "10.3.3": "Audit logs are promptly backed up to a central, hard-to-modify store",
        "10.3.4": "Change detection alerts on changes to existing audit log data",
        "10.4.1": "Security events and NSC logs are reviewed at least daily",
        "10.4.1.1": "Automated mechanisms perform audit log reviews",
        "10.4.3": "Exceptions and anomalies found in reviews are addressed",
        "10.5.1": "Audit log history is kept 12 months, 3 months immediately available",
        "10.6.1": "System clocks are synchronized",
        "10.7.2": "Failures of critical security control systems are detected and alerted",
        "10.7.3": "Failures of critical security control systems are responded to",
        "11.3.1": "Internal vulnerability scans are performed every three months",
        "11.4.5": "Segmentation controls are tested every 12 months and after changes",
        "11.4.6": "Service providers test segmentation controls every six months",
        "11.5.1": "Intrusion detection or prevention monitors the CDE",
        "11.5.2": "A change-detection mechanism alerts on unauthorized modification of critical files",
        "12.4.2": "Service providers confirm every three months that operational tasks are performed",
        "12.5.1": "An inventory of in-scope system components is maintained",
        "12.5.2": "PCI DSS scope is documented and confirmed every 12 months",
        "12.5.2.1": "Service providers confirm PCI DSS scope every six months",
    ]
}
