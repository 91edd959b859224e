import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@Suite("Evaluator: exception expiry boundaries")
struct EvaluatorExceptionTests {
    static let telnet = Fixture.obs("10.20.1.12", port: 23, vantage: "mgmt")

    /// (now, expired?) for an exception that `expires: 2026-11-29`.
    @Test(arguments: [
        ("2026-11-29T00:00:00Z", false), ("2026-11-29T23:59:59Z", false), ("2026-11-30T00:00:00Z", true),
        ("2026-11-30T00:00:01Z", true), ("2027-03-01T12:00:00Z", true),
    ])
    func validThroughTheEndOfItsExpiryDay(now: String, expired: Bool) throws {
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: Fixture.day("2026-11-29"))])
        let findings = Fixture.evaluate([Self.telnet], policy: policy, at: Fixture.date(now))
        let onPort = findings.rule(EvaluationRule.exceptionExpired)
        #expect(findings.rule(EvaluationRule.unauthorizedPort).isEmpty, "an expired exception is not 'unauthorized'")
        if expired {
            let finding = try #require(onPort.first)
            #expect(onPort.count == 1, "no policy-level finding when an open port relies on it")
            #expect(finding.severity == .critical, "judged as the unauthorized port it is: CDE reached from mgmt")
            #expect(finding.host == Fixture.ip("10.20.1.12"))
            #expect(finding.port == 23)
            #expect(finding.subject == "EX-7")
            #expect(finding.requirements.map(\.id) == ["1.2.5", "1.3.1", "2.2.4"], "no 1.5.1")
            #expect(finding.message.contains("2026-11-29"))
            #expect(findings.rule(EvaluationRule.exceptionExpiring).isEmpty)
        } else {
            #expect(onPort.isEmpty)
            let expiring = try #require(findings.rule(EvaluationRule.exceptionExpiring).first)
            #expect(expiring.message.contains("today"))
        }
    }

    @Test func expiredExceptionNothingReliesOnIsReportedOnce() throws {
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: Fixture.day("2026-10-31"))])
        let findings = Fixture.evaluate([Fixture.obs("10.20.1.12", port: 23, state: .closed)], policy: policy)
        let expired = findings.rule(EvaluationRule.exceptionExpired)
        let finding = try #require(expired.first)
        #expect(expired.count == 1)
        #expect(finding.severity == .low)
        #expect(finding.requirements.map(\.id) == ["1.2.7"])
        #expect(finding.host == nil)
        #expect(finding.subject == "EX-7")
        #expect(finding.zone == "cde-db")
        #expect(finding.message.contains("2026-10-31"))
    }

    /// (days until expiry, expected finding?) with a 14-day window.
    @Test(arguments: [(0, true), (1, true), (13, true), (14, true), (15, false), (60, false)])
    func expiringWindow(days: Int, reported: Bool) throws {
        let today = CalendarDay(containing: Fixture.now)
        let expires = today.adding(days: days)
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: expires)])
        let findings = Fixture.evaluate([], policy: policy).rule(EvaluationRule.exceptionExpiring)
        #expect(findings.count == (reported ? 1 : 0))
        if let finding = findings.first {
            #expect(finding.severity == .low)
            #expect(finding.subject == "EX-7")
            #expect(finding.requirements.map(\.id) == ["1.2.7"])
            #expect(finding.message.contains(expires.description))
            if days > 1 { #expect(finding.message.contains("in \(days) days")) }
        }
    }

    @Test func windowFollowsTheOption() {
        let expires = CalendarDay(containing: Fixture.now).adding(days: 20)
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: expires)])
        let narrow = Fixture.evaluate([], policy: policy, options: EvaluationOptions(expiringWithinDays: 14))
        let wide = Fixture.evaluate([], policy: policy, options: EvaluationOptions(expiringWithinDays: 30))
        #expect(narrow.rule(EvaluationRule.exceptionExpiring).isEmpty)
        #expect(wide.rule(EvaluationRule.exceptionExpiring).count == 1)
    }

    @Test func exceptionWithoutExpiryNeverExpires() {
        let policy = Fixture.policy(exceptions: [Fixture.telnetException(expires: nil)])
        let findings = Fixture.evaluate([Self.telnet], policy: policy, at: Fixture.date("2099-01-01T00:00:00Z"))
        #expect(findings.rule(EvaluationRule.exceptionExpired).isEmpty)
        #expect(findings.rule(EvaluationRule.unauthorizedPort).isEmpty)
    }
}
