import Foundation
import PortwardenCore
import Testing

@testable import PortwardenPolicy

/// One validation case: an edit of the base policy and the one diagnostic it must produce.
struct LintCase: CustomTestStringConvertible, Sendable {
    let name: String
    let edits: [(String, String)]
    let code: Diagnostic.Code
    let level: Diagnostic.Level
    let line: Int
    let column: Int
    let fragment: String

    var testDescription: String { name }

    init(
        _ name: String, _ edits: [(String, String)], _ code: Diagnostic.Code, _ level: Diagnostic.Level,
        _ line: Int, _ column: Int, _ fragment: String
    ) {
        self.name = name
        self.edits = edits
        self.code = code
        self.level = level
        self.line = line
        self.column = column
        self.fragment = fragment
    }

    /// A clean policy: every case edits it to break exactly one thing.
    static let base = """
        version: 1
        zones:
          - id: cde-db
            kind: cde
            prefixes: [10.20.1.0/24]
          - id: corp
            kind: out-of-scope
            prefixes: [10.0.0.0/16]
        services:
          - id: pg
            zone: cde-db
            ports: [tcp/5432]
            justification: Card vault
            owner: payments
            approved-by: ciso

        """

    /// Appended by cases that need an exception (lines 16-23; the mapping starts at 17:5).
    static let exception = """
        exceptions:
          - id: EX-1
            zone: cde-db
            ports: [tcp/23]
            justification: HSM console
            approved-on: 2026-11-01
            owner: payments
            approved-by: ciso

        """

    var text: String {
        var text = Self.base
        for (old, new) in edits {
            if old == "<end>" {
                text += new
            } else {
                text = text.replacingFirst(old, with: new)
            }
        }
        return text
    }
}

extension String {
    func replacingFirst(_ old: String, with new: String) -> String {
        guard let range = range(ofLiteral: old) else { return self + "\n#missing edit: \(old)" }
        return String(self[..<range.lowerBound]) + new + String(self[range.upperBound...])
    }

    private func range(ofLiteral needle: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}

@Suite("Policy lint: one case per validation")
struct LintValidationTests {
    static let exceptionWithoutExpiry = LintCase.exception
    static let cases: [LintCase] = [
        LintCase(
            "unknown key", [("    zone: cde-db", "    zone: cde-db\n    alow-from: [corp]")], .unknownKey, .error, 12,
            5,
            "unknown key \"alow-from\" in service \"pg\" (did you mean \"allow-from\"?)"),
        LintCase("unknown top-level key", [("zones:", "zone:")], .unknownKey, .error, 2, 1, "did you mean \"zones\"?"),
        LintCase(
            "map where a list is expected", [("[10.0.0.0/16]", "{a: 10.0.0.0/16}")], .wrongType, .error, 8, 15,
            "\"prefixes\" in zone \"corp\" must be a list, not a mapping"),
        LintCase(
            "list where text is expected", [("justification: Card vault", "justification: [a, b]")], .wrongType,
            .error, 13, 20, "must be text, not a list"),
        LintCase(
            "missing zone kind", [("    kind: out-of-scope\n", "")], .missingKey, .error, 6, 5,
            "zone \"corp\" has no \"kind\""),
        LintCase("missing version", [("version: 1\n", "")], .missingKey, .error, 1, 1, "add \"version: 1\""),
        LintCase(
            "missing service zone", [("    zone: cde-db\n", "")], .missingKey, .error, 10, 5,
            "service \"pg\" has no \"zone\""),
        LintCase(
            "version 2", [("version: 1", "version: 2")], .unsupportedVersion, .error, 1, 10,
            "version \"2\" is not supported"),
        LintCase(
            "undeclared service zone", [("    zone: cde-db", "    zone: cde-dbx")], .undeclaredZone, .error, 11, 11,
            "service \"pg\" names zone \"cde-dbx\", which is not declared (did you mean \"cde-db\"?)"),
        LintCase(
            "undeclared allow-from zone", [("    zone: cde-db", "    zone: cde-db\n    allow-from: [crop]")],
            .undeclaredZone, .error, 12, 18, "neither a declared zone, a prefix nor \"any\" (did you mean \"corp\"?)"),
        LintCase(
            "undeclared exception zone",
            [
                ("<end>", exceptionWithoutExpiry + "    expires: 2026-12-31\n"),
                ("    zone: cde-db\n    ports: [tcp/23]", "    zone: cde\n    ports: [tcp/23]"),
            ], .undeclaredZone, .error,
            18, 11, "exception \"EX-1\" names zone \"cde\", which is not declared"),
        LintCase(
            "bad prefix length", [("[10.0.0.0/16]", "[10.0.0.0/33]")], .badPrefix, .error, 8, 16,
            "prefix \"10.0.0.0/33\" in zone \"corp\" is not an IPv4/IPv6 address or prefix"),
        LintCase(
            "bad allow-from prefix", [("    zone: cde-db", "    zone: cde-db\n    allow-from: [10.0.0.300]")],
            .badPrefix, .error, 12, 18, "allow-from entry \"10.0.0.300\""),
        LintCase(
            "host bits set", [("[10.0.0.0/16]", "[10.0.0.1/16]")], .hostBitsSet, .warning, 8, 16,
            "has host bits set; it is read as 10.0.0.0/16"),
        LintCase(
            "port out of range", [("[tcp/5432]", "[tcp/70000]")], .badPortSpec, .error, 12, 13,
            "\"tcp/70000\" is not a port or range within 1-65535"),
        LintCase(
            "port without transport", [("[tcp/5432]", "[5432]")], .badPortSpec, .error, 12, 13, "has no transport"),
        LintCase(
            "reversed port range", [("[tcp/5432]", "[tcp/9000-8000]")], .badPortSpec, .error, 12, 13,
            "reversed range"),
        LintCase(
            "empty ports", [("[tcp/5432]", "[]")], .emptyPorts, .error, 12, 5, "\"ports\" of service \"pg\" is empty"),
        LintCase(
            "host outside its zone", [("    zone: cde-db", "    zone: cde-db\n    hosts: [10.0.5.1]")],
            .hostOutsideZone, .error, 12, 13, "host 10.0.5.1/32 of service \"pg\" is outside zone \"cde-db\""),
        LintCase(
            "CDE and non-CDE zones overlap", [("[10.0.0.0/16]", "[10.20.0.0/16]")], .segmentationOverlap, .error,
            8, 16, "10.20.0.0/16 of zone \"corp\" overlaps 10.20.1.0/24 of zone \"cde-db\" (line 5)"),
        LintCase(
            "two non-CDE zones overlap",
            [("    kind: cde", "    kind: connected"), ("[10.20.1.0/24]", "[10.0.1.0/24]")],
            .zoneOverlap, .warning, 8, 16, "10.0.0.0/16 of zone \"corp\" overlaps 10.0.1.0/24 of zone \"cde-db\""),
        LintCase(
            "duplicate zone id", [("  - id: corp", "  - id: cde-db")], .duplicateID, .error, 6, 9,
            "zone id \"cde-db\" is already used by the zone defined at line 3"),
        LintCase(
            "duplicate service id",
            [
                (
                    "<end>",
                    "  - id: pg\n    zone: corp\n    ports: [tcp/22]\n    justification: j\n    owner: a\n    approved-by: b\n"
                )
            ],
            .duplicateID, .error, 16, 9, "service id \"pg\" is already used by the service defined at line 10"),
        LintCase(
            "service without justification", [("    justification: Card vault\n", "")], .missingJustification,
            .error, 10, 5, "PCI DSS 1.2.5"),
        LintCase(
            "service without owner", [("    owner: payments\n", "")], .missingOwner, .error, 10, 5,
            "service \"pg\" has no \"owner\""),
        LintCase(
            "service without approver", [("    approved-by: ciso\n", "")], .missingApprover, .error, 10, 5,
            "service \"pg\" has no \"approved-by\""),
        LintCase(
            "approver is the owner", [("approved-by: ciso", "approved-by: payments")], .approverIsOwner, .warning,
            15, 18, "approved by its own owner \"payments\""),
        LintCase(
            "exception without expiry", [("<end>", exceptionWithoutExpiry)], .missingExpiry, .error, 17, 5,
            "exception \"EX-1\" has no \"expires\" date"),
        LintCase(
            "exception without justification",
            [
                ("<end>", exceptionWithoutExpiry + "    expires: 2026-12-31\n"),
                ("    justification: HSM console\n", ""),
            ],
            .missingJustification, .error, 17, 5, "exception \"EX-1\" has no \"justification\""),
        LintCase(
            "review cadence looser than six months", [("version: 1\n", "version: 1\nreview:\n  every: 12 months\n")],
            .reviewTooLoose, .error, 3, 10, "looser than six months; PCI DSS 1.2.7"),
        LintCase(
            "zone review looser than six months", [("    kind: cde\n", "    kind: cde\n    review: 1 year\n")],
            .badCadence, .error, 5, 13, "\"1 year\" of zone \"cde-db\" is not understood"),
        LintCase(
            "zone review of 7 months", [("    kind: cde\n", "    kind: cde\n    review: 7 months\n")],
            .reviewTooLoose, .error, 5, 13, "review cadence \"7 months\" of zone \"cde-db\" is looser than six months"),
        LintCase(
            "zone review looser than the policy's",
            [
                ("version: 1\n", "version: 1\nreview:\n  every: 3 months\n"),
                ("    kind: cde\n", "    kind: cde\n    review: 4 months\n"),
            ],
            .zoneReviewLooser, .error, 7, 13,
            "zone \"cde-db\" reviews every 4 months, which is looser than the policy's 3 months"),
        LintCase(
            "impossible date", [("    approved-by: ciso\n", "    approved-by: ciso\n    approved-on: 2026-02-30\n")],
            .badDate, .error, 16, 18, "\"2026-02-30\", which is not a real date"),
        LintCase(
            "unknown zone kind", [("kind: cde", "kind: cdee")], .unknownZoneKind, .error, 4, 11,
            "unknown zone kind \"cdee\" in zone \"cde-db\" (did you mean \"cde\"?); valid kinds: cde, connected, security"
        ),
        LintCase(
            "unknown entity", [("version: 1\n", "version: 1\nentity: retailer\n")], .unknownEntity, .error, 2, 9,
            "valid values: merchant, service_provider"),
        LintCase(
            "unknown bind", [("    approved-by: ciso\n", "    approved-by: ciso\n    bind: everywhere\n")],
            .unknownBind, .error, 16, 11, "valid values: wildcard, address, loopback, container"),
        LintCase(
            "any into a CDE service", [("    zone: cde-db", "    zone: cde-db\n    allow-from: [any]")],
            .unjustifiedEdgeIntoCDE, .error, 12, 18, "allows any address without an edge justification"),
        LintCase(
            "out-of-scope zone into a CDE service", [("    zone: cde-db", "    zone: cde-db\n    allow-from: [corp]")],
            .unjustifiedEdgeIntoCDE, .error, 12, 18, "zone \"corp\" (kind out-of-scope) without an edge justification"),
        LintCase(
            "prefix of an out-of-scope zone into a CDE service",
            [("    zone: cde-db", "    zone: cde-db\n    allow-from: [10.0.4.0/24]")], .unjustifiedEdgeIntoCDE, .error,
            12,
            18, "lies in zone \"corp\" (kind out-of-scope)"),
        LintCase(
            "exception without approval date",
            [
                ("<end>", exceptionWithoutExpiry + "    expires: 2026-12-31\n"),
                ("    approved-on: 2026-11-01\n", ""),
            ],
            .missingApproval, .error, 17, 5, "exception \"EX-1\" has no \"approved-on\""),
        LintCase(
            "exception naming an unknown rule",
            [("<end>", exceptionWithoutExpiry + "    expires: 2026-12-31\n    rules: [INS-TELNTE]\n")],
            .unknownRule, .error, 25, 13, "did you mean \"INS-TELNET\"?"),
        LintCase(
            "exception without an allowed mitigation",
            [
                (
                    "<end>",
                    exceptionWithoutExpiry
                        + "    expires: 2026-12-31\n    rules: [INS-TELNET]\n    mitigations: [prayer]\n"
                )
            ],
            .mitigationNotAllowed, .warning, 17, 5, "names no security feature its rules allow"),
        LintCase(
            "exception outliving the next review",
            [
                ("version: 1\n", "version: 1\nreview:\n  last: 2026-09-01\n"),
                ("<end>", exceptionWithoutExpiry + "    expires: 2027-06-30\n"),
            ],
            .exceptionOutlivesReview, .warning, 26, 5, "after the next NSC review due on 2027-03-01"),
        LintCase(
            "YAML syntax error", [("    ports: [tcp/5432]", "    ports: [tcp/5432")], .yamlSyntax, .error, 13, 18,
            "YAML syntax error"),
        LintCase(
            "duplicate key", [("    approved-by: ciso\n", "    approved-by: ciso\n    owner: other\n")], .duplicateKey,
            .error, 16, 5, "key \"owner\" appears twice in the same mapping (first at line 14, again at line 16)"),
        LintCase(
            "duplicate key, once quoted (both read as the same text)",
            [("    approved-by: ciso\n", "    approved-by: ciso\n    \"owner\": other\n")], .duplicateKey,
            .error, 14, 5, "key \"owner\" appears more than once in the same mapping"),
        LintCase(
            "duplicate exception id",
            [
                (
                    "<end>",
                    exceptionWithoutExpiry + "    expires: 2026-12-31\n" + String(exceptionWithoutExpiry.dropFirst(12))
                )
            ],
            .duplicateID, .error, 25, 9, "exception id \"EX-1\" is already used by the exception defined at line 17"),
        LintCase(
            "exception without owner",
            [
                ("<end>", exceptionWithoutExpiry + "    expires: 2026-12-31\n"),
                ("    owner: payments\n    approved-by: ciso\n    expires:", "    approved-by: ciso\n    expires:"),
            ],
            .missingOwner, .warning, 17, 5, "exception \"EX-1\" has no \"owner\""),
        LintCase("no zones", [("zones:\n", "zones: []\nzonez:\n")], .missingKey, .error, 2, 1, "declares no zones"),
    ]

    @Test("the base policy is clean")
    func baseIsClean() {
        let result = PolicyLoader.parse(LintCase.base, file: "policy.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.rendered)")
        #expect(result.policy != nil)
    }

    /// `service_provider` is accepted and changes cadences (EntityType, the schedule, the reports), not refused.
    @Test("each entity type loads clean", arguments: [EntityType.merchant, .serviceProvider])
    func entityLoads(_ entity: EntityType) throws {
        let text = LintCase.base.replacingOccurrences(
            of: "version: 1\n", with: "version: 1\nentity: \(entity.rawValue)\n")
        let result = PolicyLoader.parse(text, file: "policy.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.rendered)")
        #expect(try #require(result.policy).entity == entity)
    }

    @Test("each check reports its code, level, position and message", arguments: cases)
    func check(_ lintCase: LintCase) throws {
        try verify(lintCase, text: lintCase.text)
    }

    /// A policy saved with Windows line endings reads as with LF: same diagnostics, same positions.
    @Test("each check reports the same with Windows line endings", arguments: cases)
    func checkWithWindowsLineEndings(_ lintCase: LintCase) throws {
        let text = lintCase.text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(text.utf8.count > lintCase.text.utf8.count)
        try verify(lintCase, text: text)
    }

    private func verify(_ lintCase: LintCase, text: String) throws {
        let result = PolicyLoader.parse(text, file: "policy.yaml")
        let found = result.diagnostics.filter { $0.code == lintCase.code }
        let diagnostic = try #require(found.first, "no \(lintCase.code.rawValue) in:\n\(result.rendered)")
        #expect(found.count == 1, "\(result.rendered)")
        #expect(diagnostic.level == lintCase.level)
        #expect(diagnostic.line == lintCase.line, "\(diagnostic)")
        #expect(diagnostic.column == lintCase.column, "\(diagnostic)")
        #expect(diagnostic.message.contains(lintCase.fragment), "\(diagnostic)")
        #expect(diagnostic.file == "policy.yaml")
        #expect(result.hasErrors == (lintCase.level == .error || result.diagnostics.contains { $0.level == .error }))
        if lintCase.level == .error {
            #expect(result.policy == nil)
        } else {
            #expect(result.diagnostics.allSatisfy { $0.level == .warning }, "\(result.rendered)")
            #expect(result.policy != nil)
        }
    }
}
