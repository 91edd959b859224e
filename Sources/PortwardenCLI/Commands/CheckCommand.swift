import ArgumentParser
import PortwardenCore
import PortwardenPolicy
import PortwardenReport

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `portwarden check`: evaluate a policy against observations that were collected earlier.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate a policy against observation files and report the findings.",
        discussion: """
            Observation files are JSON lines as written by `portwarden scan --format json`, `portwarden inventory \
            --format json` or `portwarden import` (docs/formats.md). They are read as a stream: memory follows what \
            can become a finding, not the size of the files. Broken lines are reported as file:line:column on stderr \
            and the rest is evaluated; input that yields no observation at all is an input error (exit 2). Use - to \
            read standard input.

            Examples:
              portwarden check --policy policy.yaml --observations scan-corp.jsonl scan-cde.jsonl
              portwarden check --policy policy.yaml --observations obs.jsonl --format sarif > findings.sarif
              portwarden check --policy policy.yaml --observations obs.jsonl --at 2027-01-15T00:00:00Z --fail-on medium
            """
    )

    @Option(name: .long, help: "The policy file (YAML).")
    var policy: String

    @Option(name: .long, parsing: .upToNextOption, help: "One or more observation files (JSON lines), or - for stdin.")
    var observations: [String]

    @Option(name: .long, help: "Evaluate as of this time (RFC 3339, e.g. 2027-01-15T00:00:00Z); default: now.")
    var at: String?

    @Option(name: .long, help: "Output format: text, json (one finding per line), sarif or junit.")
    var format: CheckFormat = .text

    @Option(name: .long, help: "Exit 1 when a finding is at or above this severity (info|low|medium|high|critical).")
    var failOn: Severity = .high

    @Option(name: .long, help: "Also write the report files (as audit does) into a new dated directory under DIR.")
    var report: String?

    @OptionGroup(title: "Evidence store") var store: StoreOptions

    func validate() throws {
        if observations.isEmpty { throw ValidationError("--observations needs at least one file") }
        if let at, Timestamp.parse(at) == nil {
            throw ValidationError("--at \"\(at)\" is not an RFC 3339 time such as 2027-01-15T00:00:00Z")
        }
    }

    func run() async throws {
        let (loaded, policyLines) = try PolicyInput.loadWithLines(policy)
        let now = at.flatMap { Timestamp.parse($0) } ?? Date()
        let evaluator = Evaluator(policy: loaded)
        var input = EvaluationInput(for: evaluator)
        var broken = 0
        var vantages = ObservedVantages(policy: loaded)
        for path in observations {
            let source = path == "-" ? "<stdin>" : path
            var reader = ObservationLineReader(source: source)
            let line: (ObservationLine) -> Void = { line in
                if input.offer(
                    host: line.host, transport: line.transport, port: line.port, state: line.state, source: line.source)
                {
                    let observation = line.observation()
                    vantages.note(observation.vantage, file: source, line: line.line)
                    input.add(observation)
                }
            }
            let problem: (Diagnostic) -> Void = { problem in
                broken += 1
                Terminal.writeError("\(problem)")
            }
            try InputFile.stream(path) { chunk in reader.feed(chunk, lines: line, problems: problem) }
            reader.finish(lines: line, problems: problem)
        }
        if input.count == 0 {
            let files = observations.count == 1 ? observations[0] : "\(observations.count) files"
            throw CLIFailure.input(
                "\(files): no observation could be read"
                    + (broken > 0 ? " (\(Diagnostic.counted(broken, "broken line")))" : " (the input is empty)")
                    + "; observation files are JSON lines as written by portwarden scan --format json")
        }
        if broken > 0 {
            Terminal.writeError(
                "portwarden: warning: \(Diagnostic.counted(broken, "broken observation line")) skipped; "
                    + "evaluated the other \(input.count)")
        }
        let findings = evaluator.evaluate(input.observations, at: now)
        let context = AuditContext(
            policy: loaded, policyPath: policy, generatedAt: now, observations: input.observations,
            observationCount: input.count, findings: findings, scannedTargets: input.hosts.count,
            scannedPorts: input.portCount, duration: nil, toolVersion: PortwardenVersion.current, failOn: failOn,
            policyLines: policyLines)
        if let report {
            for path in try ReportDirectory(root: report).write(context) {
                Terminal.writeError("portwarden: wrote \(path)")
            }
        }
        let renderer = FindingRenderer(color: format == .text && Terminal.stdoutWantsColor)
        Terminal.write(
            renderer.render(findings, format: FindingFormat(rawValue: format.rawValue) ?? .text, context: context))
        try StoreRecording.record(
            .init(
                kind: "check", started: now, observations: [], targets: observations, ports: "", policyPath: policy,
                findings: findings), options: store)
        if context.failed { throw CLIFailure.findings }
    }
}

/// The vantages of the evaluated observations that the policy does not declare as zones. `scan`
/// and `import` refuse such a `--vantage` when they are given the policy; a file scanned without
/// one (or against another version of the policy) is only found out here. Each such vantage is
/// warned about once, at its first line, naming what it disables.
struct ObservedVantages {
    private let zones: Set<String>
    private let zoneList: String
    private var warned: Set<String> = []

    init(policy: Policy) {
        zones = Set(policy.zones.map(\.id))
        zoneList = VantageOption.zoneList(policy)
    }

    mutating func note(_ vantage: String?, file: String, line: Int) {
        guard let vantage, !zones.contains(vantage), warned.insert(vantage).inserted else { return }
        let diagnostic = Diagnostic(
            file: file, line: line, level: .warning, code: "unknown-vantage",
            message:
                "vantage \(JSONString.quoted(vantage)) is not a zone of the policy (zones: \(zoneList)): segmentation "
                + "is not judged from the observations made there; their findings name an unknown vantage and carry "
                + "no PCI DSS 1.3.x requirement")
        Terminal.writeError(diagnostic.description)
    }
}
