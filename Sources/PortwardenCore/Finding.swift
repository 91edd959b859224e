#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One piece of evidence behind a finding.
public struct FindingEvidence: Hashable, Sendable, Codable {
    /// `observation`, `policy`, `exception`, `review`.
    public var kind: String
    public var summary: String
    public var time: Date?
    public var source: ObservationSource?
    public var vantage: String?

    public init(
        kind: String, summary: String, time: Date? = nil, source: ObservationSource? = nil, vantage: String? = nil
    ) {
        self.kind = kind
        self.summary = summary
        self.time = time
        self.source = source
        self.vantage = vantage
    }

    enum CodingKeys: String, CodingKey { case kind, summary, time, source, vantage }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        summary = try c.decode(String.self, forKey: .summary)
        time = try c.decodeIfPresent(String.self, forKey: .time).flatMap { Timestamp.parse($0) }
        source = try c.decodeIfPresent(ObservationSource.self, forKey: .source)
        vantage = try c.decodeIfPresent(String.self, forKey: .vantage)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(summary, forKey: .summary)
        try c.encodeIfPresent(time.map(Timestamp.format), forKey: .time)
        try c.encodeIfPresent(source, forKey: .source)
        try c.encodeIfPresent(vantage, forKey: .vantage)
    }
}

/// A mismatch between what is declared, configured and observed, with the PCI DSS requirements it
/// evidences and what to do about it.
public struct Finding: Hashable, Sendable, Codable {
    /// Stable rule id, `PW-…`.
    public var rule: String
    public var severity: Severity
    public var requirements: [Requirement]
    public var zone: String?
    public var host: IPAddress?
    public var transport: Transport?
    public var port: UInt16?
    /// The policy object concerned (service, exception or zone id), when there is one.
    public var subject: String?
    /// What is wrong, in a sentence a person can act on.
    public var message: String
    /// What to do about it.
    public var remediation: String
    public var evidence: [FindingEvidence]
    /// A stable identity across runs: the same problem on the same port keeps its fingerprint.
    public var fingerprint: String

    public init(
        rule: String, severity: Severity, requirements: [Requirement], zone: String? = nil, host: IPAddress? = nil,
        transport: Transport? = nil, port: UInt16? = nil, subject: String? = nil, message: String,
        remediation: String, evidence: [FindingEvidence] = []
    ) {
        self.rule = rule
        self.severity = severity
        self.requirements = requirements
        self.zone = zone
        self.host = host
        self.transport = transport
        self.port = port
        self.subject = subject
        self.message = message
        self.remediation = remediation
        self.evidence = evidence
        self.fingerprint = Finding.fingerprint(
            rule: rule, zone: zone, host: host, transport: transport, port: port, subject: subject)
    }

    /// The fingerprint of a finding: FNV-1a (64 bit) over the rule and its subject, never over the
    /// message, severity or evidence, so rewording or re-grading keeps the identity. The address is
    /// hashed as its family and 128-bit value (no text formatting on this hot path).
    public static func fingerprint(
        rule: String, zone: String?, host: IPAddress?, transport: Transport?, port: UInt16?, subject: String?
    ) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        func mix(_ text: String?) {
            if let text { for byte in text.utf8 { mix(byte) } }
            mix(0x1F)
        }
        mix(rule)
        mix(zone)
        if let host {
            mix(host.isIPv4 ? 4 : 6)
            var value = host.value
            for _ in 0..<16 {
                mix(UInt8(truncatingIfNeeded: value))
                value >>= 8
            }
        }
        mix(0x1F)
        mix(transport?.rawValue)
        if let port {
            mix(UInt8(truncatingIfNeeded: port >> 8))
            mix(UInt8(truncatingIfNeeded: port))
        }
        mix(0x1F)
        mix(subject)
        // Sixteen lower-case hex digits, most significant first, written straight into the string.
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: hash >> (UInt64(15 - i) * 4)) & 0xF
                buffer[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }

    /// Orders findings most severe first, then by rule, zone, host, port.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.rule != b.rule { return a.rule < b.rule }
        if a.zone != b.zone { return (a.zone ?? "") < (b.zone ?? "") }
        if a.host != b.host {
            guard let ah = a.host else { return true }
            guard let bh = b.host else { return false }
            return ah < bh
        }
        if a.transport != b.transport { return (a.transport?.rawValue ?? "") < (b.transport?.rawValue ?? "") }
        if a.port != b.port { return (a.port ?? 0) < (b.port ?? 0) }
        return (a.subject ?? "") < (b.subject ?? "")
    }
}
