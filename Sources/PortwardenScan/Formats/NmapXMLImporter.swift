import PortwardenCore

/// Reads nmap's XML output (`-oX`, also masscan's `-oX`) into observations.
///
/// - Every `port` becomes an observation with its state (including `open|filtered` and
///   `closed|filtered`), reason and service name. `extraports` are expanded back to one observation
///   per port, from `extrareasons/@ports` when present, otherwise from `scaninfo/@services` minus
///   the listed ports: collapsed closed or filtered ports are evidence, not absence.
/// - Host identity is the first IPv4/IPv6 `address` (MAC addresses and hostnames are not);
///   masscan's one-`host`-per-finding documents are merged by address, and a banner-only `port`
///   names the service of the port already seen.
/// - The time is the host's `endtime`, else its `starttime`, else `nmaprun/@start`.
/// - A malformed or truncated document is reported with its line and column, and every `host`
///   completed before the break is kept. Elements Portwarden does not read (`os`, `trace`,
///   `script`, `task*`, `verbose`, `output`, …) are skipped.
///
/// Memory is bounded: the tokenizer enforces ``XMLLimits`` (depth 64, names 256 bytes, 64
/// attributes per element, values and text 1 MiB) and the import stops adding observations at
/// `maxObservations`, reporting that it did.
public enum NmapXMLImporter {
    /// The default cap on observations from one document (a full 65,536-port scan of 30 hosts).
    public static let defaultMaxObservations = 2_000_000

    /// Parses one nmap XML document.
    /// - Parameters:
    ///   - bytes: the file's bytes (UTF-8).
    ///   - source: the file name, used in problem locations.
    ///   - vantage: the zone the scan was run from, copied to every observation.
    ///   - maxObservations: the most observations to produce; beyond it a problem is reported.
    /// - Returns: the observations (source `.import`), the problems with their locations, and the
    ///   number of hosts reported up.
    public static func parse(
        _ bytes: [UInt8], source: String, vantage: String?, maxObservations: Int = defaultMaxObservations
    ) -> ImportResult {
        var reader = NmapDocumentReader(
            collector: ObservationCollector(file: source, vantage: vantage, maxObservations: maxObservations))
        if let problem = notXML(bytes, source: source) { return ImportResult(problems: [problem]) }
        var tokenizer = XMLTokenizer(bytes: bytes)
        var parents: [String] = []
        reading: while true {
            let event: XMLEvent?
            do {
                event = try tokenizer.next()
            } catch {
                let code: Diagnostic.Code =
                    switch error.code {
                    case .malformed: .malformed
                    case .truncated: .truncated
                    case .limitExceeded: .limitExceeded
                    }
                var collector = reader.collector
                collector.problem(
                    code, line: error.location.line, column: error.location.column,
                    message: error.message + "; hosts completed before this point are kept")
                return collector.result()
            }
            switch event {
            case nil:
                break reading
            case .start(let name, let attributes, let location):
                guard reader.start(name, attributes, parent: parents.last, at: location) else { break reading }
                parents.append(name)
            case .end(let name, _):
                reader.end(name)
                parents.removeLast()
            case .text:
                continue
            }
        }
        return reader.collector.result()
    }

    /// A file whose first character (after a byte-order mark and white space) is not `<` is not
    /// XML at all: one problem that says so, with what it may be instead.
    static func notXML(_ bytes: [UInt8], source: String) -> Diagnostic? {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var lineStart = index
        while index < bytes.count, XMLTokenizer.isWhitespace(bytes[index]) {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        guard index < bytes.count else {
            return Diagnostic(
                file: source, line: 1, column: 1, code: .truncated, message: "the file is empty: no nmap XML")
        }
        guard bytes[index] != UInt8(ascii: "<") else { return nil }
        let hint =
            bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "{")
            ? " (JSON: masscan -oJ output is read by `portwarden import masscan`)" : ""
        return Diagnostic(
            file: source, line: line, column: index - lineStart + 1, code: .malformed,
            message: "this is not XML: nmap -oX output starts with <?xml or <nmaprun\(hint)")
    }
}
