import ArgumentParser
import PortwardenCore
import PortwardenPolicy
import PortwardenScan

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options shared by `scan` and `audit` that tune the connect engine.
struct EngineOptions: ParsableArguments {
    @Option(
        name: .long, help: "Timing profile: default (adaptive, nmap-like timeouts) or fast (short timeouts, 2 retries)."
    )
    var profile: ScanProfile = .default

    @Option(name: .long, help: "At most this many probes per second (default: no cap beyond the in-flight window).")
    var maxRate: Int?

    @Option(name: .long, help: "At most this many connection attempts in flight at once.")
    var maxInFlight: Int?

    @Option(name: .long, help: "Retries for silent ports (answers are never retried).")
    var maxRetries: Int?

    @Option(name: .long, help: "Seed of the random probe order (to repeat a scan exactly).")
    var seed: UInt64?

    @Flag(name: .long, help: "Raw SYN scan (root or CAP_NET_RAW, IPv4); falls back to the connect scan otherwise.")
    var syn = false

    @Option(
        name: .long,
        help: "UDP: an SNMP community to try (repeatable). Only communities you name are ever sent.")
    var snmpCommunity: [String] = []

    @Option(
        name: .customLong("snmp-v3-user"),
        help: ArgumentHelp(
            """
            UDP: an SNMPv3 user to ask at noAuthNoPriv (INS-SNMPV3-NOAUTH; repeatable). None by default: only \
            users you name are ever sent.
            """,
            discussion: """
                Needs --udp. After the agent's engine-discovery Report, one GetRequest for sysDescr.0 as each user, \
                without authentication. A Response confirms; a refusal for want of authentication is not-matched; an \
                unknown user proves nothing about other users.
                """))
    var snmpV3User: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            """
            UDP: a name outside the scanned DNS servers' zones to ask them to resolve recursively (open-resolver \
            check, INS-DNS-OPEN-RESOLVER). None by default: the server would resolve it on your behalf.
            """,
            discussion: """
                Needs --udp. Only an answer with recursion available, not authoritative, NOERROR and a record \
                confirms an open resolver. A server that does not resolve this name for this scanner's address is \
                not proven closed: it may resolve for other sources, or other names.
                """))
    var dnsRecursionName: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            """
            Detection: a zone to ask the DNS servers on tcp/53 to transfer (AXFR; zone-transfer check, \
            INS-DNS-AXFR; repeatable). None by default: only zones you name are ever asked for.
            """,
            discussion: """
                Needs service detection on tcp/53 (scan --detect without --udp; audit unless \
                --no-service-detection). Only NOERROR with the zone's SOA as the first record confirms a \
                transfer; the probe then closes the connection, so the rest of the zone is never read. A refusal \
                proves only that this zone is not transferred to this scanner's address: zones you did not name, \
                other source addresses (the secondaries, a TSIG key) and other servers are not tested.
                """))
    var dnsTransferZone: [String] = []

    @Option(
        name: .long,
        help: "UDP: probes per second per host, so ICMP rate limits do not turn closed ports into open|filtered.")
    var udpPerHostRate: Int?

    func udpConfiguration(vantage: String?) -> UDPScanConfiguration {
        var configuration = UDPScanConfiguration(
            maxRate: maxRate, perHostRate: udpPerHostRate, vantage: vantage, snmpCommunities: snmpCommunity,
            dnsRecursionName: dnsRecursionName, snmpV3Users: snmpV3User)
        if let seed { configuration.seed = seed }
        if let maxRetries { configuration.maxRetries = min(maxRetries, 10) }
        return configuration
    }

    /// Refuses check options that the chosen passes would silently not run: a check that did not
    /// run must never read like one that ran and found nothing.
    /// - Parameters:
    ///   - udp: whether the command runs a UDP pass.
    ///   - detection: whether it runs service detection on open TCP ports.
    func validateChecks(udp: Bool, detection: Bool) throws {
        if !snmpCommunity.isEmpty, !udp {
            throw ValidationError("--snmp-community is a UDP check: add --udp (without it no SNMP agent is asked)")
        }
        if !snmpV3User.isEmpty {
            guard udp else {
                throw ValidationError("--snmp-v3-user is a UDP check: add --udp (without it no SNMP agent is asked)")
            }
            do { try UDPScanConfiguration(snmpV3Users: snmpV3User).validate() } catch {
                throw ValidationError("--snmp-v3-user: \(error)")
            }
        }
        if let name = dnsRecursionName {
            guard udp else {
                throw ValidationError(
                    "--dns-recursion-name is a UDP check: add --udp (without it no DNS server is asked anything)")
            }
            do { try UDPScanConfiguration(dnsRecursionName: name).validate() } catch {
                throw ValidationError("--dns-recursion-name: \(error)")
            }
        }
        if !dnsTransferZone.isEmpty {
            guard detection else {
                throw ValidationError(
                    "--dns-transfer-zone is a service-detection check on tcp/53: it needs a TCP scan with detection "
                        + "(scan --detect without --udp; audit without --no-service-detection)")
            }
            do { try detectionSettings.validate() } catch { throw ValidationError("--dns-transfer-zone: \(error)") }
        }
    }

    /// What the checks that need a named value asked, for a report's scope; community strings are
    /// counted, never printed (they are credentials). Without a value a check did not run, and the
    /// scope says so: its rules were not tested, which is not the same as not matched.
    /// - Parameters:
    ///   - udp: whether the run had a UDP pass.
    ///   - detection: whether it ran service detection on open TCP ports.
    func namedChecksScope(udp: Bool, detection: Bool) -> String {
        var asked: [String] = []
        var untested: [String] = []
        if udp && !snmpCommunity.isEmpty {
            asked.append(
                "SNMP v1/v2c with \(snmpCommunity.count) configured communit\(snmpCommunity.count == 1 ? "y" : "ies")")
        } else {
            untested.append("SNMP communities")
        }
        if udp && !snmpV3User.isEmpty {
            asked.append(
                "SNMPv3 noAuthNoPriv with \(snmpV3User.count) configured user\(snmpV3User.count == 1 ? "" : "s")")
        } else {
            untested.append("SNMPv3 users")
        }
        if udp, let dnsRecursionName {
            asked.append("open resolver: recursive A query for \(dnsRecursionName) on udp/53")
        } else {
            untested.append("open resolver")
        }
        if detection && !dnsTransferZone.isEmpty {
            asked.append("zone transfer: AXFR of \(dnsTransferZone.joined(separator: ", ")) on tcp/53")
        } else {
            untested.append("zone transfer")
        }
        var parts: [String] = []
        if !asked.isEmpty { parts.append("named-value checks: " + asked.joined(separator: "; ")) }
        if !untested.isEmpty { parts.append("not tested (no value named): " + untested.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// The service-detection settings these options ask for.
    var detectionSettings: DetectionConfiguration { DetectionConfiguration(dnsTransferZones: dnsTransferZone) }

    /// Refuses a zone-transfer check that the port list would leave without its port.
    /// - Parameter tcpPorts: the TCP ports the command scans.
    func checkTransferPort(in tcpPorts: [UInt16]) throws {
        guard !dnsTransferZone.isEmpty, !tcpPorts.contains(53) else { return }
        throw CLIFailure.input("--dns-transfer-zone asks DNS servers on tcp/53, which the port list does not include")
    }

    func validate() throws {
        if let maxRate, maxRate < 1 { throw ValidationError("--max-rate must be at least 1 probe per second") }
        if let maxInFlight, maxInFlight < 1 { throw ValidationError("--max-in-flight must be at least 1") }
        if let maxRetries, maxRetries < 0 || maxRetries > 20 { throw ValidationError("--max-retries must be 0 to 20") }
    }

    func configuration(vantage: String?) -> ScanConfiguration {
        var configuration = profile == .fast ? ScanConfiguration.fast : ScanConfiguration.default
        if let maxRate { configuration.maxRate = maxRate }
        if let maxInFlight { configuration.maxInFlight = maxInFlight }
        if let maxRetries { configuration.maxRetries = maxRetries }
        if let seed { configuration.seed = seed }
        configuration.vantage = vantage
        return configuration
    }
}

enum ScanProfile: String, ExpressibleByArgument, CaseIterable {
    case `default`, fast
}

/// `portwarden scan`: a TCP connect scan of explicit targets or of policy zones.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan TCP ports of targets or policy zones and print what is open, closed and filtered.",
        discussion: """
            Targets are addresses, prefixes (10.0.0.0/24), ranges (10.0.0.1-10.0.0.20 or 10.0.0.1-20), comma lists \
            and files (@targets.txt, one per line). Ports are lists and ranges (22,80,8000-8100), all (1-65535) or \
            top-N (Portwarden's own list of common ports). With --policy, --zone adds a zone's prefixes, and \
            targets outside every zone are refused unless named on the command line. Public addresses are refused \
            without --allow-public. Closed and filtered ports are kept in JSON and XML output (they are segmentation \
            evidence); --open shows only open ports.

            Examples:
              portwarden scan 10.20.1.0/28 -p top-100
              portwarden scan --policy policy.yaml --zone cde-db -p all --format json -o cde-db.jsonl
              portwarden scan 10.20.1.10 -p 1-1024 --max-rate 2000 --format xml -o scan.xml
            """
    )

    @Argument(help: "Addresses, prefixes, ranges, comma lists or @files to scan.")
    var targets: [String] = []

    @Option(
        name: [.short, .long],
        help:
            "Ports: 22,80,8000-8100, all, or top-N (default: top-1000 for TCP, the UDP protocol-payload ports with --udp)."
    )
    var ports: String?

    @Flag(
        name: [.customShort("U"), .long], help: "Scan UDP ports instead of TCP (connected sockets, ICMP errors read).")
    var udp = false

    @Option(name: .long, help: "Policy file: enables --zone, the scope guard and the vantage zone.")
    var policy: String?

    @Option(name: .long, help: "Scan every address of this policy zone (repeatable).")
    var zone: [String] = []

    @Option(name: .long, help: "The zone this scan is made from (default: the policy zone of this machine's address).")
    var vantage: String?

    @Flag(name: .long, help: "Allow public (internet-routable) targets.")
    var allowPublic = false

    @Flag(
        name: [.customShort("V"), .customLong("detect")],
        help: ArgumentHelp(
            "Service detection on open ports: banners, TLS versions, insecure-protocol handshakes.",
            discussion: "Text output shows under each open port what the handshakes proved: product and version, "
                + "one line per rule verdict (INS-TELNET: confirmed), the TLS versions accepted and the details a "
                + "finding cites. A port with none of these was named from its number alone."))
    var detect = false

    @Flag(name: .long, help: "Show only open ports.")
    var open = false

    @Option(name: .long, help: "Output format: text, json (one observation per line) or xml (nmap-compatible).")
    var format: ScanFormat = .text

    @Option(name: [.short, .customLong("output")], help: "Write the results to this file instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Also write the scan record (parameters, source addresses, per-host coverage) as JSON.")
    var record: String?

    @OptionGroup(title: "Engine") var engine: EngineOptions

    @OptionGroup(title: "Run") var runOptions: RunOptions

    @OptionGroup(title: "Evidence store") var store: StoreOptions

    func validate() throws {
        if targets.isEmpty && zone.isEmpty {
            throw ValidationError("name at least one target, or --policy with --zone")
        }
        if !zone.isEmpty && policy == nil { throw ValidationError("--zone needs --policy") }
        if udp && engine.syn { throw ValidationError("--syn is a TCP scan; use it without --udp") }
        try engine.validateChecks(udp: udp, detection: detect && !udp)
    }

    func run() throws {
        let started = Date()
        let loaded = try policy.map(PolicyInput.load)
        try VantageOption.check(vantage, in: loaded)
        let portList: [UInt16]
        if udp && ports == nil {
            portList = UDPPayloads.protocolPorts.sorted()
        } else {
            let spec = ports ?? "top-1000"
            do { portList = try PortList.parse(spec) } catch { throw CLIFailure.input("-p: \(error)") }
        }
        let explicit = try TargetParser.parse(targets)
        var derived: [IPAddress] = []
        for id in zone {
            guard let found = loaded?.zone(id) else {
                throw CLIFailure.input(
                    "--zone \(id): the policy declares no such zone (zones: \(loaded?.zones.map(\.id).joined(separator: ", ") ?? ""))"
                )
            }
            do { derived += try TargetParser.parse(found.prefixes.map(\.description)) } catch {
                throw CLIFailure.input("zone \(id): \(error)")
            }
        }
        let scope = ScopeGuard(zones: loaded?.zones ?? [], allowPublic: allowPublic)
        try scope.check(explicit, explicit: true)
        try scope.check(derived, explicit: false)
        var seen = Set<IPAddress>()
        let excluded = try runOptions.excludedAddresses()
        let hosts = (explicit + derived).filter { seen.insert($0).inserted && !excluded.contains($0) }
        if hosts.isEmpty { throw CLIFailure.input("nothing to scan: every target is excluded") }
        if let output { try FileBytes.checkWritable(file: output) }
        if let record { try FileBytes.checkWritable(file: record) }
        let vantageZone = vantage ?? loaded.flatMap(LocalAddresses.vantageZone(in:))
        var plan = ScanPlan(
            hosts: hosts, tcpPorts: udp ? [] : portList, connect: engine.configuration(vantage: vantageZone),
            toolVersion: PortwardenVersion.current)
        plan.tcpPortSpec = udp ? nil : (ports ?? "top-1000")
        plan.profile = engine.profile.rawValue
        plan.arguments = CommandLine.arguments
        plan.syn = engine.syn
        plan.detection = detect
        plan.detectionSettings = engine.detectionSettings
        if !udp { try engine.checkTransferPort(in: portList) }
        if udp {
            plan.udpPorts = portList
            plan.udp = engine.udpConfiguration(vantage: vantageZone)
            try plan.udp.validate()
        }
        let cancellation = SignalCancellation.install()
        let pipeline = ScanPipeline(plan: plan)
        let outcome: ScanOutcome
        var compact = CompactScanResults(openOnly: open)
        // The evidence store keeps the coverage's runs for every port and the observations of what
        // answered (service, product, version): only open ports are held in memory for it.
        var answered: [Observation] = []
        if format == .json {
            let sink = try OutputSink(path: output)
            outcome = try PipelineEvents.run(pipeline, cancellation: cancellation, statsEvery: runOptions.statsInterval)
            {
                observation in
                if observation.state == .open { answered.append(observation) }
                guard !open || observation.state == .open else { return }
                try sink.append {
                    ObservationLines.line(observation, into: &$0); $0.append("\n")
                }
            }
            try sink.flush()
        } else {
            outcome = try PipelineEvents.run(pipeline, cancellation: cancellation, statsEvery: runOptions.statsInterval)
            {
                if $0.state == .open { answered.append($0) }
                compact.add($0)
            }
            let text =
                format == .xml
                ? compact.xml(
                    outcome: outcome, ports: portList, transport: udp ? .udp : .tcp, arguments: CommandLine.arguments,
                    detection: detect)
                : compact.text(outcome: outcome, hostCount: hosts.count, portCount: portList.count)
            if let output { try FileBytes.write(text, to: output) } else { Terminal.write(text) }
        }
        if let record { try FileBytes.write(ScanRecordJSON.render(outcome.record), to: record) }
        try StoreRecording.record(
            .init(
                kind: "scan", started: started, observations: answered, targets: targets + zone,
                ports: ports ?? (udp ? "udp-protocol-ports" : "top-1000"), vantage: vantageZone, policyPath: policy,
                coverage: outcome.record.hosts), options: store)
        if outcome.record.count(.unreachable) > 0 || outcome.record.reachedNothing {
            Terminal.writeError(HostStatusText.render(outcome.record))
        }
        if outcome.record.reachedNothing {
            throw CLIFailure.runtime(HostStatusText.reachedNothing(outcome.record, recordPath: record))
        }
        if outcome.record.partial {
            throw CLIFailure.runtime(
                "the scan was \(outcome.record.stopReason ?? "stopped") before it finished; the output is partial")
        }
    }
}
