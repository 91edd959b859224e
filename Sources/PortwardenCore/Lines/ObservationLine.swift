#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One parsed observation line, before its text fields become strings: the fields an evaluation
/// decides on (host, transport, port, state, source) are decoded, the others are byte ranges of
/// the line. Valid only inside the ``ObservationLineReader`` callback that hands it out; call
/// ``observation()`` to keep it.
public struct ObservationLine {
    /// When it was observed.
    public let time: Date
    public let host: IPAddress
    public let transport: Transport
    public let port: UInt16
    public let state: PortState
    public let source: ObservationSource
    /// The 1-based line number in its file.
    public let line: Int

    let scanner: JSONByteScanner
    let fields: ObservationLineFields

    /// The whole observation, with every text field decoded.
    public func observation() -> Observation {
        var o = Observation(time: time, host: host, transport: transport, port: port, state: state, source: source)
        o.reason = text(fields.reason)
        o.vantage = text(fields.vantage)
        o.service = text(fields.service)
        o.process = text(fields.process)
        o.namespace = text(fields.namespace)
        o.user = text(fields.user)
        o.unit = text(fields.unit)
        o.container = text(fields.container)
        o.product = text(fields.product)
        o.version = text(fields.version)
        o.bind = fields.bind
        o.bindAddress = fields.bindAddress
        o.sourceAddress = fields.sourceAddress
        o.tls = fields.tls.map { $0.map(scanner.text) }
        o.handshakes = fields.handshakes.map { pairs in
            var map: [String: String] = [:]
            for (key, value) in pairs { map[scanner.text(key)] = scanner.text(value) }
            return map
        }
        o.details = fields.details.map { pairs in
            var map: [String: String] = [:]
            for (key, value) in pairs { map[scanner.text(key)] = scanner.text(value) }
            return map
        }
        return o
    }

    private func text(_ span: JSONByteScanner.StringSpan?) -> String? {
        span.map(scanner.text)
    }
}

/// The optional fields of a line as the parser found them.
struct ObservationLineFields {
    var reason: JSONByteScanner.StringSpan?
    var vantage: JSONByteScanner.StringSpan?
    var service: JSONByteScanner.StringSpan?
    var process: JSONByteScanner.StringSpan?
    var namespace: JSONByteScanner.StringSpan?
    var user: JSONByteScanner.StringSpan?
    var unit: JSONByteScanner.StringSpan?
    var container: JSONByteScanner.StringSpan?
    var product: JSONByteScanner.StringSpan?
    var version: JSONByteScanner.StringSpan?
    var bind: BindScope?
    var bindAddress: IPAddress?
    var sourceAddress: IPAddress?
    var tls: [JSONByteScanner.StringSpan]?
    var handshakes: [(JSONByteScanner.StringSpan, JSONByteScanner.StringSpan)]?
    var details: [(JSONByteScanner.StringSpan, JSONByteScanner.StringSpan)]?
}
