import Foundation
import PortwardenCore
import PortwardenEnforce
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("nftables generation")
struct GeneratorTests {
    @Test(arguments: Fixtures.goldenCases.map(\.golden))
    func matchesGoldenFile(_ golden: String) throws {
        let entry = try #require(Fixtures.goldenCases.first { $0.golden == golden })
        let generated = try Fixtures.generator(entry.policy, at: entry.day).generate(for: entry.target)
        try GoldenFile.check(generated.text, golden)
    }

    @Test func outputIsIndependentOfPolicyOrder() throws {
        let (policy, digest) = try Fixtures.policy("lab-policy.yaml")
        var shuffled = policy
        shuffled.zones.reverse()
        shuffled.services.reverse()
        let moment = try #require(Timestamp.parse("2026-12-01"))
        let a = try NftRulesetGenerator(
            plan: FlowPlan(policy: policy, at: moment), policyDigest: digest, toolVersion: "x"
        )
        .generate(for: .router)
        let b = try NftRulesetGenerator(
            plan: FlowPlan(policy: shuffled, at: moment), policyDigest: digest, toolVersion: "x"
        )
        .generate(for: .router)
        #expect(a.text == b.text)
    }

    /// `enforce history` names a load's target from the marker in its recorded diff.
    @Test func markerIsFoundInRulesetTextAndInTheNewSideOfADiff() throws {
        let generator = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
        let router = try generator.generate(for: .router).text
        let host = try generator.generate(for: .host(IPAddress("10.90.3.10")!)).text
        #expect(GeneratedMarker.find(inText: router)?.target == .router)
        #expect(GeneratedMarker.find(inText: host)?.target == .host(IPAddress("10.90.3.10")!))
        let diff = LineDiff.unified(router, host, oldName: "router.nft", newName: "host.nft")
        #expect(GeneratedMarker.find(inText: diff)?.target == .host(IPAddress("10.90.3.10")!))
        let removed = LineDiff.unified(router, "", oldName: "router.nft", newName: "empty.nft")
        #expect(GeneratedMarker.find(inText: removed) == nil, "a removed line is the old file's")
        #expect(GeneratedMarker.find(inText: "table inet filter {\n\tcomment \"portwarden\"\n}\n") == nil)
    }

    @Test func expiredExceptionIsLeftOutAndNamed() throws {
        let before = try Fixtures.generator("lab-policy.yaml", at: "2026-12-31T23:59:59Z").generate(for: .router)
        let after = try Fixtures.generator("lab-policy.yaml", at: "2027-01-01T00:00:00Z").generate(for: .router)
        #expect(before.text.contains("comment \"exception EX-1 expires 2026-12-31\""))
        #expect(before.text.contains("log prefix \"PW-EXCEPTION EX-1 \""))
        #expect(before.expired.isEmpty)
        #expect(!after.text.contains("comment \"exception EX-1"))
        #expect(after.expired.map(\.id) == ["EX-1"])
        #expect(after.text.contains("# Exceptions left out as expired: EX-1 (expired 2026-12-31)."))
    }

    @Test func everyServiceIsAllowedOnlyFromItsSources() throws {
        let text = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01").generate(for: .router).text
        #expect(
            text.contains(
                "ip saddr @zone_cde_app_v4 ip daddr 10.90.3.10 tcp dport 5432 counter accept comment \"service card-vault\""
            ))
        #expect(text.contains("ip daddr @zone_cde_db_v4 jump into_cde_db"))
        #expect(text.contains("counter log prefix \"PW-DROP cde-db \" drop"))
        #expect(text.contains("type filter hook forward priority 0; policy drop;"))
        // Nothing is allowed into the wireless zone: its chain is just the logged drop.
        #expect(text.contains("chain into_wireless {\n\t\tcounter log prefix \"PW-DROP wireless \" drop\n\t}"))
    }

    @Test func cdeHostGetsEgressOnlyToDeclaredFlows() throws {
        let generated = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
            .generate(for: .host(IPAddress("10.90.3.10")!))
        let output = try #require(generated.table.chain("output"))
        #expect(output.binding?.policy == "drop")
        let accepted = output.rules.filter { $0.verdict == .accept }.compactMap(\.comment)
        #expect(accepted == ["egress service syslog"])
        #expect(generated.text.contains("counter log prefix \"PW-DROP-EGRESS cde-db \" drop"))
    }

    @Test func nonCDEHostHasNoOutputChain() throws {
        let generated = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
            .generate(for: .host(IPAddress("10.90.4.10")!))
        #expect(generated.table.chain("output") == nil)
        #expect(generated.table.chain("input")?.binding?.policy == "drop")
    }

    @Test func hostInNoZoneIsRefused() throws {
        let generator = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
        #expect(throws: EnforceError.self) { try generator.generate(for: .host(IPAddress("192.0.2.1")!)) }
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}

/// Every generated ruleset is checked by the real `nft -c -f`, inside a namespace the test creates
/// (outside one, `nft` would act on the machine's own ruleset).
@Suite("generated rulesets pass nft -c", .serialized)
struct NftCheckTests {
    static var unavailable: String? {
        NetworkNamespace.unavailableReason ?? (Shell.which("nft") == nil ? "nft (nftables) is not installed" : nil)
    }

    @Test(.enabled(if: unavailable == nil, "needs root, ip and nft"), arguments: Fixtures.goldenCases.map(\.golden))
    func generatedRulesetPassesNftCheck(_ golden: String) throws {
        let entry = try #require(Fixtures.goldenCases.first { $0.golden == golden })
        let generated = try Fixtures.generator(entry.policy, at: entry.day).generate(for: entry.target)
        let namespace = try NetworkNamespace(prefix: "nftc")
        defer { namespace.remove() }
        let path = "/tmp/pwt-\(getpid())-\(golden)"
        try generated.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let result = try namespace.run(["nft", "-c", "-f", path], allowFailure: true)
        #expect(result.status == 0, "nft -c -f \(golden): \(result.stderr)")
    }
}
