import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Evaluation input collected line by line")
struct EvaluationInputTests {
    /// A mix of every state and source, with many closed ports on and off declared services.
    static let observations: [Observation] = {
        var all: [Observation] = [
            Fixture.obs("10.20.1.10", port: 5432),
            Fixture.obs("10.20.1.12", port: 23),
            Fixture.obs("10.20.1.12", .udp, port: 161, state: .openFiltered),
            Fixture.obs("10.20.2.5", port: 6379, source: .host, vantage: "cde-app", bind: .wildcard),
            Fixture.obs("10.20.2.5", port: 7000, state: .closed, source: .host, vantage: "cde-app"),
            Fixture.obs("2001:db8:20::10", port: 8443, state: .closed),
            Fixture.obs("10.0.5.5", port: 443, state: .filtered),
            Fixture.obs("10.0.5.6", port: 443, state: .unfiltered),
            Fixture.obs("192.0.2.1", port: 22),
        ]
        for port in UInt16(1)...UInt16(2000) {
            all.append(Fixture.obs("10.20.1.10", port: port, state: port % 2 == 0 ? .closed : .filtered))
            all.append(Fixture.obs("10.0.5.\(port % 200)", port: 443, state: .closed))
        }
        return all
    }()

    @Test func keepsFewObservationsAndGivesTheSameFindings() {
        let evaluator = Evaluator(policy: Fixture.policy())
        var input = EvaluationInput(for: evaluator)
        for observation in Self.observations { input.append(observation) }
        #expect(input.count == Self.observations.count)
        #expect(input.observations.count < 20)
        #expect(input.hosts == Set(Self.observations.map(\.host)))
        #expect(input.portCount == Set(Self.observations.map { "\($0.transport)/\($0.port)" }).count)
        let whole = evaluator.evaluate(Self.observations, at: Fixture.now)
        let reduced = evaluator.evaluate(input.observations, at: Fixture.now)
        #expect(!whole.isEmpty)
        #expect(reduced == whole)
    }

    @Test func aServiceSeenOnlyClosedStaysLookedAt() {
        let evaluator = Evaluator(policy: Fixture.policy())
        var input = EvaluationInput(for: evaluator)
        let closed = (0..<50).map { _ in Fixture.obs("10.20.1.10", port: 5432, state: .closed) }
        for observation in closed { input.append(observation) }
        #expect(input.observations.count == 1)
        #expect(evaluator.evaluate(input.observations, at: Fixture.now) == evaluator.evaluate(closed, at: Fixture.now))
    }
}
