#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A scan's record of itself: who ran what from where, when, with which knobs, and what each
/// target really got. It is the context an assessor needs to judge the observations (an
/// `allow-from` prefix is judged against `sourceAddresses`, a "down" host against its reason).
///
/// JSON (one object, snake_case keys):
/// `{"tool":"portwarden","tool_version":"0.4.0","vantage":"corp","started":"…","finished":"…",
/// "partial":false,"parameters":{…},"source_addresses":["10.0.0.5"],"hosts":[{…}]}`
public struct ScanRecord: Hashable, Sendable, Codable {
    /// The scanner (`portwarden`).
    public var tool: String
    /// The scanner's version.
    public var toolVersion: String
    /// The zone the scan ran from, when known.
    public var vantage: String?
    /// When the first probe was about to be sent.
    public var started: Date
    /// When the scan ended (`nil` while it runs).
    public var finished: Date?
    /// Whether the scan stopped before the end (interrupted or failed): only `hosts` whose status
    /// is not `unfinished` are complete.
    public var partial: Bool
    /// Why the scan stopped early, when it did (`interrupted by SIGINT`).
    public var stopReason: String?
    /// The knobs in force.
    public var parameters: ScanParameters
    /// Per target, in the order given.
    public var hosts: [HostCoverage]

    public init(
        tool: String = "portwarden", toolVersion: String, vantage: String? = nil, started: Date,
        finished: Date? = nil, partial: Bool = false, stopReason: String? = nil, parameters: ScanParameters,
        hosts: [HostCoverage] = []
    ) {
        self.tool = tool
        self.toolVersion = toolVersion
        self.vantage = vantage
        self.started = started
        self.finished = finished
        self.partial = partial
        self.stopReason = stopReason
        self.parameters = parameters
        self.hosts = hosts
    }

    /// Every distinct local source address the probes left from, in first-use order.
    public var sourceAddresses: [IPAddress] {
        var seen = Set<IPAddress>()
        return hosts.compactMap(\.sourceAddress).filter { seen.insert($0).inserted }
    }

    /// How many targets ended with `status`.
    public func count(_ status: HostStatus) -> Int { hosts.count { $0.status == status } }

    /// Whether the scan reached nothing: every target was unreachable from here, or none answered
    /// anything at all (not one open or closed port, not one discovery answer). Such a scan proves
    /// nothing about the network and must not pass as clean.
    public var reachedNothing: Bool {
        guard !hosts.isEmpty else { return false }
        return hosts.allSatisfy { host in
            switch host.status {
            case .unreachable, .down, .unfinished: return true
            case .up: return false
            case .scanned: return !host.ranges.contains { $0.state == .open || $0.state == .closed }
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case tool
        case toolVersion = "tool_version"
        case vantage, started, finished, partial
        case stopReason = "stop_reason"
        case parameters
        case sourceAddresses = "source_addresses"
        case hosts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tool = try c.decode(String.self, forKey: .tool)
        toolVersion = try c.decode(String.self, forKey: .toolVersion)
        vantage = try c.decodeIfPresent(String.self, forKey: .vantage)
        started = try Self.time(c.decode(String.self, forKey: .started), c, .started)
        if let text = try c.decodeIfPresent(String.self, forKey: .finished) {
            finished = try Self.time(text, c, .finished)
        } else {
            finished = nil
        }
        partial = try c.decodeIfPresent(Bool.self, forKey: .partial) ?? false
        stopReason = try c.decodeIfPresent(String.self, forKey: .stopReason)
        parameters = try c.decode(ScanParameters.self, forKey: .parameters)
        hosts = try c.decodeIfPresent([HostCoverage].self, forKey: .hosts) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tool, forKey: .tool)
        try c.encode(toolVersion, forKey: .toolVersion)
        try c.encode(vantage, forKey: .vantage)
        try c.encode(Timestamp.format(started), forKey: .started)
        try c.encode(finished.map(Timestamp.format), forKey: .finished)
        try c.encode(partial, forKey: .partial)
        try c.encodeIfPresent(stopReason, forKey: .stopReason)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(sourceAddresses, forKey: .sourceAddresses)
        try c.encode(hosts, forKey: .hosts)
    }

    private static func time(
        _ text: String, _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws
        -> Date
    {
        guard let time = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\"\(text)\" is not an RFC 3339 timestamp")
        }
        return time
    }
}
