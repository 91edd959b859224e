import PortwardenCore

/// What judging a range of observation groups produced: per-port findings, plus the marks the
/// policy-level checks need (which services were seen, which exceptions were relied on).
struct PortJudgement: Sendable {
    var findings: [Finding] = []
    /// Per service: a port it covers was seen open (or maybe open, UDP silence).
    var serviceSeen: [Bool]
    /// Per service: a port it covers was probed and found closed or filtered.
    var serviceLookedAt: [Bool]
    /// Per exception: an open port relied on it while it was expired.
    var exceptionRelied: [Bool]
    /// Hosts outside every zone with open ports, and the groups holding those ports.
    var outsideHosts: [IPAddress: [Int32]] = [:]
    /// Hosts the host agent reported on (any state), with their zone slot.
    var agentHosts: [IPAddress: Int32] = [:]

    init(serviceCount: Int, exceptionCount: Int) {
        serviceSeen = [Bool](repeating: false, count: serviceCount)
        serviceLookedAt = [Bool](repeating: false, count: serviceCount)
        exceptionRelied = [Bool](repeating: false, count: exceptionCount)
    }

    /// Folds another range's result into this one.
    mutating func merge(_ other: PortJudgement) {
        findings.append(contentsOf: other.findings)
        for index in serviceSeen.indices {
            serviceSeen[index] = serviceSeen[index] || other.serviceSeen[index]
            serviceLookedAt[index] = serviceLookedAt[index] || other.serviceLookedAt[index]
        }
        for index in exceptionRelied.indices {
            exceptionRelied[index] = exceptionRelied[index] || other.exceptionRelied[index]
        }
        outsideHosts.merge(other.outsideHosts) { $0 + $1 }
        agentHosts.merge(other.agentHosts) { first, _ in first }
    }
}
