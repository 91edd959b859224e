import Foundation
import PortwardenCore
import PortwardenEnforce
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Generated rulesets loaded into a real kernel (inside a namespace the test creates), listed back
/// with `nft -j` and verified: the reader and the generator must agree on every rule.
@Suite("generated rulesets through the kernel and back", .serialized)
struct KernelRoundTripTests {
    static var unavailable: String? { NftCheckTests.unavailable }

    static func load(_ text: String, into namespace: NetworkNamespace) throws {
        let path = "/tmp/pwt-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).nft"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        try namespace.run("nft", "-f", path)
    }

    static func list(_ namespace: NetworkNamespace) throws -> NftReadResult {
        let json = try namespace.run("nft", "-j", "list", "ruleset").stdout
        return try NftJSONReader.read(Array(json.utf8), file: "nft -j list ruleset")
    }

    @Test(.enabled(if: unavailable == nil, "needs root, ip and nft"), arguments: Fixtures.goldenCases.map(\.golden))
    func loadedRulesetReadsBackAsGenerated(_ golden: String) throws {
        let entry = try #require(Fixtures.goldenCases.first { $0.golden == golden })
        let generator = try Fixtures.generator(entry.policy, at: entry.day)
        let generated = try generator.generate(for: entry.target)
        let namespace = try NetworkNamespace(prefix: "nftrt")
        defer { namespace.remove() }
        try Self.load(generated.text, into: namespace)
        // Loading twice replaces the table (the file deletes it first), so apply is idempotent.
        try Self.load(generated.text, into: namespace)
        let read = try Self.list(namespace)
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(GeneratedMarker.find(in: read.ruleset)?.target == entry.target)
        let report = RulesetVerifier(plan: generator.plan, target: entry.target).verify(
            read.ruleset, expected: generated)
        #expect(report.findings.isEmpty, "\(report.findings.map(\.message))")
    }

    /// The handle in `nft --echo --handle` output: `insert rule … accept # handle 31`.
    static func echoedHandle(_ output: String) -> Int? {
        guard let range = output.range(of: "# handle ") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    @Test(.enabled(if: unavailable == nil, "needs root, ip and nft"))
    func ruleAddedByHandIsReportedWithItsKernelHandle() throws {
        let generator = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
        let generated = try generator.generate(for: .router)
        let namespace = try NetworkNamespace(prefix: "nfthand")
        defer { namespace.remove() }
        try Self.load(generated.text, into: namespace)
        let added = try namespace.run(
            "nft", "--echo", "--handle", "insert", "rule", "inet", "portwarden", "into_cde_db", "tcp", "dport",
            "1-65535",
            "accept")
        let handle = try #require(Self.echoedHandle(added.stdout), "no handle in \(added.stdout)")
        let report = RulesetVerifier(plan: generator.plan, target: .router)
            .verify(try Self.list(namespace).ruleset, expected: generated)
        let subject = "inet portwarden into_cde_db handle \(handle)"
        #expect(report.findings.contains { $0.rule == "PW-OVER-PERMISSIVE-RULE" && $0.subject == subject })
        #expect(report.findings.contains { $0.rule == "PW-CONFIG-DRIFT" && $0.subject == subject })
    }
}
