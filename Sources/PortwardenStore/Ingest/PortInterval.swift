import PortwardenCore

/// One row of `port_intervals`: a run of ports of one host, transport and vantage that were in one state
/// from `firstSeen` to `lastSeen`; `ended` is set when a later scan saw them otherwise.
public struct PortInterval: Hashable, Sendable {
    public var id: Int64
    public var host: IPAddress
    public var transport: Transport
    public var vantage: String
    public var low: UInt16
    public var high: UInt16
    public var state: String
    public var service: String?
    public var product: String?
    public var version: String?
    public var reason: String?
    public var sourceAddress: String?
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var ended: Int64?
    public var firstScan: Int64
    public var lastScan: Int64

    /// The identity that decides whether a port's state changed: state and, for open ports, what answered.
    var key: PortStateKey {
        PortStateKey(state: state, service: service, product: product, version: version)
    }

    /// The row's values after `id`, in `StoreSchema.portIntervals` order.
    var values: [SQLValue] {
        [
            .blob(HostKey.bytes(host)), .text(transport.rawValue), .text(vantage), .integer(Int64(low)),
            .integer(Int64(high)), .text(state), .optional(service), .optional(product), .optional(version),
            .optional(reason), .optional(sourceAddress), .integer(firstSeen), .integer(lastSeen),
            .optional(ended), .integer(firstScan), .integer(lastScan),
        ]
    }

    var row: [SQLValue] { [.integer(id)] + values }

    /// Reads a full row (`id` first); nil when a value is not of the expected type.
    init?(row: [SQLValue]) {
        guard row.count == 17, let id = row[0].integer, let hostBytes = row[1].blob,
            let host = HostKey.address(hostBytes), let transport = row[2].text.flatMap(Transport.init(rawValue:)),
            let vantage = row[3].text, let low = row[4].integer.flatMap(UInt16.init(exactly:)),
            let high = row[5].integer.flatMap(UInt16.init(exactly:)), let state = row[6].text,
            let firstSeen = row[12].integer, let lastSeen = row[13].integer, let firstScan = row[15].integer,
            let lastScan = row[16].integer
        else { return nil }
        self.init(
            id: id, host: host, transport: transport, vantage: vantage, low: low, high: high, state: state,
            service: row[7].text, product: row[8].text, version: row[9].text, reason: row[10].text,
            sourceAddress: row[11].text, firstSeen: firstSeen, lastSeen: lastSeen, ended: row[14].integer,
            firstScan: firstScan, lastScan: lastScan)
    }

    public init(
        id: Int64, host: IPAddress, transport: Transport, vantage: String, low: UInt16, high: UInt16, state: String,
        service: String? = nil, product: String? = nil, version: String? = nil, reason: String? = nil,
        sourceAddress: String? = nil, firstSeen: Int64, lastSeen: Int64, ended: Int64? = nil, firstScan: Int64,
        lastScan: Int64
    ) {
        self.id = id
        self.host = host
        self.transport = transport
        self.vantage = vantage
        self.low = low
        self.high = high
        self.state = state
        self.service = service
        self.product = product
        self.version = version
        self.reason = reason
        self.sourceAddress = sourceAddress
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.ended = ended
        self.firstScan = firstScan
        self.lastScan = lastScan
    }
}

/// What makes two port observations "the same state" for interval purposes.
struct PortStateKey: Hashable {
    var state: String
    var service: String?
    var product: String?
    var version: String?

    /// Open ports are kept one per row with what answered; closed and filtered ports merge into ranges.
    var mergesIntoRanges: Bool { state != PortState.open.rawValue }
}

/// Addresses as 17 sortable bytes (family, then 16 bytes big-endian), so that a zone's prefix is a range.
public enum HostKey {
    public static func bytes(_ address: IPAddress) -> [UInt8] {
        var out: [UInt8] = [address.isIPv4 ? 4 : 6]
        CanonicalEncoding.appendInteger(address.high, width: 8, into: &out)
        CanonicalEncoding.appendInteger(address.low, width: 8, into: &out)
        return out
    }

    public static func address(_ bytes: [UInt8]) -> IPAddress? {
        guard bytes.count == 17, bytes[0] == 4 || bytes[0] == 6 else { return nil }
        var reader = ByteReader(bytes: Array(bytes.dropFirst()))
        guard let high = reader.integer(width: 8), let low = reader.integer(width: 8) else { return nil }
        let value = UInt128(high) << 64 | UInt128(low)
        return IPAddress(value: value, isIPv4: bytes[0] == 4)
    }

    /// The first and last key of a prefix.
    public static func range(_ prefix: Prefix) -> (low: [UInt8], high: [UInt8]) {
        (
            bytes(IPAddress(value: prefix.first, isIPv4: prefix.isIPv4)),
            bytes(IPAddress(value: prefix.last, isIPv4: prefix.isIPv4))
        )
    }
}
