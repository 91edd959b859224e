import Foundation
import PortwardenCore
import Testing

@testable import PortwardenPolicy

@Suite("Policy lint: fuzzing the valid example")
struct LintFuzzTests {
    enum Mutation: CaseIterable { case flip, truncate, delete, insert, duplicateLine, swapBytes }

    static func mutate(_ input: [UInt8], random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return [UInt8(truncatingIfNeeded: random.next())] }
        let position = Int(random.next() % UInt64(bytes.count))
        switch Mutation.allCases[Int(random.next() % UInt64(Mutation.allCases.count))] {
        case .flip:
            bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
        case .truncate:
            bytes.removeSubrange(position...)
        case .delete:
            let length = Int(random.next() % 40) + 1
            bytes.removeSubrange(position..<min(bytes.count, position + length))
        case .insert:
            let interesting = Array("[]{}&*:-#'\"|>!%@`,?\n\t ".utf8) + [0, 0xFF, 0xC3]
            bytes.insert(interesting[Int(random.next() % UInt64(interesting.count))], at: position)
        case .duplicateLine:
            let lineStart = bytes[..<position].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            let lineEnd = bytes[position...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            bytes.insert(contentsOf: bytes[lineStart..<lineEnd], at: lineEnd)
        case .swapBytes:
            let other = Int(random.next() % UInt64(bytes.count))
            bytes.swapAt(position, other)
        }
        return bytes
    }

    @Test("400 random mutations never crash and always give a policy or at least one error")
    func mutations() throws {
        let original = Array(
            try String(contentsOfFile: PolicyFixtures.path("examples/multi-zone.yaml"), encoding: .utf8).utf8)
        var random = SplitMix64(seed: 0x5eed_2026)
        var loaded = 0
        var rejected = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int(random.next() % 4) + 1 { bytes = Self.mutate(bytes, random: &random) }
            let result = PolicyLoader.parse(bytes, file: "fuzz.yaml")
            if let policy = result.policy {
                #expect(!result.hasErrors)
                #expect(policy.version == 1)
                loaded += 1
            } else {
                #expect(result.diagnostics.contains { $0.level == .error }, "no policy and no error")
                rejected += 1
            }
            for diagnostic in result.diagnostics {
                #expect(diagnostic.line >= 0 && diagnostic.column >= 0)
                #expect(!diagnostic.message.isEmpty)
            }
        }
        #expect(loaded + rejected == 400)
        #expect(rejected > 0)
    }
}
