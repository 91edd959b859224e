import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads masscan's JSON (`-oJ`, and the NDJSON variant) and list (`-oL`) output into observations.
///
/// masscan reports only what answered (`open`, or `closed` with `--show closed`); it has no
/// `filtered` state, so silence is not imported as anything. Banner records name the service of
/// the port they belong to (or record the port as open when no status record was seen). Records
/// for ARP, ICMP and SCTP are skipped: Portwarden tracks TCP and UDP ports. Broken records are
/// reported with their line (and column) and the rest of the file is still read.
public enum MasscanImporter {
    /// The largest single JSON record accepted, in bytes (a banner record stays far below it).
    static let maxRecordBytes = 1 << 20

    /// Parses `-oJ` output: a JSON array written incrementally (the separating comma printed
    /// before each record but the first, often on its own line; after each record and a final
    /// `{finished: 1}` in old builds), possibly without the closing `]` when the scan was
    /// interrupted; also NDJSON, one `{"ip","timestamp","port","proto","rec_type","data"}` record
    /// per line.
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - source: the file name, used in problem locations.
    ///   - vantage: the zone the scan was run from, copied to every observation.
    ///   - maxObservations: the most observations to produce; beyond it a problem is reported.
    /// - Returns: the observations (source `.import`), problems with line and column, and the number
    ///   of distinct hosts.
    public static func parseJSON(
        _ bytes: [UInt8], source: String, vantage: String?,
        maxObservations: Int = NmapXMLImporter.defaultMaxObservations
    ) -> ImportResult {
        var collector = ObservationCollector(file: source, vantage: vantage, maxObservations: maxObservations)
        var framer = JSONRecordFramer(bytes: bytes, maxRecordBytes: maxRecordBytes)
        let decoder = JSONDecoder()
        if !bytes.contains(where: { !XMLTokenizer.isWhitespace($0) }) {
            collector.problem(
                .truncated, line: 1, column: 1, message: "the file is empty: no masscan JSON array or records")
        }
        while let frame = framer.next() {
            switch frame {
            case .record(let range, let location):
                if isFinishedTrailer(bytes[range]) { continue }
                do {
                    let record = try decoder.decode(MasscanRecord.self, from: Data(bytes[range]))
                    add(record, at: location, to: &collector)
                } catch {
                    collector.problem(
                        .malformed, line: location.line, column: location.column,
                        message: "not a masscan JSON record (\(describe(error))); record skipped")
                }
            case .problem(let code, let location, let message):
                collector.problem(code, line: location.line, column: location.column, message: message)
            }
        }
        return collector.result()
    }

    private static func add(_ record: MasscanRecord, at location: XMLLocation, to collector: inout ObservationCollector)
    {
        func problem(_ code: Diagnostic.Code, _ message: String) {
            collector.problem(code, line: location.line, column: location.column, message: message)
        }
        guard let host = IPAddress(record.ip) else {
            return problem(.invalidValue, "\"ip\": \"\(record.ip.prefix(60))\" is not an IP address; record skipped")
        }
        guard let text = record.timestamp, let time = ImportValues.epoch(text) else {
            return problem(.invalidValue, "\"timestamp\" is missing or not epoch seconds; record skipped")
        }
        if let type = record.unknownRecordType {
            return problem(
                .invalidValue, "\"rec_type\": \"\(type.prefix(20))\" is not status or banner; record skipped")
        }
        for entry in record.ports {
            guard let transport = Transport(rawValue: entry.proto) else {
                if !ImportValues.untrackedProtocols.contains(entry.proto) {
                    problem(.invalidValue, "\"proto\": \"\(entry.proto.prefix(20))\" is not tcp or udp; port skipped")
                }
                continue
            }
            guard (0...65535).contains(entry.port) else {
                problem(.invalidValue, "\"port\": \(entry.port) is not a port number; port skipped")
                continue
            }
            let port = UInt16(entry.port)
            if let service = entry.service {
                collector.record(
                    host: host, transport: transport, port: port, state: nil, reason: nil,
                    service: ImportValues.bannerService(service.name), time: time, line: location.line)
            } else if let status = entry.status, let state = state(status) {
                collector.record(
                    host: host, transport: transport, port: port, state: state, reason: entry.reason, service: nil,
                    time: time, line: location.line)
            } else if entry.status != "up" {
                problem(.invalidValue, "\"status\" is missing or not open/closed for port \(entry.port); port skipped")
            }
        }
    }

    /// Old masscan builds end `-oJ` output with `{finished: 1}` (not JSON: the key is unquoted).
    static func isFinishedTrailer(_ record: ArraySlice<UInt8>) -> Bool {
        let compact = record.filter { !XMLTokenizer.isWhitespace($0) }
        return compact.elementsEqual("{finished:1}".utf8)
    }

    /// masscan's status words; `up` (ARP) is not a port state.
    static func state(_ status: String) -> PortState? {
        switch status {
        case "open": .open
        case "closed": .closed
        default: nil
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }.joined(separator: ".")
            return "wrong type at \"\(path)\""
        case DecodingError.dataCorrupted: return "invalid JSON"
        default: return "invalid JSON"
        }
    }
}
