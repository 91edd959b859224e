import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads Zeek `conn.log` in any of the shapes Zeek and its shippers write: the TSV log with its `#`
/// header lines (re-read whenever one appears: rotation, concatenation), plain TSV with one header
/// row (`tsv=T`), and JSON with Zeek's dotted keys, underscores, or ECS field names. Columns are
/// found by name, never by position; unknown columns are accepted.
public struct ZeekConnReader: Sendable {
    private var separator: UInt8 = LogBytes.tab
    private var unset: [UInt8] = Array("-".utf8)
    private var columns: Columns?
    private var path = "conn"

    public init() {}

    /// Reads one line (without its newline). Header lines update the reader and are `.ignored`.
    public mutating func read(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        guard let first = line.first else { return .ignored }
        if first == UInt8(ascii: "{") { return try ZeekConnJSON.parse(line) }
        if first == UInt8(ascii: "#") { return try header(line) }
        let fields = split(line)
        if columns == nil, Self.isHeaderRow(fields) {
            // Plain TSV (`tsv=T`): one row of field names.
            return try useColumns(fields.map { LogBytes.text($0) })
        }
        guard let columns else {
            throw LogLineError(
                offset: 0, "a record before any #fields header: not a Zeek log, or its header is missing")
        }
        // A log of another path, or one whose columns cannot be judged (reported once, at its header).
        guard path == "conn", columns.hasEndpoints else { return .ignored }
        return try record(fields, columns: columns, line: line)
    }

    private mutating func header(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        if LogBytes.has(line, "#separator ", at: line.startIndex) {
            let value = line[(line.startIndex + 11)...]
            if value.elementsEqual("\\x09".utf8) {
                separator = LogBytes.tab
            } else if value.count == 4, value.starts(with: "\\x".utf8),
                let byte = UInt8(LogBytes.text(value.dropFirst(2)), radix: 16)
            {
                separator = byte
            } else if value.count == 1, let byte = value.first {
                separator = byte
            } else {
                throw LogLineError(offset: 11, "#separator \(LogBytes.text(value)) is not one byte or \\xHH")
            }
            columns = nil
            return .ignored
        }
        let parts = split(line)
        guard let key = parts.first else { return .ignored }
        if key.elementsEqual("#fields".utf8) {
            return try useColumns(parts.dropFirst().map { LogBytes.text($0) })
        } else if key.elementsEqual("#unset_field".utf8), parts.count > 1 {
            unset = Array(parts[1])
        } else if key.elementsEqual("#path".utf8), parts.count > 1 {
            path = LogBytes.text(parts[1])
        }
        return .ignored
    }

    private mutating func useColumns(_ names: [String]) throws(LogLineError) -> LogRecord {
        let found = Columns(names: names)
        columns = found
        guard found.hasEndpoints else {
            throw LogLineError(
                offset: 0,
                "the header names no originator and responder addresses (id.orig_h, id.resp_h): its records "
                    + "cannot be judged and are skipped")
        }
        return .ignored
    }

    /// A row of field names: every field an identifier, the first not a number.
    private static func isHeaderRow(_ fields: [ArraySlice<UInt8>]) -> Bool {
        guard let first = fields.first, let lead = first.first, !(lead >= 48 && lead <= 57) else { return false }
        return fields.allSatisfy { field in
            !field.isEmpty
                && field.allSatisfy { b in
                    (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b == 46
                }
        }
    }

    private func split(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        line.split(separator: separator, omittingEmptySubsequences: false)
    }

    private func record(
        _ fields: [ArraySlice<UInt8>], columns: Columns, line: ArraySlice<UInt8>
    )
        throws(LogLineError) -> LogRecord
    {
        func column(_ index: Int?) -> ArraySlice<UInt8>? {
            guard let index, index < fields.count else { return nil }
            let value = fields[index]
            return value.elementsEqual(unset) ? nil : value
        }
        func offset(_ index: Int?) -> Int {
            guard let index else { return 0 }
            return fields[..<min(index, fields.count)].reduce(0) { $0 + $1.count + 1 }
        }
        guard fields.count >= columns.count else {
            throw LogLineError(
                offset: line.count, "\(fields.count) fields where #fields names \(columns.count): truncated line?")
        }
        guard let tsText = column(columns.ts), let ts = Double(LogBytes.text(tsText)) else {
            throw LogLineError(offset: offset(columns.ts), "ts is not epoch seconds")
        }
        func address(_ index: Int?, _ name: String) throws(LogLineError) -> IPAddress {
            guard let bytes = column(index), let address = IPAddress(utf8: bytes) else {
                throw LogLineError(offset: offset(index), "\(name) is not an address")
            }
            return address
        }
        let source = try address(columns.origHost, "id.orig_h")
        let destination = try address(columns.respHost, "id.resp_h")
        let proto = column(columns.proto).flatMap { IPProtocolName.number(LogBytes.text($0)) } ?? 0
        let origPort = column(columns.origPort).flatMap(LogBytes.port)
        let respPort = column(columns.respPort).flatMap(LogBytes.port)
        let state = column(columns.connState).map(LogBytes.text)
        return .flow(
            ZeekConnJSON.event(
                time: Date(timeIntervalSince1970: ts), proto: proto, source: source, sourcePort: origPort,
                destination: destination, destinationPort: respPort, state: state,
                uid: column(columns.uid).map(LogBytes.text), communityID: column(columns.communityID).map(LogBytes.text)
            ))
    }

    /// Where the fields Portwarden reads are, by name.
    struct Columns: Sendable {
        var count: Int
        var ts, uid, origHost, origPort, respHost, respPort, proto, connState, communityID: Int?

        init(names: [String]) {
            count = names.count
            func index(_ name: String) -> Int? { names.firstIndex(of: name) }
            ts = index("ts")
            uid = index("uid")
            // Zeek's names, the underscore style, and the short names a `Log::default_field_name_map`
            // commonly gives them.
            origHost = index("id.orig_h") ?? index("id_orig_h") ?? index("src")
            origPort = index("id.orig_p") ?? index("id_orig_p") ?? index("src_port")
            respHost = index("id.resp_h") ?? index("id_resp_h") ?? index("dst")
            respPort = index("id.resp_p") ?? index("id_resp_p") ?? index("dst_port")
            proto = index("proto")
            connState = index("conn_state")
            communityID = index("community_id")
        }

        var hasEndpoints: Bool { origHost != nil && respHost != nil }
    }
}
