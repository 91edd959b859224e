import ArgumentParser
import PortwardenCore
import PortwardenEnforce
import PortwardenScan
import PortwardenStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `portwarden segment-test`: from inside one zone, probe every CDE address and hold each answer
/// against the policy's allowed edges.
struct SegmentTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment-test",
        abstract: "From inside a zone, probe every CDE address and report where segmentation fails.",
        discussion: """
            Run it on a machine (or in a namespace) inside the zone named by --from-zone: the command checks that this \
            machine has an address in the zone and that the kernel's route to every target zone leaves from it. It \
            probes every address of every CDE zone (--all-zones: of every other zone) on every TCP port (--ports) and \
            the common UDP ports plus the declared ones (--udp-ports), then compares: a declared edge must connect, \
            everything else must be filtered. A target that answers (open or closed) where no flow is declared is a \
            PW-SEGMENTATION-BREACH, tagged by zone pair (1.3.1 target in the CDE, 1.3.2 from the CDE, 1.3.3 from \
            wireless, 1.4.2 from untrusted, 12.5.2 from out of scope); a declared edge that is filtered is \
            PW-FLOW-BLOCKED. There is no host discovery (a host that drops everything must still be probed on every \
            port), and a target this machine cannot send to stops the test with an error: it is never counted as \
            filtered.

            The evidence file (--evidence, JSON) holds the time, the verified source address and vantage, targets, \
            ports, every result including the filtered ones (as port runs), the matrix, the findings, the tool version, \
            the policy digest, the next test date (12 months; 6 for service providers) and the tester's name, \
            qualification and independence statement as given. It supports the independent 11.4.5 / 11.4.6 test; it \
            does not replace it. Keep it at least 12 months (11.4.1).

            When an evidence store exists (portwarden init, or --db), the test is recorded in it as a chained \
            record: the same facts as columns, the whole evidence document and its SHA-256. Its probes are recorded \
            in the same transaction as a scan (kind segment-test, vantage the zone tested from, linked to the test), \
            so `portwarden history tcp/23 --host H` answers with them. Retention keeps tests at least 12 months \
            (--keep-days) and the latest test from each zone for good.

            --due reads the store instead of testing: for every zone a test must be run from (the policy's \
            out-of-scope, untrusted and wireless zones, with --policy, and every zone tested from before) it prints \
            the last test and when the next one is due: 12 months after it (6 for entity service_provider, 11.4.6), \
            and at once after a segmentation change, which is a load by enforce apply of a ruleset file that differs \
            from the last one applied, or a policy version recorded by policy apply that changes a zone's kind or \
            prefixes or an allowed edge between zones. A test that is due is a PW-SEGMENTATION-TEST-OVERDUE finding \
            (exit 1 at the default --fail-on high).

            Examples:
              ip netns exec lab-corp portwarden segment-test --policy examples/lab/policy.yaml --from-zone corp
              portwarden segment-test --policy policy.yaml --from-zone corp --ports 1-1024 --udp-ports none \\
                --tester-name "A. Tester" --tester-organization "Example QSA Ltd" --evidence corp.json
              portwarden segment-test --due --policy policy.yaml
            """
    )

    @Option(name: .long, help: "The policy file (YAML); optional with --due.")
    var policy: String?

    @Option(name: .long, help: "The zone this machine is in (the vantage).")
    var fromZone: String?

    @Flag(name: .long, help: "Do not test: show from the store when the next test is due from each zone.")
    var due = false

    @Flag(name: .long, help: "Probe every other zone, not only the CDE zones.")
    var allZones = false

    @Option(name: .long, help: "TCP ports (default: all, 1-65535).")
    var ports = "all"

    @Option(name: .long, help: "UDP ports, or none (default: the common UDP ports and the declared ones).")
    var udpPorts: String?

    @Option(
        name: .long,
        help: "Judge exceptions (with --due: the schedule) as of this time (RFC 3339 or YYYY-MM-DD); default: now.")
    var at: String?

    @Option(name: .long, help: "Where to write the evidence file (JSON); default: segment-test-<zone>.json.")
    var evidence: String?

    @Option(name: .long, help: "Output format: text (the matrix and findings) or json (one finding per line).")
    var format: SegmentFormat = .text

    @Option(name: .long, help: "Exit 1 when a finding is at or above this severity (info|low|medium|high|critical).")
    var failOn: Severity = .high

    @OptionGroup(title: "Tester (recorded in the evidence as given)") var tester: TesterOptions

    @OptionGroup(title: "Engine") var engine: EngineOptions

    @OptionGroup(title: "Evidence store") var store: StoreOptions

    func validate() throws {
        if let at, Timestamp.parse(at) == nil {
            throw ValidationError("--at \"\(at)\" is not an RFC 3339 time such as 2027-01-15T00:00:00Z")
        }
        if !due, policy == nil || fromZone == nil {
            throw ValidationError("segment-test needs --policy and --from-zone (or --due)")
        }
    }

    func run() throws {
        let moment = at.flatMap { Timestamp.parse($0) } ?? Date()
        if due { return try showDue(at: moment) }
        guard let policy, let fromZone else { throw CLIFailure.input("segment-test needs --policy and --from-zone") }
        let digested = try DigestedPolicy(path: policy)
        let flows = FlowPlan(policy: digested.policy, at: moment)
        guard let vantage = flows.zone(fromZone) else {
            throw CLIFailure.input(
                "--from-zone \(fromZone): the policy declares no such zone (zones: \(flows.zones.map(\.id).joined(separator: ", ")))"
            )
        }
        let tcp: [UInt16]
        let udp: [UInt16]?
        do {
            tcp = try PortList.parse(ports)
            udp = try udpPorts.map { $0 == "none" ? [] : try PortList.parse($0) }
        } catch {
            throw CLIFailure.input("\(error)")
        }
        let source = try VantageCheck.sourceAddress(in: vantage)
        let plan: SegmentationPlan
        do {
            plan = try SegmentationPlan(
                flows: flows, vantage: vantage, sourceAddress: source, allZones: allZones, tcpPorts: tcp, udpPorts: udp)
        } catch {
            throw CLIFailure.input(error.description)
        }
        try VantageCheck.routes(plan)
        do {
            try ScopeGuard(zones: digested.policy.zones, allowPublic: false).check(plan.hosts, explicit: false)
        } catch {
            throw CLIFailure.input("\(error)")
        }
        let started = Date()
        let probes = try SegmentProbes.run(plan, engine: engine)
        let finished = Date()
        let result = SegmentationResult(plan: plan, observations: probes.observations)
        let file = SegmentationEvidence(
            result: result, started: started, finished: finished, toolVersion: PortwardenVersion.current,
            policyDigest: digested.digest, tester: tester.evidence, scans: probes.records,
            notes: SegmentProbes.notes(plan, result))
        let path = evidence ?? "segment-test-\(vantage.id).json"
        let json = try file.json()
        try FileBytes.write(json, to: path)
        try SegmentRecording.record(file, json: json, observations: probes.observations, options: store)
        Terminal.write(SegmentReport.render(result, format: format, evidencePath: path))
        Terminal.writeError(
            "portwarden: segment-test from \(vantage.id) (\(source)): \(result.probes.count) probes, \(result.probes.count { $0.verdict == .breach }) breaches; evidence in \(path)"
        )
        if result.findings.contains(where: { $0.severity >= failOn }) { throw CLIFailure.findings }
    }

    /// `--due`: the schedule from the store.
    func showDue(at moment: Date) throws {
        let digested = try policy.map { try DigestedPolicy(path: $0) }
        let opened = try store.open(forWriting: false)
        defer { try? opened.close() }
        let findings = try SegmentDue.report(store: opened, policy: digested?.policy, at: moment, format: format)
        if findings.contains(where: { $0.severity >= failOn }) { throw CLIFailure.findings }
    }
}

/// Output formats of `segment-test`.
enum SegmentFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--tester-*` options: recorded as given; Portwarden cannot judge qualification or independence.
struct TesterOptions: ParsableArguments {
    @Option(name: .long, help: "The tester's name.")
    var testerName: String?

    @Option(name: .long, help: "The tester's organization.")
    var testerOrganization: String?

    @Option(name: .long, help: "The tester's qualification (e.g. OSCP, CREST CRT).")
    var testerQualification: String?

    @Option(name: .long, help: "The tester's statement of organizational independence.")
    var independenceStatement: String?

    var evidence: SegmentationEvidence.Tester {
        SegmentationEvidence.Tester(
            name: testerName, organization: testerOrganization, qualification: testerQualification,
            independenceStatement: independenceStatement)
    }
}
