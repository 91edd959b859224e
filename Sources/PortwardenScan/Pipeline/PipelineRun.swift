import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The mutable state of one pipeline run: per-host coverage, counters, the engine that ran.
struct PipelineRun {
    let plan: ScanPlan
    let started: Date
    var hosts: [HostCoverage] = []
    var index: [IPAddress: Int] = [:]
    var probesSent = 0
    var engine = "connect"
    var tcpStatistics: ScanStatistics?
    var finishedTCP = false
    var finishedUDP = false

    init(plan: ScanPlan, started: Date) {
        self.plan = plan
        self.started = started
    }

    /// The targets the port scan covers: up by discovery, or scanned without it.
    var scanTargets: [IPAddress] {
        hosts.filter { $0.status == .up || $0.status == .scanned }.map(\.host)
    }

    /// Adds one port result to its host's coverage and gives the observation its source address.
    mutating func record(_ observation: inout Observation) {
        guard let position = index[observation.host] else { return }
        observation.sourceAddress = hosts[position].sourceAddress
        hosts[position].record(observation)
        if hosts[position].status == .scanned, observation.state == .open || observation.state == .closed {
            hosts[position].status = .up
            hosts[position].method = .portScan
            hosts[position].reason = "answered \(observation.transport.rawValue)/\(observation.port)"
        }
    }

    /// Hosts whose every probe our own stack refused to route become unreachable.
    mutating func markUnroutable(_ addresses: [IPAddress]) {
        for address in addresses {
            guard let position = index[address], hosts[position].ranges.isEmpty else { continue }
            hosts[position].status = .unreachable
            hosts[position].method = nil
            hosts[position].reason =
                "connect() failed at once (no route from this machine): check the routing table (ip route get "
                + "\(address)), the vantage and the source address"
        }
    }

    /// The record of the run, hosts still waiting marked unfinished when it was cut short.
    func finish(cancellation: ScanCancellation) -> ScanOutcome {
        var hosts = self.hosts
        let partial = cancellation.isCancelled
        if partial {
            for position in hosts.indices where hosts[position].status == .up || hosts[position].status == .scanned {
                let tcpDone = plan.tcpPorts.isEmpty || finishedTCP
                let udpDone = plan.udpPorts.isEmpty || finishedUDP
                if !(tcpDone && udpDone) {
                    hosts[position].status = .unfinished
                    hosts[position].reason = "the scan stopped before this host was finished"
                }
            }
        }
        for position in hosts.indices where hosts[position].status == .scanned {
            hosts[position].reason = "scanned without discovery; no port answered"
        }
        let parameters = ScanParameters(
            arguments: plan.arguments, engine: engine, profile: plan.profile, tcpPorts: plan.tcpPortSpec,
            tcpPortCount: plan.tcpPorts.count, udpPortCount: plan.udpPorts.count,
            discovery: plan.discovery != nil && plan.hosts.count >= plan.discoveryThreshold
                ? plan.discovery?.methods ?? [] : [],
            maxRate: plan.connect.maxRate, maxInFlight: plan.connect.maxInFlight,
            maxRetries: plan.connect.maxRetries, seed: plan.connect.seed, detection: plan.detection)
        let record = ScanRecord(
            toolVersion: plan.toolVersion, vantage: plan.connect.vantage, started: started, finished: Date(),
            partial: partial, stopReason: partial ? "interrupted" : nil, parameters: parameters, hosts: hosts)
        return ScanOutcome(record: record, probesSent: probesSent, tcpStatistics: tcpStatistics)
    }
}
