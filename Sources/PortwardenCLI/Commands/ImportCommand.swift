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
              ss        `ss -H -ltunp` or `ss -tulpen` output

            nmap and masscan become network observations from --vantage. osquery and ss become host \
            evidence (source host, as `portwarden inventory` writes): a listener bound to one address is \
            recorded on that address; wildcard and loopback listeners on --host (for osquery also on a \
            hostIdentifier that is an address); without either they are an error.

            A record that cannot be used is reported on stderr as file:line:column: error: …, the rest is \
            converted and written, and the exit status is 2. Warnings (records imported with less detail) do \
            not change the exit status. nmap and masscan imports without --vantage warn: segmentation cannot \
            be judged without the zone the scan ran from. With --policy, --vantage must name one of its zones.

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

    @Option(name: .long, help: "Policy file: --vantage must name one of its zones.")
    var policy: String?

    @Option(
        name: .long,
        help: "osquery/ss: the host the capture was taken on, for listeners bound to a wildcard or loopback address.")
    var host: String?

    @Option(name: .long, help: "Output format: json (observation lines) or text.")
    var format: InventoryFormat = .json

    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        try VantageOption.check(vantage, in: policy.map(PolicyInput.load))
        if vantage == nil, kind == .nmap || kind == .masscan { Terminal.writeError(VantageOption.missingWarning) }
        let bytes = try InputFile.read(file)
        let source = file == "-" ? "<stdin>" : file
        let converted = try ImportBridge.convert(kind, bytes: bytes, source: source, vantage: vantage, host: host)
        for diagnostic in converted.diagnostics { Terminal.writeError(diagnostic.description) }
        let errors = converted.diagnostics.filter { $0.level == .error }.count
        if converted.observations.isEmpty && errors > 0 {
            throw CLIFailure.input("\(source): nothing could be imported (\(Diagnostic.counted(errors, "error")))")
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
        if errors > 0 {
            throw CLIFailure.input(
                "\(source): \(Diagnostic.counted(errors, "error")); "
                    + "\(Diagnostic.counted(converted.observations.count, "observation")) imported from the rest")
        }
    }
}
