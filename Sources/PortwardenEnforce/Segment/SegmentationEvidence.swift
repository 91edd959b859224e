import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The evidence file of a segmentation test, for the "segmentation validation appendix" of an
/// 11.4.5 / 11.4.6 report (reference/pci-dss.md §7): when, from where (the verified source
/// address and vantage), what (targets, ports, techniques), every result including the negative
/// ones, the expected-vs-observed matrix, the findings, the tool version and the policy digest,
/// and the tester's name, qualification and independence statement as the tester gives them.
public struct SegmentationEvidence: Sendable, Encodable {
    /// Who ran the test; Portwarden records what it is told and cannot judge independence.
    public struct Tester: Sendable, Encodable {
        public var name: String?
        public var organization: String?
        public var qualification: String?
        public var independenceStatement: String?

        public init(
            name: String? = nil, organization: String? = nil, qualification: String? = nil,
            independenceStatement: String? = nil
        ) {
            self.name = name
            self.organization = organization
            self.qualification = qualification
            self.independenceStatement = independenceStatement
        }

        enum CodingKeys: String, CodingKey {
            case name, organization, qualification
            case independenceStatement = "independence_statement"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(organization, forKey: .organization)
            try c.encode(qualification, forKey: .qualification)
            try c.encode(independenceStatement, forKey: .independenceStatement)
        }
    }

    /// One run of equal results on one host: the ports, what was observed, what was expected.
    struct ResultRun: Encodable {
        var host: IPAddress
        var zone: String
        var transport: Transport
        var ports: String
        var count: Int
        var state: PortState
        var reason: String?
        var expected: String
        var verdict: ProbeVerdict
        var flow: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(host, forKey: .host)
            try c.encode(zone, forKey: .zone)
            try c.encode(transport, forKey: .transport)
            try c.encode(ports, forKey: .ports)
            try c.encode(count, forKey: .count)
            try c.encode(state, forKey: .state)
            try c.encode(reason, forKey: .reason)
            try c.encode(expected, forKey: .expected)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(flow, forKey: .flow)
        }

        enum CodingKeys: String, CodingKey {
            case host, zone, transport, ports, count, state, reason, expected, verdict, flow
        }
    }

    public var result: SegmentationResult
    public var started: Date
    public var finished: Date
    public var toolVersion: String
    public var policyDigest: String
    public var tester: Tester
    /// The scans' own records (engine, knobs, per-host coverage), when the CLI has them.
    public var scans: [ScanRecord]
    public var notes: [String]

    public init(
        result: SegmentationResult, started: Date, finished: Date, toolVersion: String, policyDigest: String,
        tester: Tester, scans: [ScanRecord], notes: [String]
    ) {
        self.result = result
        self.started = started
        self.finished = finished
        self.toolVersion = toolVersion
        self.policyDigest = policyDigest
        self.tester = tester
        self.scans = scans
        self.notes = notes
    }

    /// The day the next test is due: 12 months after this one (6 for service providers, 11.4.6),
    /// and earlier after any change to a segmentation control.
    public var nextTestDue: CalendarDay {
        CalendarDay(containing: finished).adding(months: result.plan.flows.policy.entity.segmentationTestMonths)
    }

    enum CodingKeys: String, CodingKey {
        case format, started, finished, tool, policy, vantage, tester, methodology, targets, ports, matrix, results
        case findings
        case breachesNotListed = "breaches_not_listed"
        case nextTestDue = "next_test_due"
        case requirementsSupported = "requirements_supported"
        case retention, scans, notes
    }

    public func encode(to encoder: any Encoder) throws {
        let plan = result.plan
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("portwarden-segmentation-test/1", forKey: .format)
        try c.encode(Timestamp.format(started), forKey: .started)
        try c.encode(Timestamp.format(finished), forKey: .finished)
        try c.encode(["name": "portwarden", "version": toolVersion], forKey: .tool)
        try c.encode(
            [
                "digest": policyDigest, "organization": plan.flows.policy.organization ?? "",
                "entity": plan.flows.policy.entity.rawValue,
            ], forKey: .policy)
        try c.encode(
            [
                "zone": plan.vantage.id, "kind": plan.vantage.kind.rawValue,
                "source_address": plan.sourceAddress.description,
                "source_verified":
                    "the kernel's route to every target zone leaves from \(plan.sourceAddress), inside zone \(plan.vantage.id)",
            ], forKey: .vantage)
        try c.encode(tester, forKey: .tester)
        try c.encode(
            "TCP connect to every listed port of every address of each target zone; UDP with protocol payloads to the listed UDP ports. Expected: declared edges connect, everything else is filtered. Supports, never replaces, the periodic test by a qualified, independent tester (PCI DSS 11.4.5 / 11.4.6).",
            forKey: .methodology)
        try c.encode(
            plan.targets.map { target in
                [
                    "zone": target.zone.id, "kind": target.zone.kind.rawValue,
                    "prefixes": target.zone.prefixes.map(\.description).joined(separator: ", "),
                    "hosts_probed": String(target.hosts.count),
                    "not_swept": target.notSwept.map(\.description).joined(separator: ", "),
                ]
            }, forKey: .targets)
        try c.encode(["tcp": PortText.ranges(plan.tcpPorts), "udp": PortText.ranges(plan.udpPorts)], forKey: .ports)
        try c.encode(result.matrix, forKey: .matrix)
        try c.encode(runs(), forKey: .results)
        try c.encode(result.findings, forKey: .findings)
        try c.encode(result.breachesNotListed, forKey: .breachesNotListed)
        try c.encode(nextTestDue.description, forKey: .nextTestDue)
        // What the test supports (never a finding's tag): 11.4.5, and 11.4.6 for a service provider.
        try c.encode(plan.flows.policy.entity.segmentationTestRequirements.map(\.id), forKey: .requirementsSupported)
        try c.encode(
            "Keep this file at least 12 months (PCI DSS 11.4.1); the next test is due by next_test_due and after any change to a segmentation control.",
            forKey: .retention)
        try c.encode(scans, forKey: .scans)
        try c.encode(notes, forKey: .notes)
    }

    /// Consecutive ports of one host with the same observation and verdict, collapsed into one run.
    func runs() -> [ResultRun] {
        var out: [ResultRun] = []
        var pending: (run: ResultRun, ports: [UInt16])?
        func flush() {
            guard var entry = pending else { return }
            entry.run.ports = PortText.ranges(entry.ports)
            entry.run.count = entry.ports.count
            out.append(entry.run)
            pending = nil
        }
        for probe in result.probes {
            let o = probe.observation
            let zone = result.plan.target(of: o.host)?.zone.id ?? "-"
            let expected = probe.flow == nil ? "filtered" : "allowed"
            if let current = pending?.run, current.host == o.host, current.transport == o.transport,
                current.state == o.state, current.reason == o.reason, current.verdict == probe.verdict,
                current.flow == probe.flow
            {
                pending?.ports.append(o.port)
                continue
            }
            flush()
            pending = (
                ResultRun(
                    host: o.host, zone: zone, transport: o.transport, ports: "", count: 0, state: o.state,
                    reason: o.reason, expected: expected, verdict: probe.verdict, flow: probe.flow), [o.port]
            )
        }
        flush()
        return out
    }

    /// The file as pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

/// Port lists as ranges: `1-21,23-5431,5433-65535`.
public enum PortText {
    public static func ranges(_ ports: [UInt16]) -> String { PortRange.list(ports.map(PortRange.init(port:))) }
}
