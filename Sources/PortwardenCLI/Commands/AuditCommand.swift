import ArgumentParser
import PortwardenCore
import PortwardenPolicy
import PortwardenReport
import PortwardenScan

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `portwarden audit`: scan every zone the policy declares, evaluate, report.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Scan the policy's zones from this machine, evaluate the findings and write the reports.",
        discussion: """
            The audit scans every address of every zone in the policy (TCP, all ports by default: a missed open \
            port is the worst failure of a port inventory), runs service detection on the open ports (TLS \
            versions, insecure-protocol handshakes), evaluates the observations against the declared services \
            and exceptions, prints a summary with the most severe findings and their fixes, and writes \
            its evidence into a new dated directory under --report (DIR/2026-12-01T101530Z/: findings.json, \
            report.html, observations.jsonl, port-states.jsonl with closed and filtered ports as ranges, \
            allowed-services-1.2.5.csv); DIR/latest points at the newest, and no run overwrites another.

            With four or more addresses, host discovery runs first: ICMP echo and timestamp (raw socket as root, \
            else the unprivileged ping socket), TCP connect pings to 443, 80, the 100 most common and every \
            declared port, and the kernel's ARP table for directly attached segments. Any answer, a RST or an \
            ICMP error from the host itself included, makes a host up and fully scanned; the others are reported \
            down with what was tried. Addresses this machine has no route to are errors of the scan, never \
            "filtered". --no-discovery scans every port of every routable address.

            scan-record.json in --report records the run: parameters, the source address per target (for \
            allow-from), each host's status, discovery method and reason, and every probed port as state ranges. \
            An audit that reached none of its targets (all unreachable or all silent) exits 3.

            Observations are tagged with the vantage zone (the zone holding this machine's address, or --vantage):
            a service reachable from a zone its allow-from does not name is a segmentation finding.

            Examples:
              portwarden audit --policy examples/localhost.yaml
              portwarden audit --policy policy.yaml --report out/2026-11 --fail-on critical
              portwarden audit --policy policy.yaml --zone cde-db --ports top-1000 --vantage corp
            """
    )

    @Option(name: .long, help: "The policy file (YAML).")
    var policy: String

    @Option(name: .long, help: "Directory under which each run writes a new dated report directory.")
    var report = "portwarden-report"

    @Option(name: .long, help: "Exit 1 when a finding is at or above this severity (info|low|medium|high|critical).")
    var failOn: Severity = .high

    @Option(name: [.short, .long], help: "Ports to scan on every host: all, top-N, or a list such as 22,80,8000-8100.")
    var ports = "all"

    @Option(name: .long, help: "Audit only these zones (repeatable; default: every zone).")
    var zone: [String] = []

    @Option(name: .long, help: "The zone this audit scans from (default: the zone of this machine's address).")
    var vantage: String?

    @Option(name: .long, help: "Refuse to scan more than this many addresses (large zones are usually a mistake).")
    var maxHosts = 65_536

    @Flag(name: .long, help: "Allow zones with public (internet-routable) addresses to be scanned.")
    var allowPublic = false

    @Flag(
        name: .long,
        help: "Scan every port of every address, also of addresses that answer no common or declared port (slow).")
    var noDiscovery = false

    @Flag(
        name: .long,
        help: "Also scan UDP: the protocol-payload ports (DNS, NTP, SNMP, TFTP, …) and every declared UDP port.")
    var udp = false

    @Flag(name: .long, help: "Skip service detection (banners, TLS versions, insecure-protocol handshakes).")
    var noServiceDetection = false

    @Option(name: .long, help: "Print at most this many findings in the summary.")
    var top = 10

    @OptionGroup(title: "Engine") var engine: EngineOptions

    @OptionGroup(title: "Run") var runOptions: RunOptions

    @OptionGroup(title: "Evidence store") var store: StoreOptions

    func validate() throws {
        try engine.validateChecks(udp: udp, detection: !noServiceDetection)
    }

    func run() async throws {
        let started = Date()
        let (loaded, policyLines) = try PolicyInput.loadWithLines(policy)
        let portList: [UInt16]
        do { portList = try PortList.parse(ports) } catch { throw CLIFailure.input("--ports: \(error)") }
        let zones = try selectedZones(loaded)
        let excluded = try runOptions.excludedAddresses()
        let hosts = try addresses(of: zones).filter { !excluded.contains($0) }
        if hosts.isEmpty { throw CLIFailure.input("nothing to audit: every address of the selected zones is excluded") }
        try ScopeGuard(zones: loaded.zones, allowPublic: allowPublic).check(hosts, explicit: false)
        if let vantage, loaded.zone(vantage) == nil {
            throw CLIFailure.input("--vantage \(vantage): the policy declares no such zone")
        }
        let vantageZone = vantage ?? LocalAddresses.vantageZone(in: loaded)
        Terminal.writeError(
            "portwarden: auditing \(Diagnostic.counted(zones.count, "zone")) (\(Diagnostic.counted(hosts.count, "address", "addresses")) × \(Diagnostic.counted(portList.count, "TCP port"))) from \(vantageZone.map { "zone \($0)" } ?? "an address outside every zone")"
        )
        try FileBytes.makeDirectory(report)
        try FileBytes.checkWritable(directory: report)
        var plan = ScanPlan(
            hosts: hosts, tcpPorts: portList, connect: engine.configuration(vantage: vantageZone),
            toolVersion: PortwardenVersion.current)
        plan.tcpPortSpec = ports
        plan.profile = engine.profile.rawValue
        plan.arguments = CommandLine.arguments
        plan.syn = engine.syn
        plan.detection = !noServiceDetection
        plan.detectionSettings = engine.detectionSettings
        try engine.checkTransferPort(in: portList)
        let declaredTCP = Self.declaredPorts(loaded, zones: zones, transport: .tcp, widestRange: 16)
        if !noDiscovery {
            var discovery = DiscoveryConfiguration()
            discovery.tcpPorts = Self.pingPorts(declared: declaredTCP)
            discovery.maxRate = engine.maxRate
            plan.discovery = discovery
        }
        if udp {
            plan.udpPorts = Array(
                UDPPayloads.protocolPorts.union(
                    Self.declaredPorts(loaded, zones: zones, transport: .udp, widestRange: 64))
            ).sorted()
            plan.udp = engine.udpConfiguration(vantage: vantageZone)
            try plan.udp.validate()
        }
        plan.kept = .openAnd(Self.declaredSpecs(loaded, zones: zones))
        let cancellation = SignalCancellation.install()
        let outcome = try AuditScan(plan: plan).run(cancellation: cancellation, statsEvery: runOptions.statsInterval)
        Terminal.writeError(HostStatusText.render(outcome.record))
        if outcome.record.reachedNothing {
            let failedPath = report + "/scan-record.json"
            try FileBytes.write(ScanRecordJSON.render(outcome.record), to: failedPath)
            throw CLIFailure.runtime(HostStatusText.reachedNothing(outcome.record, recordPath: failedPath))
        }
        let now = Date()
        let findings = Evaluator(policy: loaded).evaluate(outcome.observations, at: now)
        var context = AuditContext(
            policy: loaded, policyPath: policy, generatedAt: now, observations: outcome.observations,
            findings: findings,
            scannedTargets: hosts.count, scannedPorts: portList.count,
            duration: now.timeIntervalSince(started), toolVersion: PortwardenVersion.current, failOn: failOn,
            policyLines: policyLines)
        context.scanRecords = [outcome.record]
        context.scope = [
            "zones "
                + zones.map { "\($0.id) (\($0.prefixes.map(\.description).joined(separator: ", ")))" }
                .joined(separator: ", "),
            "\(Diagnostic.counted(hosts.count, "address", "addresses")); TCP ports \(ports) (\(portList.count))"
                + (udp ? "; UDP protocol-payload and declared ports" : "; no UDP pass")
                + (noDiscovery || hosts.count < plan.discoveryThreshold
                    ? "" : "; addresses down in discovery were not port-scanned (reasons in scan-record.json)"),
            engine.namedChecksScope(udp: udp, detection: !noServiceDetection),
        ]
        let written = try ReportDirectory(root: report).write(context)
        // Beside the other files of this run: `latest` may already name a run started after this one.
        let recordPath =
            (written.first.map { String($0[..<($0.lastIndex(of: "/") ?? $0.endIndex)]) } ?? report)
            + "/scan-record.json"
        try FileBytes.write(ScanRecordJSON.render(outcome.record), to: recordPath)
        Terminal.write(
            AuditSummary.render(
                context, color: Terminal.stdoutWantsColor, top: top, reportPaths: written + [recordPath]))
        try StoreRecording.record(
            .init(
                kind: "audit", started: started, observations: outcome.observations, targets: zones.map(\.id),
                ports: ports, vantage: vantageZone, policyPath: policy, coverage: outcome.record.hosts,
                findings: findings, completeFindings: zone.isEmpty && !outcome.record.partial), options: store)
        if outcome.record.partial {
            throw CLIFailure.runtime(
                "the scan was \(outcome.record.stopReason ?? "stopped") before it finished: the findings cover only "
                    + "what was scanned (see \(recordPath))")
        }
        if context.failed { throw CLIFailure.findings }
    }

    /// Discovery's TCP ping ports: 443 and 80 first (nmap's default pings), then the 100 most common
    /// ports and every declared one, so a host that drops all but its one declared service still
    /// counts as up.
    static func pingPorts(declared: [UInt16]) -> [UInt16] {
        var seen = Set<UInt16>()
        return ([443, 80] + PortList.topPorts.prefix(100) + declared.sorted()).filter { seen.insert($0).inserted }
    }

    /// Every (transport, port) a service or exception of the selected zones declares: the closed and
    /// filtered results the evaluator needs ("declared but not seen open"); the rest of the closed
    /// and filtered ports stay in the scan record's per-host ranges.
    static func declaredSpecs(_ policy: Policy, zones: [Zone]) -> Set<PortSpec> {
        let ids = Set(zones.map(\.id))
        let specs =
            policy.services.filter { ids.contains($0.zone) }.flatMap(\.ports)
            + policy.exceptions.filter { ids.contains($0.zone) }.flatMap(\.ports)
        var out = Set<PortSpec>()
        for spec in specs where spec.range.count <= 4096 {
            for port in spec.range.lower...spec.range.upper { out.insert(PortSpec(spec.transport, port: port)) }
        }
        return out
    }

    /// The ports of one transport that the selected zones' services declare, leaving out ranges
    /// wider than `widestRange` (a declared 8000-9000 is not worth probing port by port in discovery).
    static func declaredPorts(_ policy: Policy, zones: [Zone], transport: Transport, widestRange: Int) -> [UInt16] {
        policy.services.filter { service in zones.contains { $0.id == service.zone } }
            .flatMap(\.ports).filter { $0.transport == transport && $0.range.count <= widestRange }
            .flatMap { $0.range.lower...$0.range.upper }
    }

    private func selectedZones(_ policy: Policy) throws -> [Zone] {
        if zone.isEmpty { return policy.zones }
        return try zone.map { id in
            guard let found = policy.zone(id) else {
                throw CLIFailure.input(
                    "--zone \(id): the policy declares no such zone (zones: \(policy.zones.map(\.id).joined(separator: ", ")))"
                )
            }
            return found
        }
    }

    /// Every address of the zones, refusing huge zones before expanding them.
    private func addresses(of zones: [Zone]) throws -> [IPAddress] {
        var total: UInt128 = 0
        for zone in zones {
            for prefix in zone.prefixes { total += min(prefix.addressCount, UInt128(Int.max)) }
        }
        if total > UInt128(maxHosts) {
            throw CLIFailure.input(
                "the selected zones hold \(total) addresses, more than --max-hosts \(maxHosts); audit fewer zones with --zone or raise --max-hosts"
            )
        }
        var seen = Set<IPAddress>()
        var out: [IPAddress] = []
        for zone in zones {
            for prefix in zone.prefixes {
                var value = prefix.first
                while true {
                    let address = IPAddress(value: value, isIPv4: prefix.isIPv4)
                    if seen.insert(address).inserted { out.append(address) }
                    if value == prefix.last { break }
                    value += 1
                }
            }
        }
        return out
    }
}
