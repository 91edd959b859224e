import PortwardenCore
import PortwardenHost
import PortwardenScan

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Calls the right importer for `portwarden import` and normalises what it returns.
enum ImportBridge {
    struct Converted {
        var observations: [Observation]
        /// Located errors and warnings, in input order.
        var diagnostics: [Diagnostic]
    }

    static func convert(
        _ kind: ImportCommand.Kind, bytes: [UInt8], source: String, vantage: String?, host: String?
    ) throws -> Converted {
        let hostAddress = try HostOption.address(host)
        let now = Date()
        switch kind {
        case .nmap:
            if let looksLike = InputFormatGuess.notNmapXML(bytes) {
                let diagnostic = Diagnostic(
                    file: source, line: 1, column: 1, message: "not nmap XML: it looks like \(looksLike)")
                return Converted(observations: [], diagnostics: [diagnostic])
            }
            let result = NmapXMLImporter.parse(bytes, source: source, vantage: vantage)
            return Converted(observations: result.observations, diagnostics: result.problems)
        case .masscan:
            let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
            let isJSON = first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
            let result =
                isJSON
                ? MasscanImporter.parseJSON(bytes, source: source, vantage: vantage)
                : MasscanImporter.parseList(bytes, source: source, vantage: vantage)
            return Converted(observations: result.observations, diagnostics: result.problems)
        case .ss:
            let result = SSListenerImporter().parse(String(decoding: bytes, as: UTF8.self), file: source)
            var evidence = HostEvidence(file: source, vantage: vantage, importTime: now)
            evidence.add(result.imported, host: hostAddress, unnamed: "ss output names no host")
            var diagnostics = result.problems + evidence.diagnostics
            if result.listeners.isEmpty, result.problems.isEmpty, !bytes.contains(where: { $0 > 0x20 }) {
                diagnostics.append(Diagnostic(file: source, message: "the file is empty: no ss output"))
            }
            return Converted(observations: evidence.observations, diagnostics: diagnostics)
        case .osquery:
            return try osquery(bytes, source: source, vantage: vantage, host: hostAddress, now: now)
        }
    }

    private static func osquery(
        _ bytes: [UInt8], source: String, vantage: String?, host: IPAddress?, now: Date
    ) throws -> Converted {
        let result = OsqueryListenerImporter().parse(String(decoding: bytes, as: UTF8.self), file: source)
        let names = result.imported.keys.sorted()
        if host != nil, names.count > 1 {
            throw CLIFailure.input(
                "\(source): --host names one host, but the log has \(names.count) (\(names.joined(separator: ", "))); "
                    + "import each host's lines on their own")
        }
        var evidence = HostEvidence(file: source, vantage: vantage, importTime: now)
        for name in names {
            evidence.add(
                result.imported[name] ?? [], host: host ?? IPAddress(name),
                unnamed: "its hostIdentifier \"\(name)\" is not an address")
        }
        var diagnostics = result.problems + evidence.diagnostics
        if !result.otherQueryRows.isEmpty {
            let queries = result.otherQueryRows.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            let rows = Diagnostic.counted(result.otherQueryRows.values.reduce(0, +), "row")
            diagnostics.append(
                Diagnostic(
                    file: source, level: .warning,
                    message:
                        "\(rows) of queries other than listening_ports skipped (\(queries.joined(separator: ", ")))"))
        }
        if result.listeningRows == 0, result.problems.isEmpty {
            diagnostics.append(Diagnostic(file: source, message: "the log has no listening_ports rows"))
        }
        return Converted(observations: evidence.observations, diagnostics: diagnostics)
    }
}
