import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One JSON log record and lookups that accept the key styles the same field is written in:
/// Zeek's flat dotted keys (`"id.orig_h"`), nested objects (ECS `source.ip`) and underscores.
struct JSONRecord {
    let value: JSONValue

    static func parse(_ line: ArraySlice<UInt8>) throws(LogLineError) -> JSONRecord {
        let value: JSONValue
        do throws(JSONValue.ParseError) {
            value = try JSONValue.parse(line)
        } catch {
            throw LogLineError(offset: error.offset, "not a JSON object: \(error.message)")
        }
        guard case .object = value else { throw LogLineError(offset: 0, "not a JSON object but \(value.typeName)") }
        return JSONRecord(value: value)
    }

    /// The first of `paths` that is present; a path is a flat key or a dotted walk into objects.
    func find(_ paths: String...) -> JSONValue? {
        for path in paths {
            if let hit = value[path], hit != .null { return hit }
            var node: JSONValue? = value
            for part in path.split(separator: ".") { node = node?[String(part)] }
            if let node, node != .null { return node }
        }
        return nil
    }

    func string(_ paths: String...) -> String? {
        for path in paths { if let text = find(path)?.text { return text } }
        return nil
    }

    func address(_ key: String, _ paths: String...) throws(LogLineError) -> IPAddress {
        for path in paths {
            guard let text = find(path)?.text else { continue }
            guard let address = IPAddress(text) else {
                throw LogLineError(offset: 0, "\(path) \"\(text)\" is not an address")
            }
            return address
        }
        throw LogLineError(offset: 0, "no \(key) (\(paths.joined(separator: ", ")))")
    }

    func port(_ paths: String...) throws(LogLineError) -> UInt16? {
        for path in paths {
            guard let value = find(path) else { continue }
            guard let number = value.integer, number >= 0, number <= 65535 else {
                throw LogLineError(offset: 0, "\(path) \(value.text ?? value.typeName) is not a port")
            }
            return UInt16(number)
        }
        return nil
    }

    /// A time written as epoch seconds (number or numeric string) or as ISO 8601 text.
    func time(_ paths: String...) throws(LogLineError) -> Date? {
        for path in paths {
            guard let value = find(path) else { continue }
            switch value {
            case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds))
            case .number(let seconds): return Date(timeIntervalSince1970: seconds)
            case .string(let text):
                if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
                if let date = LogBytes.isoTime(Array(text.utf8)[...]) { return date }
                throw LogLineError(offset: 0, "\(path) \"\(text)\" is not a time")
            default: throw LogLineError(offset: 0, "\(path) is \(value.typeName), not a time")
            }
        }
        return nil
    }

}

/// IP protocol numbers from the names logs use (`tcp`, `TCP`, `IPv6-ICMP`) or numbers (`"006"`).
enum IPProtocolName {
    static func number(_ text: String) -> UInt8? {
        switch text.lowercased() {
        case "tcp": return 6
        case "udp": return 17
        case "icmp": return 1
        case "ipv6-icmp", "icmpv6", "icmp6": return 58
        case "sctp": return 132
        default: return UInt8(text)
        }
    }
}
