import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns one JSON line into an ``Observation``, or a message saying what is wrong with it.
struct ObservationLineParser {
    /// A message about a bad line, without the location (the caller adds it).
    struct Failure: Error {
        var message: String
    }

    private let decoder = JSONDecoder()

    /// Parses one line (without its newline).
    /// - Returns: `nil` for a blank line or a `#` comment.
    func parse(_ line: ArraySlice<UInt8>) throws(Failure) -> Observation? {
        guard let first = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        if line[first] == UInt8(ascii: "#") { return nil }
        let value: JSONValue
        do {
            value = try decoder.decode(JSONValue.self, from: Data(line))
        } catch {
            throw Failure(message: "not JSON: \(Self.summary(of: error))")
        }
        guard case .object(let fields) = value else {
            throw Failure(message: "expected a JSON object, found \(value.typeName)")
        }
        return try observation(from: fields)
    }

    private func observation(from fields: [String: JSONValue]) throws(Failure) -> Observation {
        let timeText = try requiredString(fields, "time")
        guard let time = Timestamp.parse(timeText) else {
            throw Failure(message: "time \"\(timeText)\" is not an RFC 3339 timestamp")
        }
        let host = try address(fields, "host", required: true)
        let transportText = try requiredString(fields, "transport")
        guard let transport = Transport(rawValue: transportText) else {
            throw Failure(message: "transport \"\(transportText)\" is not tcp or udp")
        }
        guard let portValue = fields["port"] else { throw Failure(message: "missing key \"port\"") }
        guard case .integer(let port) = portValue else {
            throw Failure(message: "port must be an integer, found \(portValue.typeName)")
        }
        guard port >= 0, port <= 65535 else { throw Failure(message: "port \(port) out of range (0-65535)") }
        let stateText = try requiredString(fields, "state")
        guard let state = PortState(rawValue: stateText) else {
            throw Failure(message: "state \"\(stateText)\" is not one of \(Self.choices(PortState.self))")
        }
        var observation = Observation(
            time: time, host: host ?? IPAddress(ipv4: 0), transport: transport, port: UInt16(port), state: state)
        try fillOptional(&observation, fields)
        return observation
    }

    private func fillOptional(_ observation: inout Observation, _ fields: [String: JSONValue]) throws(Failure) {
        observation.reason = try optionalString(fields, "reason")
        if let text = try optionalString(fields, "source") {
            guard let source = ObservationSource(rawValue: text) else {
                throw Failure(message: "source \"\(text)\" is not one of \(Self.choices(ObservationSource.self))")
            }
            observation.source = source
        }
        observation.vantage = try optionalString(fields, "vantage")
        observation.service = try optionalString(fields, "service")
        observation.process = try optionalString(fields, "process")
        observation.namespace = try optionalString(fields, "namespace")
        observation.user = try optionalString(fields, "user")
        observation.unit = try optionalString(fields, "unit")
        observation.container = try optionalString(fields, "container")
        observation.bindAddress = try address(fields, "bind_address", required: false)
        observation.sourceAddress = try address(fields, "source_address", required: false)
        observation.product = try optionalString(fields, "product")
        observation.version = try optionalString(fields, "version")
        if let text = try optionalString(fields, "bind") {
            guard let bind = BindScope(rawValue: text) else {
                throw Failure(message: "bind \"\(text)\" is not one of \(Self.choices(BindScope.self))")
            }
            observation.bind = bind
        }
        observation.tls = try stringArray(fields, "tls")
        observation.handshakes = try stringMap(fields, "handshakes")
        observation.details = try stringMap(fields, "details")
    }

    private func requiredString(_ fields: [String: JSONValue], _ key: String) throws(Failure) -> String {
        guard fields[key] != nil else { throw Failure(message: "missing key \"\(key)\"") }
        guard let text = try optionalString(fields, key) else {
            throw Failure(message: "\(key) must be a string, found null")
        }
        return text
    }

    private func optionalString(_ fields: [String: JSONValue], _ key: String) throws(Failure) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw Failure(message: "\(key) must be a string, found \(other.typeName)")
        }
    }

    private func address(_ fields: [String: JSONValue], _ key: String, required: Bool) throws(Failure) -> IPAddress? {
        let text = required ? try requiredString(fields, key) : try optionalString(fields, key)
        guard let text else { return nil }
        guard let address = IPAddress(text) else {
            throw Failure(message: "\(key) \"\(text)\" is not an IPv4 or IPv6 address")
        }
        return address
    }

    private func stringArray(_ fields: [String: JSONValue], _ key: String) throws(Failure) -> [String]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw Failure(message: "\(key) must hold strings, found \(item.typeName)")
                }
                result.append(text)
            }
            return result
        case let other?: throw Failure(message: "\(key) must be an array of strings, found \(other.typeName)")
        }
    }

    private func stringMap(_ fields: [String: JSONValue], _ key: String) throws(Failure) -> [String: String]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .object(let items)?:
            var result: [String: String] = [:]
            for (name, item) in items {
                guard case .string(let text) = item else {
                    throw Failure(message: "\(key).\(name) must be a string, found \(item.typeName)")
                }
                result[name] = text
            }
            return result
        case let other?: throw Failure(message: "\(key) must be an object of strings, found \(other.typeName)")
        }
    }

    private static func choices<T: RawRepresentable & CaseIterable>(_: T.Type) -> String where T.RawValue == String {
        T.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// The decoder's complaint in one short line.
    private static func summary(of error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = context.underlyingError.map { "\($0)" } ?? ""
            let text = underlying.isEmpty ? context.debugDescription : underlying
            return String(text.prefix(200))
        }
        return String("\(error)".prefix(200))
    }
}
