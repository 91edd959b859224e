import PortwardenCore
import PortwardenEnforce
import Testing

/// The nft JSON reader on real `nft -j list ruleset` output (Rulesets/, captured from nftables
/// 1.0.6 in a network namespace) and on broken input.
@Suite("nft JSON reader")
struct ReaderTests {
    static func read(_ name: String, limits: NftJSONReader.Limits = .init()) throws -> NftReadResult {
        try NftJSONReader.read(Array(try Fixtures.resource("Rulesets", name).utf8), file: name, limits: limits)
    }

    @Test func iptablesNftTablesAreReadAsFarAsPossible() throws {
        let result = try Self.read("iptables-nft.json")
        let filter = try #require(result.ruleset.table(family: "ip", name: "filter"))
        let input = try #require(filter.chain("INPUT"))
        #expect(input.binding?.policy == "drop")
        #expect(input.rules.count == 8)
        #expect(filter.chain("CUSTOM")?.rules.count == 2)
        // conntrack, multiport and recent are xt matches JSON cannot show: located warnings.
        let xt = result.problems.filter { $0.message.contains("iptables extension") }
        #expect(xt.count == 3)
        #expect(xt.allSatisfy { $0.level == .warning && $0.line == 1 && $0.column > 1 })
        #expect(xt.first?.description.hasPrefix("iptables-nft.json:1:") == true)
        #expect(result.writerVersion == "1.0.6")
    }

    @Test func iptablesRulesetIsVerifiedWithDoubtsNamed() throws {
        let result = try Self.read("iptables-nft.json")
        let generator = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
        let report = RulesetVerifier(plan: generator.plan, target: .host(IPAddress("10.90.3.10")!))
            .verify(result.ruleset, expected: nil)
        let permissive = report.findings.filter { $0.rule == "PW-OVER-PERMISSIVE-RULE" }
        // The xt conntrack accept may accept anything (medium); ssh from corp, 514 from anywhere and
        // 5432 from cde-app via CUSTOM are certain (high) except what the policy declares.
        #expect(permissive.contains { $0.severity == .medium && $0.message.contains("xt conntrack") })
        #expect(permissive.contains { $0.severity == .high && $0.port == 22 })
        #expect(permissive.contains { $0.severity == .high && $0.port == 514 && $0.transport == .udp })
        #expect(!permissive.contains { $0.port == 5432 && $0.severity == .high })
        // The output hook of a CDE host has no chain at all.
        #expect(
            report.findings.contains {
                $0.rule == "PW-DEFAULT-DENY-MISSING" && $0.requirements == [Requirement("1.3.2")]
            })
    }

    @Test func verdictMapsNamedSetsAndConcatenations() throws {
        let result = try Self.read("vmap-and-sets.json")
        let table = try #require(result.ruleset.table(family: "inet", name: "filter"))
        #expect(table.set("by_port")?.verdicts?.count == 2)
        #expect(table.set("pairs")?.incomplete == true)
        #expect(result.problems.contains { $0.message.contains("concatenated type ipv4_addr . inet_service") })
        let generator = try Fixtures.generator("lab-policy.yaml", at: "2026-12-01")
        let report = RulesetVerifier(plan: generator.plan, target: .host(IPAddress("10.90.3.10")!))
            .verify(result.ruleset, expected: nil)
        let subjects = report.findings.filter { $0.rule == "PW-OVER-PERMISSIVE-RULE" }.compactMap(\.subject)
        // tcp/22 → jump admin → accept from corp (handle 13 via 9); udp/53 via the anonymous map (11).
        #expect(subjects.contains("inet filter admin handle 13"))
        #expect(subjects.contains("inet filter input handle 11"))
        #expect(subjects.contains("inet filter input handle 8"))
        // 5432 from anywhere via @by_port: the card vault allows cde-app only.
        #expect(report.findings.contains { $0.subject == "inet filter input handle 9" && $0.port == 5432 })
        let admin = try #require(report.findings.first { $0.subject == "inet filter admin handle 13" })
        #expect(admin.message.contains("reached via input handle 9"))
    }

    @Test func setsPastTheElementLimitAreMarkedIncomplete() throws {
        var limits = NftJSONReader.Limits()
        limits.maximumSetElements = 0
        let result = try Self.read("vmap-and-sets.json", limits: limits)
        #expect(result.ruleset.table(family: "inet", name: "filter")?.set("admins")?.incomplete == true)
        #expect(result.problems.contains { $0.message.contains("more than the 0 read") })
    }

    @Test func notJSONIsALocatedInputError() throws {
        let bytes = Array("{\"nftables\": [\n  {\"table\": {\"family\": \"inet\",, }}]}".utf8)
        #expect {
            try NftJSONReader.read(bytes, file: "bad.json")
        } throws: { error in
            (error as? EnforceError)?.description.hasPrefix("bad.json:2:") == true
        }
        #expect(throws: EnforceError.self) { try NftJSONReader.read(Array("[1,2]".utf8), file: "x.json") }
    }

    @Test func everyPrefixOfARealRulesetIsHandledWithoutCrashing() throws {
        let bytes = Array(try Fixtures.resource("Rulesets", "vmap-and-sets.json").utf8)
        var parsed = 0
        for end in stride(from: 0, through: bytes.count, by: 7) {
            if (try? NftJSONReader.read(Array(bytes[0..<end]), file: "cut.json")) != nil { parsed += 1 }
        }
        #expect(parsed <= 1)
    }

    @Test func unknownObjectsAndExpressionsAreReportedNotFatal() throws {
        let text = """
            {"nftables":[{"table":{"family":"inet","name":"t"}},
            {"flowtable":{"family":"inet","name":"f","table":"t"}},
            {"chain":{"family":"inet","table":"t","name":"c","type":"filter","hook":"input","prio":0,"policy":"drop"}},
            {"rule":{"family":"inet","table":"t","chain":"c","handle":4,"expr":[{"frobnicate":{}},{"accept":null}]}},
            {"rule":{"family":"inet","table":"t","chain":"missing","handle":5,"expr":[{"accept":null}]}},
            {"rule":{"family":"inet","table":"t","chain":"c","handle":6}}, 42]}
            """
        let result = try NftJSONReader.read(Array(text.utf8), file: "odd.json")
        #expect(result.ruleset.tables.first?.chain("c")?.rules.first?.unknown == ["frobnicate"])
        let lines = result.problems.map(\.line).sorted()
        #expect(lines == [2, 4, 5, 6, 6])
    }
}
