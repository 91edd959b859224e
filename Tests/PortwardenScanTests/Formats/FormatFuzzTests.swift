import Foundation
import PortwardenCore
import PortwardenScan
import Testing

/// Random mutations of every fixture (fixed seed, so failures reproduce): the importers never crash
/// and always return observations or problems; problem locations stay inside the input.
@Suite("importers under random mutation")
struct FormatFuzzTests {
    enum Format: String, CaseIterable, Sendable {
        case nmap793, nmapWithoutPorts, masscanXML, masscanJSON, masscanNDJSON, masscanList

        var fixture: String {
            switch self {
            case .nmap793: FormatFixtures.nmap793
            case .nmapWithoutPorts: FormatFixtures.nmapWithoutPortsAttribute
            case .masscanXML: FormatFixtures.masscanXML
            case .masscanJSON: FormatFixtures.masscanJSON
            case .masscanNDJSON: FormatFixtures.masscanNDJSON
            case .masscanList: FormatFixtures.masscanList
            }
        }

        func parse(_ bytes: [UInt8]) -> ImportResult {
            switch self {
            case .nmap793, .nmapWithoutPorts, .masscanXML: NmapXMLImporter.parse(bytes, source: "f", vantage: nil)
            case .masscanJSON, .masscanNDJSON: MasscanImporter.parseJSON(bytes, source: "f", vantage: nil)
            case .masscanList: MasscanImporter.parseList(bytes, source: "f", vantage: nil)
            }
        }
    }

    static let interesting: [UInt8] = Array("<>&\"'/=;#{}[],:\n \u{0}-|".utf8) + [0xFF, 0xC3]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes[at] = interesting.randomElement(using: &rng) ?? 0
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
            case 3:
                let end = min(bytes.count, at + Int.random(in: 1...80, using: &rng))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: Int.random(in: 0...bytes.count, using: &rng))
            case 4: bytes.insert(interesting.randomElement(using: &rng) ?? 0, at: at)
            default: bytes.removeSubrange(at...)
            }
        }
        return bytes
    }

    @Test("300 mutations per format never crash and always yield observations or problems", arguments: Format.allCases)
    func mutations(format: Format) {
        var rng = SplitMix64(seed: 0x5EED_0000 &+ UInt64(format.rawValue.utf8.count))
        let original = Array(format.fixture.utf8)
        var withProblems = 0
        for iteration in 0..<300 {
            let bytes = Self.mutate(original, using: &rng)
            let result = format.parse(bytes)
            let lines = bytes.filter { $0 == UInt8(ascii: "\n") }.count + 1
            #expect(
                !result.observations.isEmpty || !result.problems.isEmpty,
                "iteration \(iteration): nothing imported and nothing reported from \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            )
            for problem in result.problems {
                #expect(problem.line >= 0 && problem.line <= lines, "iteration \(iteration): \(problem)")
            }
            if !result.problems.isEmpty { withProblems += 1 }
        }
        // The mutations must actually break things often enough to exercise the error paths.
        #expect(withProblems > 100)
    }

    @Test("entity definitions are never expanded (no billion laughs)")
    func entityExpansion() {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE nmaprun [ <!ENTITY lol "lol"> <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"> ]>
            <nmaprun scanner="nmap" args="&lol2;" version="7.93" xmloutputversion="1.05"></nmaprun>
            """
        let result = NmapXMLImporter.parse(Array(text.utf8), source: "lol.xml", vantage: nil)
        #expect(result.observations.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.message.contains("&lol2;") == true)
        #expect(result.problems.first?.line == 3)
    }
}
