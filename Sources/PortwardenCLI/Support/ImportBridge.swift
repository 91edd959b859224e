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
            return Converted(observations: result.observations, diagnostics: result.problems.map(\.diagnostic))
        case .masscan:
            let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
            let isJSON = first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
            let result =
                isJSON
                ? MasscanImporter.parseJSON(bytes, source: source, vantage: vantage)
                : MasscanImporter.parseList(bytes, source: source, vantage: vantage)
            return Converted(observations: result.observations, diagnostics: result.problems.map(\.diagnostic))
        case .ss:
            let result = SSListenerImporter().parse(String(decoding: bytes, as: UTF8.self), file: source)
            let observations = result.listeners.map {
                $0.observation(at: now, host: hostAddress, vantage: vantage, source: .import)
            }
            return Converted(observations: observations, diagnostics: result.problems.map(\.diagnostic))
        case .osquery:
            let result = OsqueryListenerImporter().parse(String(decoding: bytes, as: UTF8.self), file: source)
            var observations: [Observation] = []
            for name in result.hosts.keys.sorted() {
                let named = hostAddress ?? IPAddress(name)
                for listener in result.hosts[name] ?? [] {
                    observations.append(listener.observation(at: now, host: named, vantage: vantage, source: .import))
                }
            }
            return Converted(observations: observations, diagnostics: result.problems.map(\.diagnostic))
        }
    }
}
