/// AMQP 0-9-1 (the AMQP Working Group's 0-9-1 specification, sections 2.2.4 and 4.2): the protocol
/// header the probe sends on tcp/5672, and the broker's first frame, a `Connection.Start` method on
/// channel 0: protocol version, server properties (a field table: `product`, `version`, `platform`,
/// …), the SASL mechanisms it offers and its locales. A broker that does not speak 0-9-1 answers
/// with its own protocol header and closes. Nothing in the exchange authenticates: the probe reads
/// the offer and closes before `Connection.Start-Ok`.
enum AMQPConnectionStart: Equatable, Sendable {
    /// A `Connection.Start` frame.
    case start(Start)
    /// The broker's protocol header instead (`AMQP` and four bytes): it speaks another version,
    /// such as AMQP 1.0 (`AMQP 0 1 0 0`, or `AMQP 3 1 0 0` for its SASL layer).
    case protocolHeader([UInt8])
    /// Fewer bytes than the frame so far, and nothing yet says it is not one.
    case incomplete
    /// Not AMQP.
    case notAMQP

    /// What a `Connection.Start` says.
    struct Start: Equatable, Sendable {
        var versionMajor: UInt8
        var versionMinor: UInt8
        /// The server properties whose values are strings (`product`, `version`, `platform`,
        /// `cluster_name`, …), as printable text; other value types are skipped.
        var properties: [String: String]
        /// The SASL mechanisms offered, in the broker's order (`PLAIN`, `AMQPLAIN`, `EXTERNAL`).
        var mechanisms: [String]
        var locales: [String]
    }

    /// The protocol header for AMQP 0-9-1.
    static let header: [UInt8] = Array("AMQP".utf8) + [0, 0, 9, 1]

    /// Mechanisms with which the client's credential itself crosses the connection (RFC 4616's PLAIN;
    /// RabbitMQ's AMQPLAIN, a field table holding LOGIN and PASSWORD).
    static let cleartextMechanisms: Set<String> = ["PLAIN", "AMQPLAIN"]

    /// The largest frame read: a `Connection.Start` is a few hundred bytes.
    static let maximumFrame = 64 << 10

    /// Parses the first bytes a broker sent back. Never traps on short or garbage input; a prefix
    /// of a frame is `incomplete`, and what a prefix already rules out is `notAMQP`.
    static func parse(_ bytes: [UInt8]) -> AMQPConnectionStart {
        guard let first = bytes.first else { return .incomplete }
        if first == UInt8(ascii: "A") {
            let name = Array("AMQP".utf8)
            for (index, byte) in bytes.prefix(4).enumerated() where byte != name[index] { return .notAMQP }
            guard bytes.count >= 8 else { return .incomplete }
            return .protocolHeader(Array(bytes[4..<8]))
        }
        // A method frame (type 1) on channel 0, its size, the payload and the frame end 0xCE.
        guard first == 1 else { return .notAMQP }
        guard bytes.count >= 3 else { return .incomplete }
        guard bytes[1] == 0, bytes[2] == 0 else { return .notAMQP }
        guard bytes.count >= 7 else { return .incomplete }
        let size = Int(bytes[3]) << 24 | Int(bytes[4]) << 16 | Int(bytes[5]) << 8 | Int(bytes[6])
        guard size >= 4, size <= maximumFrame else { return .notAMQP }
        // Class 10 (connection), method 10 (start), as far as they have arrived.
        let method: [UInt8] = [0, 10, 0, 10]
        for (index, byte) in bytes.dropFirst(7).prefix(4).enumerated() where byte != method[index] { return .notAMQP }
        guard bytes.count >= 7 + size + 1 else { return .incomplete }
        guard bytes[7 + size] == 0xCE else { return .notAMQP }
        var reader = ByteReader(bytes[11..<(7 + size)])
        guard let major = reader.uint8(), let minor = reader.uint8(),
            let tableLength = reader.uint32(), let table = reader.bytes(Int(tableLength)),
            let mechanisms = longString(&reader), let locales = longString(&reader)
        else { return .notAMQP }
        return .start(
            Start(
                versionMajor: major, versionMinor: minor, properties: stringProperties(table),
                mechanisms: words(mechanisms), locales: words(locales)))
    }

    /// A `longstr`: a 32-bit length and that many bytes.
    private static func longString(_ reader: inout ByteReader) -> [UInt8]? {
        guard let length = reader.uint32() else { return nil }
        return reader.bytes(Int(length))
    }

    /// The string-valued entries of a field table, read until the first value whose type this
    /// reader does not know (the rest of the table is then skipped as a whole: its length is known).
    private static func stringProperties(_ table: [UInt8]) -> [String: String] {
        var reader = ByteReader(table)
        var properties: [String: String] = [:]
        while reader.remaining > 0, properties.count < 32 {
            guard let nameLength = reader.uint8(), let name = reader.bytes(Int(nameLength)), let type = reader.uint8()
            else { break }
            let skip: Int
            switch type {
            case UInt8(ascii: "S"):
                guard let value = longString(&reader) else { return properties }
                properties[printable(name, limit: 64)] = printable(value, limit: 128)
                continue
            case UInt8(ascii: "t"), UInt8(ascii: "b"), UInt8(ascii: "B"): skip = 1
            case UInt8(ascii: "s"), UInt8(ascii: "u"): skip = 2
            case UInt8(ascii: "I"), UInt8(ascii: "i"), UInt8(ascii: "f"): skip = 4
            case UInt8(ascii: "l"), UInt8(ascii: "d"), UInt8(ascii: "T"): skip = 8
            case UInt8(ascii: "D"): skip = 5
            case UInt8(ascii: "V"): skip = 0
            case UInt8(ascii: "F"), UInt8(ascii: "A"), UInt8(ascii: "x"):
                guard let length = reader.uint32() else { return properties }
                skip = Int(length)
            default: return properties
            }
            guard reader.bytes(skip) != nil else { return properties }
        }
        return properties
    }

    /// Space-separated words (the mechanisms and locales lists), printable, at most 16.
    private static func words(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: " ")).prefix(16).map { printable($0, limit: 64) }
    }

    /// Text from the peer as printable ASCII (other bytes shown as `?`), cut at `limit` bytes.
    private static func printable(_ bytes: some Collection<UInt8>, limit: Int) -> String {
        String(decoding: bytes.prefix(limit).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// What the broker offered, for evidence: `Connection.Start 0-9, RabbitMQ 3.10.8, mechanisms
    /// PLAIN AMQPLAIN`.
    static func describe(_ start: Start) -> String {
        var text = "Connection.Start \(start.versionMajor)-\(start.versionMinor)"
        if let product = start.properties["product"] {
            text += ", " + product + (start.properties["version"].map { " " + $0 } ?? "")
        }
        return text + ", mechanisms " + (start.mechanisms.isEmpty ? "none" : start.mechanisms.joined(separator: " "))
    }
}
