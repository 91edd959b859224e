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
            The audit scans every address of every zone in the policy (TCP, all ports by default: a missed open
            port is the worst failure of a port inventory), runs service detection on the open ports (TLS
            versions, insecure-protocol handshakes), evaluates the observations against the declared services
            and exceptions, prints a summary with the most severe findings and their fixes, and writes
            its evidence into a new dated directory under --report (DIR/2026-12-01T101530Z/: findings.json,
            report.html, observations.jsonl, port-states.jsonl with closed and filtered ports as ranges,
            allowed-services-1.2.5.csv); DIR/latest points at the newest, and no run overwrites another.

            With four or more addresses, a discovery pass first probes the 100 most common ports and every
            declared port; addresses where nothing answers are not scanned further (their silence is kept as
            filtered evidence). --no-discovery scans every port of every address.

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

    func run() async throws {
        let started = Date()
        let (loaded, policyLines) = try PolicyInput.loadWithLines(policy)
        let portList: [UInt16]
        do { portList = try PortList.parse(ports) } catch { throw CLIFailure.input("--ports \(ports): \(error)") }
        let zones = try selectedZones(loaded)
        let hosts = try addresses(of: zones)
        do { try ScopeGuard(zones: loaded.zones, allowPublic: allowPublic).check(hosts, explicit: false) } catch {
            throw CLIFailure.input("\(error)")
        }
        if let vantage, loaded.zone(vantage) == nil {
            throw CLIFailure.input("--vantage \(vantage): the policy declares no such zone")
        }
        let vantageZone = vantage ?? LocalAddresses.vantageZone(in: loaded)
        Terminal.writeError(
            "portwarden: auditing \(zones.count) zone\(zones.count == 1 ? "" : "s") (\(hosts.count) addresses × \(portList.count) TCP ports) from \(vantageZone.map { "zone \($0)" } ?? "an address outside every zone")"
        )
        let scan = AuditScan(
            hosts: hosts, ports: portList,
            declaredPorts: Self.declaredPorts(loaded, zones: zones, transport: .tcp, widestRange: 16),
            configuration: engine.configuration(vantage: vantageZone), discovery: !noDiscovery,
            detection: !noServiceDetection, syn: engine.syn,
            udpPorts: udp
                ? Array(
                    UDPPayloads.protocolPorts.union(
                        Self.declaredPorts(loaded, zones: zones, transport: .udp, widestRange: 64))
                ).sorted() : [],
            udpConfiguration: engine.udpConfiguration(vantage: vantageZone))
        let outcome = try await scan.run()
        let now = Date()
        let findings = Evaluator(policy: loaded).evaluate(outcome.observations, at: now)
        var context = AuditContext(
            policy: loaded, policyPath: policy, generatedAt: now, observations: outcome.observations,
            findings: findings,
            scannedTargets: hosts.count, scannedPorts: portList.count,
            duration: now.timeIntervalSince(started), toolVersion: PortwardenVersion.current, failOn: failOn,
            policyLines: policyLines)
        context.scope = [
            "zones "
                + zones.map { "\($0.id) (\($0.prefixes.map(\.description).joined(separator: ", ")))" }
                .joined(separator: ", "),
            "\(hosts.count) addresses; TCP ports \(ports) (\(portList.count))"
                + (udp ? "; UDP protocol-payload and declared ports" : "; no UDP pass")
                + (noDiscovery || hosts.count < AuditScan.discoveryThreshold
                    ? "" : "; addresses silent in discovery got only the discovery ports"),
        ]
        let written = try ReportDirectory(root: report).write(context)
        Terminal.write(
            AuditSummary.render(context, color: Terminal.stdoutWantsColor, top: top, reportPaths: written))
        if context.failed { throw CLIFailure.findings }
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
