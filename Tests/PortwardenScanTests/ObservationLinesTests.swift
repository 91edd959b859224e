import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("Observation JSON lines")
struct ObservationLinesTests {
    static let sample =
        #"{"time":"2026-11-29T10:00:00Z","host":"10.20.1.10","transport":"tcp","port":5432,"state":"open","#
        + #""reason":"syn-ack","source":"scan","vantage":"corp","service":"postgresql","tls":null,"process":null}"#

    @Test func writesTheDocumentedLineExactly() throws {
        let observation = try #require(ObservationLines.read(Array(Self.sample.utf8), source: "x").observations.first)
        #expect(ObservationLines.write([observation]) == Self.sample + "\n")
    }

    @Test func roundTripsEveryField() throws {
        let observation = Observation(
            time: Date(timeIntervalSince1970: 1_800_000_000.25), host: IPAddress("fd00::5")!, transport: .udp,
            port: 53, state: .openFiltered, reason: "no-response", source: .host, vantage: "cde \"db\"",
            service: "dns\n", tls: ["TLSv1.2", "TLSv1.3"], process: "/usr/sbin/named", bind: .wildcard,
            bindAddress: IPAddress("::")!, namespace: "net:[4026531840]", user: "bind", unit: "named.service",
            container: "abc", handshakes: ["INS-TELNET": "confirmed", "INS-FTP": "not-matched"],
            sourceAddress: IPAddress("fd00::9")!, product: "OpenSSH", version: "9.2p1",
            details: ["ssh.weak": "kex diffie-hellman-group1-sha1", "vnc.security-types": "1 None\t\"x\""])
        let text = ObservationLines.write([observation, observation])
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        let keys = [
            "time", "host", "transport", "port", "state", "reason", "source", "vantage", "service", "tls",
            "process", "bind", "bind_address", "namespace", "user", "unit", "container", "handshakes",
            "source_address", "product", "version", "details",
        ]
        var position = lines[0].startIndex
        for key in keys {
            let found = try #require(lines[0].range(of: "\"\(key)\":", range: position..<lines[0].endIndex), "\(key)")
            position = found.upperBound
        }
        let read = ObservationLines.read(Array(text.utf8), source: "x")
        #expect(read.problems.isEmpty)
        #expect(read.observations == [observation, observation])
    }

    @Test func reportsBrokenLinesAndKeepsTheRest() {
        let text = [
            "# written by a test",
            Self.sample,
            "",
            "{not json",
            Self.sample.replacingOccurrences(of: "\"port\":5432,", with: ""),
            Self.sample.replacingOccurrences(of: "5432", with: "70000"),
            Self.sample.replacingOccurrences(of: "\"open\"", with: "\"ajar\""),
            Self.sample.replacingOccurrences(of: "10.20.1.10", with: "db.example"),
            "[1,2]",
            Self.sample.replacingOccurrences(of: "\"tcp\"", with: "6"),
            Self.sample + "\r",
        ].joined(separator: "\n")
        let result = ObservationLines.read(Array(text.utf8), source: "scan.jsonl")
        #expect(result.observations.count == 2)
        let problems = result.problems.map(\.description)
        #expect(problems.count == 7)
        #expect(problems[0].hasPrefix("scan.jsonl: line 4: not JSON: "))
        #expect(problems[1] == "scan.jsonl: line 5: missing key \"port\"")
        #expect(problems[2] == "scan.jsonl: line 6: port 70000 out of range (0-65535)")
        #expect(problems[3].hasPrefix("scan.jsonl: line 7: state \"ajar\" is not one of open, closed"))
        #expect(problems[4] == "scan.jsonl: line 8: host \"db.example\" is not an IPv4 or IPv6 address")
        #expect(problems[5] == "scan.jsonl: line 9: expected a JSON object, found an array")
        #expect(problems[6] == "scan.jsonl: line 10: transport must be a string, found a number")
    }

    @Test func overlongLinesAreProblemsNotCrashes() {
        var bytes = Array(Self.sample.utf8) + [0x0A]
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 10) + [0x0A]
        bytes += Array(Self.sample.utf8)
        let result = ObservationLines.read(bytes, source: "big")
        #expect(result.observations.count == 2)
        #expect(result.problems == [LineProblem(file: "big", line: 2, message: "line is longer than 1 MiB; skipped")])
    }

    @Test func streamingReaderMatchesWholeFileReader() {
        let text = Array(([Self.sample, "oops", Self.sample, ""].joined(separator: "\n")).utf8)
        var reader = ObservationLineReader(source: "s")
        var items: [ObservationLineReader.Item] = []
        var offset = 0
        var size = 1
        while offset < text.count {
            let end = min(text.count, offset + size)
            reader.feed(text[offset..<end]) { items.append($0) }
            offset = end
            size = size * 3 % 17 + 1
        }
        reader.finish { items.append($0) }
        let whole = ObservationLines.read(text, source: "s")
        #expect(items.count == 3)
        let observations = items.compactMap { if case .observation(let o) = $0 { o } else { nil } }
        #expect(observations == whole.observations)
        #expect(whole.problems.map(\.line) == [2])
    }

    /// Random byte mutations of valid lines, with a fixed seed: never a crash, and every
    /// non-blank, non-comment line is either an observation or a problem with its line number.
    @Test func fuzzedLinesAreObservationsOrProblems() {
        var generator = SplitMixGenerator(seed: 0x5EED)
        let base = Array(Self.sample.utf8)
        let alphabet = Array(#"{}[]",:0123456789.-eE tfnul\"#.utf8) + [0x00, 0xFF, 0xC3, 0x0D]
        var lines: [[UInt8]] = []
        for _ in 0..<2000 {
            var line = base
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let position = Int.random(in: 0..<line.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: line[position] = alphabet.randomElement(using: &generator)!
                case 1: line.remove(at: position)
                default: line.insert(alphabet.randomElement(using: &generator)!, at: position)
                }
                if line.isEmpty { line = [UInt8(ascii: "x")] }
            }
            lines.append(line.filter { $0 != 0x0A })
        }
        let bytes = Array(lines.joined(separator: [0x0A]))
        let result = ObservationLines.read(bytes, source: "fuzz")
        let skipped = lines.filter { line in
            guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return true }
            return first == UInt8(ascii: "#")
        }.count
        #expect(result.observations.count + result.problems.count + skipped == lines.count)
        #expect(result.problems.count > 100)
        #expect(result.observations.count > 10)
        #expect(Set(result.problems.map(\.line)).count == result.problems.count)
        #expect(result.problems.allSatisfy { $0.line >= 1 && $0.line <= lines.count })
    }
}

/// A deterministic generator for fuzz tests.
struct SplitMixGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
