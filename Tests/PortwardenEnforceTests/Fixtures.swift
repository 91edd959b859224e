import Foundation
import PortwardenCore
import PortwardenEnforce
import PortwardenPolicy
import Testing

/// Policies and rulesets the enforcement tests share, from the bundled resources.
enum Fixtures {
    static let toolVersion = "0.1.0"

    static func resource(_ directory: String, _ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: directory, withExtension: nil))
        return try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    /// A policy from `Golden/`, loaded; the test fails when it does not load cleanly.
    static func policy(_ name: String) throws -> (policy: Policy, digest: String) {
        let text = try resource("Golden", name)
        let result = PolicyLoader.parse(text, file: name)
        let policy = try #require(result.policy, "\(result.diagnostics)")
        #expect(!result.hasErrors, "\(result.diagnostics)")
        return (policy, "sha256:" + SHA256.hex(Array(text.utf8)))
    }

    static func generator(_ name: String, at day: String) throws -> NftRulesetGenerator {
        let (policy, digest) = try self.policy(name)
        let moment = try #require(Timestamp.parse(day))
        return NftRulesetGenerator(
            plan: FlowPlan(policy: policy, at: moment), policyDigest: digest, toolVersion: toolVersion)
    }

    /// Every (policy, target, day) the golden rulesets are made from.
    static let goldenCases: [(policy: String, target: EnforcementTarget, day: String, golden: String)] = [
        ("lab-policy.yaml", .router, "2026-12-01", "lab-router.nft"),
        ("lab-policy.yaml", .router, "2027-01-01", "lab-router-after-expiry.nft"),
        ("lab-policy.yaml", .host(IPAddress("10.90.3.10")!), "2026-12-01", "lab-host-cde-db.nft"),
        ("lab-policy.yaml", .host(IPAddress("10.90.4.10")!), "2026-12-01", "lab-host-dmz.nft"),
        ("multi-zone-policy.yaml", .router, "2026-12-01", "multi-zone-router.nft"),
        ("multi-zone-policy.yaml", .host(IPAddress("10.20.1.12")!), "2026-12-01", "multi-zone-host-cde-db.nft"),
        (
            "multi-zone-policy.yaml", .host(IPAddress("2001:db8:20:2::10")!), "2026-12-01",
            "multi-zone-host-cde-app-v6.nft"
        ),
    ]
}

/// Golden-file comparison for generated rulesets. Regenerate after an intended change with
/// `PORTWARDEN_UPDATE_GOLDEN=1 swift test --filter PortwardenEnforceTests` and review the diff.
enum GoldenFile {
    static var updating: Bool { ProcessInfo.processInfo.environment["PORTWARDEN_UPDATE_GOLDEN"] == "1" }

    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if updating {
            try actual.write(to: sourceDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? Fixtures.resource("Golden", name) else {
            Issue.record(
                "golden file \(name) is missing; run with PORTWARDEN_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record(
                "\(name) differs at line \(line + 1):\n  got:  \(line < a.count ? String(a[line]) : "<end>")\n  want: \(line < e.count ? String(e[line]) : "<end>")",
                sourceLocation: sourceLocation)
        }
    }
}
