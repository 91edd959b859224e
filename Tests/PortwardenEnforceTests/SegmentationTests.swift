import Foundation
import PortwardenCore
import PortwardenEnforce
import Testing

/// Segmentation plans and results on made-up observations: what is expected from a zone, how
/// answers are judged, the matrix, the tags, the evidence file.
@Suite("segmentation tests")
struct SegmentationTests {
    static func plan(
        from zone: String, source: String, allZones: Bool = false, entity: EntityType = .merchant
    ) throws -> SegmentationPlan {
        var (policy, _) = try Fixtures.policy("lab-policy.yaml")
        policy.entity = entity
        let flows = FlowPlan(policy: policy, at: try #require(Timestamp.parse("2026-12-01")))
        let vantage = try #require(flows.zone(zone))
        return try SegmentationPlan(
            flows: flows, vantage: vantage, sourceAddress: try #require(IPAddress(source)), allZones: allZones,
            tcpPorts: [22, 5432, 8443], udpPorts: nil)
    }

    static func observation(_ host: String, _ transport: Transport, _ port: UInt16, _ state: PortState) -> Observation {
        Observation(
            time: Date(timeIntervalSince1970: 1_796_000_000), host: IPAddress(host)!, transport: transport, port: port,
            state: state, reason: state == .open ? "syn-ack" : state == .closed ? "conn-refused" : "no-response")
    }

    @Test func targetsAreTheCDEZonesAndTheirAddresses() throws {
        let plan = try Self.plan(from: "corp", source: "10.90.1.10")
        #expect(plan.targets.map(\.zone.id) == ["cde-app", "cde-db"])
        #expect(plan.targets.allSatisfy { $0.hosts.count == 8 })
        #expect(plan.udpPorts.contains(514) && plan.udpPorts.contains(53))
        let all = try Self.plan(from: "corp", source: "10.90.1.10", allZones: true)
        #expect(all.targets.map(\.zone.id) == ["cde-app", "cde-db", "dmz", "wireless"])
    }

    @Test func expectationFollowsTheSourceAddress() throws {
        let plan = try Self.plan(from: "cde-app", source: "10.90.2.10")
        #expect(
            plan.allowingFlow(host: IPAddress("10.90.3.10")!, transport: .tcp, port: 5432)?.origin.id == "card-vault")
        #expect(plan.allowingFlow(host: IPAddress("10.90.3.10")!, transport: .tcp, port: 2323)?.origin.id == "EX-1")
        #expect(plan.allowingFlow(host: IPAddress("10.90.3.11")!, transport: .tcp, port: 5432) == nil)
        #expect(plan.allowingFlow(host: IPAddress("10.90.3.10")!, transport: .tcp, port: 22) == nil)
    }

    @Test func answersAreJudgedAndBreachesTaggedByZonePair() throws {
        let plan = try Self.plan(from: "corp", source: "10.90.1.10")
        let result = SegmentationResult(
            plan: plan,
            observations: [
                Self.observation("10.90.3.10", .tcp, 22, .open),
                Self.observation("10.90.3.10", .tcp, 5432, .closed),
                Self.observation("10.90.3.10", .tcp, 8443, .filtered),
                Self.observation("10.90.2.10", .udp, 53, .openFiltered),
            ])
        #expect(result.probes.map(\.verdict) == [.silent, .breach, .breach, .filtered])
        let breaches = result.findings.filter { $0.rule == "PW-SEGMENTATION-BREACH" }
        #expect(breaches.map(\.port) == [22, 5432])
        #expect(breaches.allSatisfy { $0.severity == .critical && $0.requirements.map(\.id) == ["1.3.1", "12.5.2"] })
        #expect(result.hasBreach)
        let db = try #require(result.matrix.first { $0.targetZone == "cde-db" && $0.transport == .tcp })
        #expect(db.breaches == 2 && db.filtered == 1 && db.expectedFiltered == 3 && db.hosts == 1)
    }

    @Test func wirelessAndCDEVantagesGetTheirTags() {
        #expect(ZonePairTags.requirements(source: .wireless, target: .cde).map(\.id) == ["1.3.1", "1.3.3"])
        #expect(ZonePairTags.requirements(source: .cde, target: .cde).map(\.id) == ["1.3.1", "1.3.2"])
        #expect(ZonePairTags.requirements(source: .untrusted, target: .cde).map(\.id) == ["1.3.1", "1.4.2"])
        #expect(ZonePairTags.requirements(source: .connected, target: .outOfScope).map(\.id) == ["1.2.5"])
        #expect(ZonePairTags.requirements(source: nil, target: .connected).isEmpty)
    }

    @Test func declaredFlowThatIsFilteredIsBlocked() throws {
        let plan = try Self.plan(from: "dmz", source: "10.90.4.10")
        let result = SegmentationResult(
            plan: plan, observations: [Self.observation("10.90.2.10", .tcp, 8443, .filtered)])
        #expect(result.probes.map(\.verdict) == [.blocked])
        #expect(result.findings.map(\.rule) == ["PW-FLOW-BLOCKED"])
        #expect(result.findings.first?.severity == .info)
    }

    /// The evidence's cadence and the requirements it supports follow the entity (11.4.5; 11.4.6 besides and
    /// 6 months for a service provider); no finding is tagged with either.
    @Test(arguments: [
        (EntityType.merchant, "2027-11-30", ["11.4.5"]), (.serviceProvider, "2027-05-30", ["11.4.5", "11.4.6"]),
    ])
    func evidenceCadenceFollowsTheEntity(_ entity: EntityType, due: String, supported: [String]) throws {
        let plan = try Self.plan(from: "corp", source: "10.90.1.10", entity: entity)
        let result = SegmentationResult(plan: plan, observations: [Self.observation("10.90.3.10", .tcp, 22, .open)])
        let evidence = SegmentationEvidence(
            result: result, started: Date(timeIntervalSince1970: 1_796_000_000),
            finished: Date(timeIntervalSince1970: 1_796_000_100), toolVersion: "0.1.0", policyDigest: "sha256:ab",
            tester: .init(), scans: [], notes: [])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(try evidence.json().utf8)) as? [String: Any])
        #expect(object["next_test_due"] as? String == due)
        #expect(object["requirements_supported"] as? [String] == supported)
        #expect((object["policy"] as? [String: Any])?["entity"] as? String == entity.rawValue)
        #expect(result.findings.map(\.rule) == ["PW-SEGMENTATION-BREACH"])
        #expect(result.findings.allSatisfy { !$0.requirements.contains { $0.id.hasPrefix("11.4") } })
    }

    @Test func evidenceKeepsNegativeResultsAndTheTester() throws {
        let plan = try Self.plan(from: "corp", source: "10.90.1.10")
        var observations = (1...100).map { Self.observation("10.90.3.10", .tcp, UInt16($0), .filtered) }
        observations.append(Self.observation("10.90.3.10", .tcp, 22, .open))
        observations.removeAll { $0.port == 22 && $0.state == .filtered }
        let result = SegmentationResult(plan: plan, observations: observations)
        let evidence = SegmentationEvidence(
            result: result, started: Date(timeIntervalSince1970: 1_796_000_000),
            finished: Date(timeIntervalSince1970: 1_796_000_100), toolVersion: "0.1.0", policyDigest: "sha256:ab",
            tester: .init(name: "A. Tester", independenceStatement: "Not part of the payments team"), scans: [],
            notes: [])
        let json = try evidence.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.map { $0["ports"] as? String } == ["1-21", "22", "23-100"])
        #expect(results.map { $0["verdict"] as? String } == ["filtered", "breach", "filtered"])
        let tester = try #require(object["tester"] as? [String: Any])
        #expect(tester["name"] as? String == "A. Tester")
        #expect(tester["qualification"] is NSNull)
        #expect(
            object["next_test_due"] as? String == "2027-11-30"
                || (object["next_test_due"] as? String)?.hasPrefix("2027-") == true)
        #expect((object["vantage"] as? [String: Any])?["source_address"] as? String == "10.90.1.10")
        #expect((object["policy"] as? [String: Any])?["digest"] as? String == "sha256:ab")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { ($0["requirements"] as? [String])?.contains("11.4.5") == false })
    }
}
