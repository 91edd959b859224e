import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension MasscanImporter {
    /// Parses `-oL` output: `#masscan`, status lines `open tcp 80 10.0.0.1 1795921472`, banner
    /// lines `banner tcp 80 10.0.0.1 1795921472 http HTTP/1.0 200 OK…`, `# end`. Other `#` lines are
    /// comments; a missing `# end` (interrupted scan) is accepted.
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - source: the file name, used in problem locations.
    ///   - vantage: the zone the scan was run from, copied to every observation.
    ///   - maxObservations: the most observations to produce; beyond it a problem is reported.
    /// - Returns: the observations, problems with line and column, and the number of distinct hosts.
    public static func parseList(
        _ bytes: [UInt8], source: String, vantage: String?,
        maxObservations: Int = NmapXMLImporter.defaultMaxObservations
    ) -> ImportResult {
        var collector = ObservationCollector(file: source, vantage: vantage, maxObservations: maxObservations)
        var lineNumber = 0
        var start = 0
        var sawHeader = false
        var sawRecord = false
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var contentEnd = end
            if contentEnd > start, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            let line = bytes[start..<contentEnd]
            if line.starts(with: Array("#masscan".utf8)) {
                sawHeader = true
            } else if line.contains(where: { !XMLTokenizer.isWhitespace($0) }), line.first != UInt8(ascii: "#") {
                sawRecord = true
            }
            listLine(line, number: lineNumber, into: &collector)
            start = end + 1
        }
        if !sawHeader, !sawRecord {
            collector.problem(
                .truncated, line: 1, column: 1,
                message: "no #masscan header and no records: the file is empty or not masscan -oL output")
        }
        return collector.result()
    }

    private static func listLine(_ line: ArraySlice<UInt8>, number: Int, into collector: inout ObservationCollector) {
        let fields = fieldRanges(line, limit: 6)
        guard let kindRange = fields.first, line[kindRange.lowerBound] != UInt8(ascii: "#") else { return }
        func text(_ i: Int) -> String { String(decoding: line[fields[i]], as: UTF8.self) }
        func problem(_ code: Diagnostic.Code, field: Int, _ message: String) {
            let column = (field < fields.count ? fields[field].lowerBound : line.endIndex) - line.startIndex + 1
            collector.problem(code, line: number, column: column, message: message + "; line skipped")
        }
        let kind = text(0)
        let isBanner = kind == "banner"
        guard isBanner || state(kind) != nil else {
            return problem(.malformed, field: 0, "\"\(kind.prefix(20))\" is not open, closed or banner")
        }
        guard isBanner ? fields.count >= 6 : fields.count == 5 else {
            let expected = isBanner ? "banner PROTO PORT IP EPOCH SERVICE BANNER" : "STATUS PROTO PORT IP EPOCH"
            return problem(.malformed, field: min(fields.count, 5), "expected \"\(expected)\"")
        }
        let proto = text(1)
        guard let transport = Transport(rawValue: proto) else {
            if ImportValues.untrackedProtocols.contains(proto) { return }
            return problem(.invalidValue, field: 1, "\"\(proto.prefix(20))\" is not tcp or udp")
        }
        guard let port = ImportValues.port(text(2)) else {
            return problem(.invalidValue, field: 2, "\"\(text(2).prefix(20))\" is not a port number")
        }
        guard let host = IPAddress(text(3)) else {
            return problem(.invalidValue, field: 3, "\"\(text(3).prefix(60))\" is not an IP address")
        }
        guard let time = ImportValues.epoch(text(4)) else {
            return problem(.invalidValue, field: 4, "\"\(text(4).prefix(30))\" is not epoch seconds")
        }
        let service = isBanner ? ImportValues.bannerService(firstWord(line[fields[5]])) : nil
        collector.record(
            host: host, transport: transport, port: port, state: isBanner ? nil : state(kind), reason: nil,
            service: service, time: time, line: number)
    }

    /// The ranges of space-separated fields; the `limit`-th field runs to the end of the line.
    private static func fieldRanges(_ line: ArraySlice<UInt8>, limit: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = line.startIndex
        while i < line.endIndex {
            while i < line.endIndex, line[i] == UInt8(ascii: " ") || line[i] == UInt8(ascii: "\t") { i += 1 }
            guard i < line.endIndex else { break }
            let start = i
            if ranges.count == limit - 1 {
                ranges.append(start..<line.endIndex)
                break
            }
            while i < line.endIndex, line[i] != UInt8(ascii: " "), line[i] != UInt8(ascii: "\t") { i += 1 }
            ranges.append(start..<i)
        }
        return ranges
    }

    private static func firstWord(_ text: ArraySlice<UInt8>) -> String {
        let end = text.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } ?? text.endIndex
        return String(decoding: text[text.startIndex..<end], as: UTF8.self)
    }
}
