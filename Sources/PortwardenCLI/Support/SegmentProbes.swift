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

    /// One pass of the scan pipeline over every target (TCP, then UDP), without host discovery: a
    /// segmentation test must probe every port of every address, since a host that drops
    /// everything looks down. The pipeline's route check makes a target this machine cannot send
    /// to `unreachable` in the record (an error of the test, never a filtered result).
    static func run(_ plan: SegmentationPlan, engine: EngineOptions) throws -> Output {
        var scan = ScanPlan(
            hosts: plan.hosts, tcpPorts: plan.tcpPorts, connect: engine.configuration(vantage: plan.vantage.id),
            toolVersion: PortwardenVersion.current)
        scan.discovery = nil
        scan.tcpPortSpec = plan.tcpPorts.isEmpty ? nil : PortText.ranges(plan.tcpPorts)
        scan.syn = engine.syn
        scan.profile = engine.profile.rawValue
        scan.arguments = CommandLine.arguments
        if !plan.udpPorts.isEmpty {
            scan.udpPorts = plan.udpPorts
            scan.udp = engine.udpConfiguration(vantage: plan.vantage.id)
            do { try scan.udp.validate() } catch { throw CLIFailure.input("\(error)") }
        }
        var observations: [Observation] = []
        let outcome = try PipelineEvents.run(
            ScanPipeline(plan: scan), cancellation: SignalCancellation.install()
        ) { observations.append($0) }
        let unreachable = outcome.record.hosts.filter { $0.status == .unreachable }
        if !unreachable.isEmpty {
            throw CLIFailure.runtime(
                "\(unreachable.count) target\(unreachable.count == 1 ? "" : "s") could not be probed from this "
                    + "machine (\(unreachable.prefix(3).map { "\($0.host): \($0.reason)" }.joined(separator: "; "))): "
                    + "the test proves nothing about them; fix the route or the vantage and run it again")
        }
        if outcome.record.partial {
            throw CLIFailure.runtime(
                "the test was \(outcome.record.stopReason ?? "stopped") before it finished; no evidence was written")
        }
        return Output(observations: observations, records: [outcome.record])
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
            "Keep this file at least 12 months (PCI DSS 11.4.1); when an evidence store exists the test is also recorded there, and segment-test --due tells when the next one is due"
        )
        return notes
    }
}
