import ArgumentParser
import PortwardenCore
import PortwardenHost
import PortwardenScan

/// `portwarden import`: other tools' results as Portwarden observations.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert nmap, masscan, osquery or ss output into observation lines.",
        discussion: """
            Formats:
              nmap      nmap -oX XML (extraports are expanded back to per-port observations)
              masscan   masscan -oJ (JSON or NDJSON) or -oL (list); detected from the content
              osquery   osquery listening_ports results (snapshot, differential event or batch lines)
              ss        `ss -H -ltunp` output

            Malformed records are reported on stderr with their location; the rest is converted. Exit 2 when
            nothing could be read.

            Examples:
              portwarden import nmap scan.xml --vantage corp > corp.jsonl
              portwarden import masscan masscan.json --vantage corp -o corp.jsonl
              ss -H -ltunp | portwarden import ss - --host 10.20.1.10
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case nmap, masscan, osquery, ss
    }

    @Argument(help: "The format: nmap, masscan, osquery or ss.")
    var kind: Kind

    @Argument(help: "The file to read, or - for standard input.")
    var file: String

    @Option(name: .long, help: "The zone the imported scan was made from.")
    var vantage: String?

    @Option(name: .long, help: "osquery/ss: the host address to record for listeners bound to wildcard or loopback.")
    var host: String?

    @Option(name: .long, help: "Output format: json (observation lines) or text.")
    var format: InventoryFormat = .json

    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        let bytes = try InputFile.read(file)
        let source = file == "-" ? "<stdin>" : file
        let converted = try ImportBridge.convert(kind, bytes: bytes, source: source, vantage: vantage, host: host)
        for problem in converted.problems { Terminal.writeError(problem) }
        if converted.observations.isEmpty && !converted.problems.isEmpty {
            throw CLIFailure.input("\(source): nothing could be imported (\(converted.problems.count) problems)")
        }
        let text: String
        switch format {
        case .json: text = ObservationLines.write(converted.observations)
        case .text:
            text = ScanOutput.table(
                converted.observations, result: nil, hosts: Set(converted.observations.map(\.host)).count,
                ports: Set(converted.observations.map(\.port)).count)
        }
        if let output { try FileBytes.write(text, to: output) } else { Terminal.write(text) }
    }
}
