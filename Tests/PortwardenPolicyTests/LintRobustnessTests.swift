import Foundation
import PortwardenCore
import Testing

@testable import PortwardenPolicy

@Suite("Policy lint: hostile and broken input")
struct LintRobustnessTests {
    private func only(_ code: Diagnostic.Code, in result: PolicyLoadResult) throws -> Diagnostic {
        #expect(result.policy == nil)
        #expect(result.hasErrors)
        let diagnostic = try #require(result.diagnostics.first { $0.code == code }, "\(result.rendered)")
        #expect(diagnostic.level == .error)
        return diagnostic
    }

    @Test(
        "an empty or comment-only file is reported as empty",
        arguments: ["", "\n\n  \n", "# nothing yet\n  # really\n", "---\n", "---\n...\n"])
    func emptyFile(text: String) throws {
        let diagnostic = try only(.emptyFile, in: PolicyLoader.parse(text, file: "p.yaml"))
        #expect(diagnostic.message.contains("the policy file is empty"))
        #expect(diagnostic.line == 0)
    }

    /// Found by the policy fuzz target (fuzz/README.md): libyaml moves its mark to a new line at the
    /// end of an input without a final line break, which named line 5 of a 4-line file.
    @Test(
        "a syntax error at the end of a file without a final line break points at its last line",
        arguments: ["a: [", "version: 1\nzones: [", "# c\n  zone: x\n  ho# =sts: [", "a: [\r\nb", "a: {\rb: ["])
    func syntaxErrorAtEndOfInput(text: String) throws {
        let diagnostic = try only(.yamlSyntax, in: PolicyLoader.parse(text, file: "p.yaml"))
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }
        ).count
        #expect((1...lines).contains(diagnostic.line), "\(diagnostic)")
        #expect(!diagnostic.message.contains("at line \(lines + 1)"), "\(diagnostic)")
    }

    @Test("invalid UTF-8 is rejected with its position")
    func invalidUTF8() throws {
        let bytes = Array("version: 1\nzones: ".utf8) + [0xC3, 0x28] + Array(" x\n".utf8)
        let diagnostic = try only(.invalidEncoding, in: PolicyLoader.parse(bytes, file: "p.yaml"))
        #expect(diagnostic.line == 2)
        #expect(diagnostic.column == 8)
        #expect(diagnostic.message.contains("not valid UTF-8"))
    }

    @Test("a NUL byte is rejected with its position")
    func nulByte() throws {
        let bytes = Array("version: 1\nzo".utf8) + [0] + Array("nes: []\n".utf8)
        let diagnostic = try only(.invalidEncoding, in: PolicyLoader.parse(bytes, file: "p.yaml"))
        #expect(diagnostic.line == 2)
        #expect(diagnostic.column == 3)
        #expect(diagnostic.message.contains("NUL"))
    }

    @Test("binary garbage yields errors, never a policy", arguments: [1, 2, 3, 4, 5])
    func binaryGarbage(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let result = PolicyLoader.parse(bytes, file: "garbage.bin")
        #expect(result.policy == nil)
        #expect(result.hasErrors)
    }

    @Test("a 50 MB file is refused before parsing")
    func hugeInput() throws {
        let line = Array("  - id: zone-with-a-long-name\n".utf8)
        var bytes = Array("version: 1\nzones:\n".utf8)
        bytes.reserveCapacity(50 * 1024 * 1024 + line.count)
        while bytes.count < 50 * 1024 * 1024 { bytes.append(contentsOf: line) }
        let diagnostic = try only(.fileTooLarge, in: PolicyLoader.parse(bytes, file: "big.yaml"))
        #expect(diagnostic.message.contains("more than the limit of 8388608 bytes"))
        #expect(diagnostic.line == 0)
    }

    @Test("the size limit is a parameter, also when reading a file")
    func sizeLimitParameter() throws {
        let limits = PolicyLimits(maximumBytes: 64)
        let parsed = PolicyLoader.parse(LintCase.base, file: "p.yaml", limits: limits)
        _ = try only(.fileTooLarge, in: parsed)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pw-policy-\(UInt64.random(in: 0...UInt64.max)).yaml"
        ).path
        try LintCase.base.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try only(.fileTooLarge, in: PolicyLoader.load(contentsOf: path, limits: limits))
        let loaded = PolicyLoader.load(contentsOf: path)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.rendered)")
        #expect(loaded.diagnostics.allSatisfy { $0.file == path })
    }

    @Test("an unbounded device is cut off at the size limit")
    func deviceFile() throws {
        let result = PolicyLoader.load(contentsOf: "/dev/zero", limits: PolicyLimits(maximumBytes: 1 << 16))
        _ = try only(.fileTooLarge, in: result)
    }

    @Test("unreadable paths become diagnostics on line 0", arguments: ["/nonexistent/portwarden/policy.yaml", "/tmp"])
    func unreadable(path: String) throws {
        let diagnostic = try only(.fileUnreadable, in: PolicyLoader.load(contentsOf: path))
        #expect(diagnostic.line == 0)
        #expect(diagnostic.file == path)
        #expect(diagnostic.message.contains("cannot read the policy file"))
    }

    @Test("100 000 opening brackets are refused before parsing")
    func deepFlowNesting() throws {
        let text = "zones: " + String(repeating: "[", count: 100_000)
        let diagnostic = try only(.nestingTooDeep, in: PolicyLoader.parse(text, file: "p.yaml"))
        #expect(diagnostic.line == 1)
        #expect(diagnostic.message.contains("more than 64 levels"))
    }

    @Test("10 000 levels of indentation are refused at the line that crosses the limit")
    func deepBlockNesting() throws {
        var text = ""
        for level in 0..<10_000 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        // The text is 50 MB of indentation: raise the size limit so that the nesting check is the one that fires.
        let limits = PolicyLimits(maximumBytes: 64 * 1024 * 1024)
        let diagnostic = try only(.nestingTooDeep, in: PolicyLoader.parse(text, file: "p.yaml", limits: limits))
        #expect(diagnostic.line == 65)
    }

    @Test("10 000 nested sequence dashes on one line are refused")
    func deepDashes() throws {
        let text = "zones:\n" + String(repeating: "- ", count: 10_000) + "x\n"
        let diagnostic = try only(.nestingTooDeep, in: PolicyLoader.parse(text, file: "p.yaml"))
        #expect(diagnostic.line == 2)
    }

    @Test("nesting within the limit is parsed normally")
    func nestingWithinLimit() {
        let depth = 40
        let text = "zones: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let result = PolicyLoader.parse(text, file: "p.yaml")
        #expect(!result.diagnostics.contains { $0.code == .nestingTooDeep }, "\(result.rendered)")
        #expect(result.hasErrors)
    }

    @Test("a billion-laughs alias bomb is refused without expansion")
    func billionLaughs() throws {
        var text = "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let result = PolicyLoader.parse(text, file: "lol.yaml")
        let diagnostic = try only(.aliasNotAllowed, in: result)
        #expect(diagnostic.line == 1)
        #expect(diagnostic.column == 5)
        #expect(diagnostic.message.contains("anchor"))
        #expect(result.diagnostics.contains { $0.message.contains("alias (*") && $0.line == 2 })
        #expect(result.diagnostics.count <= 20)
    }

    @Test("star and ampersand inside text are not aliases")
    func notAliases() {
        let text = LintCase.base.replacingFirst(
            "justification: Card vault", with: "justification: Vendor's vault & HSM *primary*\n    ticket: \"*CHG-1*\"")
        let result = PolicyLoader.parse(text, file: "p.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.rendered)")
        #expect(result.policy?.services.first?.justification == "Vendor's vault & HSM *primary*")
        #expect(result.policy?.services.first?.ticket == "*CHG-1*")
    }

    @Test("block scalar content is text, but an alias after the block scalar is still refused")
    func blockScalars() throws {
        let clean = LintCase.base.replacingFirst(
            "    justification: Card vault\n",
            with:
                "    justification: |\n      Card vault *primary* & backup\n          - [deeply: {indented\n    description: >\n      folded\n"
        )
        let result = PolicyLoader.parse(clean, file: "p.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.rendered)")
        #expect(result.policy?.services.first?.justification?.hasPrefix("Card vault *primary* & backup\n") == true)
        #expect(result.policy?.services.first?.description == "folded")

        let hidden = LintCase.base.replacingFirst(
            "    justification: Card vault\n", with: "    justification: |\n      Card vault\n    ticket: *t\n")
        let diagnostic = try only(.aliasNotAllowed, in: PolicyLoader.parse(hidden, file: "p.yaml"))
        #expect(diagnostic.line == 15)
        #expect(diagnostic.column == 13)
    }

    @Test("duplicate keys are reported with both lines and the rest is still checked")
    func duplicateKeysKeepGoing() throws {
        let text = LintCase.base
            .replacingFirst("version: 1", with: "version: 3")
            .replacingFirst(
                "    approved-by: ciso\n", with: "    approved-by: ciso\n    owner: other\n    ports: [tcp/1]\n")
        let result = PolicyLoader.parse(text, file: "p.yaml")
        #expect(result.policy == nil)
        let duplicates = result.diagnostics.filter { $0.code == .duplicateKey }
        #expect(duplicates.map(\.line) == [16, 17], "\(result.rendered)")
        #expect(duplicates.first?.message.contains("first at line 14, again at line 16") == true)
        #expect(duplicates.last?.message.contains("first at line 12, again at line 17") == true)
        #expect(result.diagnostics.contains { $0.code == .unsupportedVersion && $0.line == 1 })
        #expect(result.policy == nil)
    }

    @Test("a duplicate key in a flow mapping is reported")
    func duplicateFlowKey() throws {
        let text = "version: 1\nzones:\n  - {id: a, id: b, kind: cde, prefixes: [10.0.0.0/8]}\n"
        let diagnostic = try only(.duplicateKey, in: PolicyLoader.parse(text, file: "p.yaml"))
        #expect(diagnostic.line == 3)
        #expect(diagnostic.message.contains("\"id\""))
    }

    @Test("a second YAML document is a syntax error")
    func twoDocuments() throws {
        let text = LintCase.base + "---\nversion: 1\n"
        let diagnostic = try only(.yamlSyntax, in: PolicyLoader.parse(text, file: "p.yaml"))
        #expect(diagnostic.line == 16)
    }

    @Test("a root that is not a mapping is a wrong type")
    func rootNotMapping() throws {
        let diagnostic = try only(.wrongType, in: PolicyLoader.parse("- a\n- b\n", file: "p.yaml"))
        #expect(diagnostic.message.contains("the policy must be a mapping"))
        #expect(diagnostic.line == 1)
    }
}
