import Foundation
import PortwardenTestSupport
import Testing

/// `segment-test --due` and the policy versions that make a segmentation test due, with the built binary
/// (the tests recorded by `segment-test` itself are in LabEndToEndTests, which needs namespaces).
@Suite(.enabled(if: Binary.unavailableReason == nil, "\(Binary.unavailableReason ?? "")"))
struct SegmentationScheduleEndToEndTests {
    static func policy(apiFrom: String = "[cde-app]", justification: String = "API") -> String {
        """
        version: 1
        organization: Test
        entity: merchant
        zones:
          - id: cde-app
            kind: cde
            prefixes: [10.20.2.0/24]
            owner: payments
          - id: corp
            kind: out-of-scope
            prefixes: [10.0.0.0/16]
            owner: it
          - id: guest
            kind: wireless
            prefixes: [10.9.0.0/24]
            owner: it
          - id: vendors
            kind: connected
            prefixes: [10.30.0.0/24]
            owner: it
        services:
          - id: api
            zone: cde-app
            hosts: [10.20.2.10]
            ports: [tcp/8443]
            allow-from: \(apiFrom)
            justification: \(justification)
            owner: payments
            approved-by: ciso
            approved-on: 2026-09-01
        """
    }

    /// `entity: service_provider` lints clean and makes an overdue test cite 11.4.6 beside 11.4.5.
    @Test(arguments: [("merchant", #"["11.4.5"]"#), ("service_provider", #"["11.4.5","11.4.6"]"#)])
    func overdueTestsCiteTheEntitysRequirements(_ entity: String, _ cited: String) throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let path = try scratch.write(
            "policy.yaml", Self.policy().replacingOccurrences(of: "entity: merchant", with: "entity: \(entity)"))
        let lint = try Binary.run(["policy", "lint", path])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        let json = try Binary.run(["segment-test", "--due", "--policy", path, "--format", "json"] + db)
        let lines = json.stdout.split(separator: "\n")
        #expect(json.status == 1 && lines.count == 2, "\(json.stdout)\(json.stderr)")
        #expect(lines.allSatisfy { $0.contains("\"requirements\":\(cited)") }, "\(json.stdout)")
    }

    @Test func policyVersionsThatMoveAnEdgeMakeTheTestDue() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let path = scratch.path("policy.yaml")
        func apply(_ text: String, _ change: String) throws -> Shell.Result {
            _ = try scratch.write("policy.yaml", text)
            return try Binary.run(["policy", "apply", path, "--change", change, "--reason", "test"] + db)
        }
        let first = try apply(Self.policy(), "CHG-1")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdout.contains("segmentation change"), "the first version is the baseline")
        let reworded = try apply(Self.policy(justification: "Payment API"), "CHG-2")
        #expect(!reworded.stdout.contains("segmentation change"), "\(reworded.stdout)")
        let widened = try apply(Self.policy(apiFrom: "[cde-app, vendors]"), "CHG-3")
        #expect(
            widened.stdout.contains("segmentation change (the next segmentation test is due now): +1 edge: vendors → "),
            "\(widened.stdout)")
        #expect(widened.stdout.contains("tcp/8443"), "\(widened.stdout)")

        // The zones segmentation isolates (out-of-scope, wireless) must be tested from; none was.
        let due = try Binary.run(["segment-test", "--due", "--policy", path] + db)
        #expect(due.status == 1, "\(due.stderr)")
        #expect(due.stdout.contains("corp: never tested; due now"), "\(due.stdout)")
        #expect(due.stdout.contains("guest: never tested; due now"), "\(due.stdout)")
        #expect(!due.stdout.contains("vendors:"), "\(due.stdout)")
        let json = try Binary.run(["segment-test", "--due", "--policy", path, "--format", "json"] + db)
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(json.stdout)")
        #expect(lines.allSatisfy { $0.contains("\"rule\":\"PW-SEGMENTATION-TEST-OVERDUE\"") })
        #expect(lines.allSatisfy { $0.contains("\"requirements\":[\"11.4.5\"]") })
        // Without --due, the zone to test from is required.
        let usage = try Binary.run(["segment-test", "--policy", path] + db)
        #expect(usage.status == 2, "\(usage.stderr)")
        #expect(usage.stderr.contains("--from-zone"), "\(usage.stderr)")
        let verified = try Binary.run(["log", "verify"] + db)
        #expect(verified.stdout.hasPrefix("ok:"), "\(verified.stdout)")
    }
}
