import Foundation
import PortwardenCore
import Testing

@testable import PortwardenPolicy

/// The evaluator's three parallel paths (judging observation groups, the outside-zone pass, the key
/// sort) must not change a single field of a single finding: a large generated estate is evaluated
/// serially and in parallel and the two results compared in full.
@Suite("evaluator: parallel and serial evaluation agree")
struct EvaluatorParallelAgreementTests {
    static let zoneCount = 400

    static func address(_ zone: Int, _ host: Int) -> IPAddress {
        IPAddress(ipv4: 0x0A00_0000 | UInt32(zone) << 8 | UInt32(host & 0xFF))
    }

    /// 400 /24 zones (every tenth a CDE) with five services each, and an exception per 100 zones.
    static func policy() -> Policy {
        var zones: [Zone] = []
        var services: [Service] = []
        for zone in 0..<zoneCount {
            let prefix = Prefix(address: address(zone, 0), length: 24) ?? Prefix(host: address(zone, 0))
            zones.append(
                Zone(id: "z\(zone)", kind: zone % 10 == 0 ? .cde : .connected, prefixes: [prefix], owner: "ops"))
            for index in 0..<5 {
                services.append(
                    Service(
                        id: "s\(zone)-\(index)", zone: "z\(zone)",
                        hosts: index % 2 == 1 ? [] : [Prefix(host: address(zone, index + 1))],
                        ports: [PortSpec(.tcp, port: UInt16(9110 + index))],
                        allowFrom: [.zone("z\((zone + 1) % zoneCount)")], justification: "Generated", owner: "ops",
                        approvedBy: "ciso"))
            }
        }
        let exceptions = (0..<4).map { index in
            PolicyException(
                id: "EX-\(index)", zone: "z\(index * 100)", hosts: [Prefix(host: address(index * 100, 200))],
                ports: [PortSpec(.tcp, port: 23)], justification: "Legacy", owner: "ops", approvedBy: "ciso",
                expires: CalendarDay(containing: Fixture.now).adding(days: index * 10 - 15))
        }
        return Policy(
            organization: "Agreement",
            review: ReviewSettings(last: CalendarDay(containing: Fixture.now).adding(days: -30)),
            zones: zones, services: services, exceptions: exceptions)
    }

    /// Declared, unauthorized, insecure, closed and outside-zone observations, a fixed seed.
    static func observations(_ count: Int) -> [Observation] {
        var random = SplitMix64(seed: 7)
        return (0..<count).map { _ in
            let zone = random.below(zoneCount)
            var host = address(zone, random.below(250) + 1)
            var port = UInt16(random.below(60000) + 1024)
            var state = PortState.open
            var vantage = "z\((zone + 1) % zoneCount)"
            var handshakes: [String: String]? = nil
            switch random.below(100) {
            case 0..<35:
                let index = random.below(5)
                if index % 2 == 0 { host = address(zone, index + 1) }
                port = UInt16(9110 + index)
            case 35..<70: vantage = "z\(random.below(zoneCount))"
            case 70..<80:
                port = [23, 21, 3389, 5900][random.below(4)]
                if random.below(2) == 0 { handshakes = ["INS-TELNET": "confirmed"] }
            case 80..<85: state = .closed
            default: host = IPAddress(ipv4: 0xAC10_0000 | UInt32(random.below(65536)))
            }
            return Observation(
                time: Fixture.now, host: host, transport: .tcp, port: port, state: state, reason: "syn-ack",
                source: .scan, vantage: vantage, handshakes: handshakes)
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1, "the parallel paths need two cores"))
    func parallelFindingsEqualSerialFindings() throws {
        let policy = Self.policy()
        let observations = Self.observations(240_000)
        let parallel = Evaluator(policy: policy, options: EvaluationOptions(parallel: true))
            .evaluate(observations, at: Fixture.now)
        let serial = Evaluator(policy: policy, options: EvaluationOptions(parallel: false))
            .evaluate(observations, at: Fixture.now)

        // The workload reaches all three parallel paths.
        let groups = ObservationGroups(observations).count
        #expect(ParallelRanges.parts(groups, enabled: true, minimumPerPart: Evaluator.parallelThreshold) > 1)
        #expect(serial.count >= FindingOrder.parallelThreshold, "\(serial.count) findings")
        let outsideHosts = Set(observations.lazy.filter { $0.host.value >> 16 == 0xAC10 }.map(\.host)).count
        #expect(outsideHosts >= 10_000, "\(outsideHosts) hosts outside every zone")

        #expect(parallel.count == serial.count)
        let firstDifference = zip(parallel, serial).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "finding \(firstDifference ?? -1) differs")
        #expect(Set(serial.map(\.rule)).isSuperset(of: ["PW-UNAUTHORIZED-PORT", "PW-INSECURE-SERVICE"]))
    }
}
