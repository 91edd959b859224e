import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An inventory as written to a file, so that two can be compared later:
/// `{"time":"2026-11-29T10:00:00Z","host":"db1","listeners":[…]}`.
public struct ListenerSnapshot: Hashable, Sendable, Codable {
    /// When the inventory was taken.
    public var time: Date
    /// The host it was taken on (a name or an address), when known.
    public var host: String?
    /// Its listeners.
    public var listeners: [Listener]

    /// Creates a snapshot.
    public init(time: Date, host: String? = nil, listeners: [Listener]) {
        self.time = time
        self.host = host
        self.listeners = listeners
    }

    enum CodingKeys: String, CodingKey { case time, host, listeners }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .time)
        guard let time = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .time, in: c, debugDescription: "\"\(text)\" is not an RFC 3339 timestamp")
        }
        self.time = time
        host = try c.decodeIfPresent(String.self, forKey: .host)
        listeners = try c.decode([Listener].self, forKey: .listeners)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.format(time), forKey: .time)
        try c.encodeIfPresent(host, forKey: .host)
        try c.encode(listeners, forKey: .listeners)
    }
}
