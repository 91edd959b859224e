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
        // The parser checked these values where they stand; read again, they cannot fail.
        let parser = ObservationLineParser()
        o.tls = fields.tls.map { start in
            var s = scanner(at: start)
            return ((try? parser.stringArray(&s, "tls", keep: true))?.items ?? []).map(scanner.text)
        }
        o.handshakes = fields.handshakes.map { map(at: $0, "handshakes", parser) }
        o.details = fields.details.map { map(at: $0, "details", parser) }
        return o
    }

    /// The line's scanner, placed where a value the parser recorded starts.
    private func scanner(at start: UInt32) -> JSONByteScanner {
        var s = scanner
        s.position = Int(start)
        return s
    }

    private func map(at start: UInt32, _ key: String, _ parser: ObservationLineParser) -> [String: String] {
        var s = scanner(at: start)
        var map: [String: String] = [:]
        for (name, value) in (try? parser.stringMap(&s, key, keep: true))?.pairs ?? [] {
            map[scanner.text(name)] = scanner.text(value)
        }
        return map
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
    /// Where the `tls` list, the `handshakes` and the `details` objects start in the line (each
    /// checked by the parser; read by ``ObservationLine/observation()``); `nil` when absent or null.
    var tls: UInt32?
    var handshakes: UInt32?
    var details: UInt32?
}
