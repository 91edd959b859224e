import PortwardenCore
import PortwardenEnforce
import PortwardenScan

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The checks that the test really runs from the zone it claims.
enum VantageCheck {
    /// A non-loopback address of this machine inside the zone.
    /// - Throws: an input failure naming this machine's addresses when none is in the zone.
    static func sourceAddress(in zone: Zone) throws -> IPAddress {
        let local = LocalAddresses.all().filter { !$0.isLoopback }
        guard let inside = local.first(where: { address in zone.prefixes.contains { $0.contains(address) } }) else {
            throw CLIFailure.input(
                "no address of this machine (\(local.map(\.description).joined(separator: ", "))) is in zone \(zone.id) (\(zone.prefixes.map(\.description).joined(separator: ", "))); run segment-test from inside the zone"
            )
        }
        return inside
    }

    /// The kernel's route to each target zone must leave from an address inside the vantage zone.
    static func routes(_ plan: SegmentationPlan) throws {
        for target in plan.targets {
            guard let host = target.hosts.first else { continue }
            let source = RouteSource.towards(host)
            guard let source, plan.vantage.prefixes.contains(where: { $0.contains(source) }) else {
                throw CLIFailure.input(
                    "the route to zone \(target.zone.id) (\(host)) leaves from \(source?.description ?? "nowhere (no route)"), which is not in zone \(plan.vantage.id): the probes would not test this vantage"
                )
            }
        }
    }
}

/// Runs the scans of a segmentation test: TCP connect, then UDP.
enum SegmentProbes {
    struct Output {
        var observations: [Observation]
        var records: [ScanRecord]
    }

    static func run(_ plan: SegmentationPlan, engine: EngineOptions) async throws -> Output {
        let hosts = plan.hosts
        var observations: [Observation] = []
        var records: [ScanRecord] = []
        if !plan.tcpPorts.isEmpty {
            let configuration = engine.configuration(vantage: plan.vantage.id)
            let started = Date()
            let result = try await ScanRunner.run(
                hosts: hosts, ports: plan.tcpPorts, configuration: configuration, syn: engine.syn)
            observations += result.observations
            records.append(
                record(
                    plan, result.observations, started: started, engine: engine.syn ? "syn" : "connect",
                    parameters: ScanParameters(
                        engine: engine.syn ? "syn" : "connect", profile: engine.profile.rawValue,
                        tcpPorts: PortText.ranges(plan.tcpPorts), tcpPortCount: plan.tcpPorts.count,
                        maxRate: configuration.maxRate, maxInFlight: configuration.maxInFlight,
                        maxRetries: configuration.maxRetries, seed: configuration.seed)))
        }
        if !plan.udpPorts.isEmpty {
            let configuration = engine.udpConfiguration(vantage: plan.vantage.id)
            let started = Date()
            let result = try await ScanRunner.runUDP(hosts: hosts, ports: plan.udpPorts, configuration: configuration)
            observations += result.observations
            records.append(
                record(
                    plan, result.observations, started: started, engine: "udp",
                    parameters: ScanParameters(
                        engine: "udp", profile: "udp", udpPortCount: plan.udpPorts.count, maxRate: configuration.maxRate,
                        maxInFlight: configuration.maxInFlight, maxRetries: configuration.maxRetries,
                        seed: configuration.seed)))
        }
        return Output(observations: observations, records: records)
    }

    /// The scan's own record: per host, the source address and every probed port as runs.
    static func record(
        _ plan: SegmentationPlan, _ observations: [Observation], started: Date, engine: String,
        parameters: ScanParameters
    ) -> ScanRecord {
        var coverage: [IPAddress: HostCoverage] = [:]
        for observation in observations.sorted(by: { ($0.host, $0.port) < ($1.host, $1.port) }) {
            coverage[observation.host, default: HostCoverage(
                host: observation.host, status: .scanned, method: .portScan, reason: "\(engine) probes",
                sourceAddress: observation.sourceAddress ?? plan.sourceAddress)
            ].record(observation)
        }
        return ScanRecord(
            toolVersion: PortwardenVersion.current, vantage: plan.vantage.id, started: started, finished: Date(),
            parameters: parameters, hosts: plan.hosts.compactMap { coverage[$0] })
    }

    static func notes(_ plan: SegmentationPlan, _ result: SegmentationResult) -> [String] {
        var notes: [String] = []
        for target in plan.targets where !target.notSwept.isEmpty {
            notes.append(
                "zone \(target.zone.id): IPv6 prefixes \(target.notSwept.map(\.description).joined(separator: ", ")) are too large to sweep; only their declared hosts were probed"
            )
        }
        if result.probes.contains(where: { $0.verdict == .silent }) {
            notes.append(
                "UDP probes that got no answer (open|filtered) are consistent with filtering but do not prove it; they are listed as silent"
            )
        }
        if result.breachesNotListed > 0 {
            notes.append("\(result.breachesNotListed) more breaches are in results but not listed as findings")
        }
        notes.append(
            "The store that keeps results 12 months and tracks the next test date is not connected; keep this file (PCI DSS 11.4.1)"
        )
        return notes
    }
}
