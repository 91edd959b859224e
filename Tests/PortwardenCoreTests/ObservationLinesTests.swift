import Foundation
import PortwardenCore
import Testing

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
            port: 53, state: .openFiltered, reason: "no-response", source: .host, vantage: "cde \"db\" ü",
            service: "dns\n\u{1}", tls: ["TLSv1.2", "TLSv1.3"], process: "/usr/sbin/named", bind: .wildcard,
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

    /// Enumerated values are matched as packed words when 16 bytes can be read at the value and
    /// byte by byte near the end of the line: every name reads in both places, and a name with one
    /// byte more, one byte less or one byte changed reads in neither.
    @Test func enumeratedValuesMatchExactlyMidLineAndAtTheEnd() {
        let head = #"{"time":"2026-11-29T10:00:00Z","host":"10.20.1.10","port":1,"#
        func read(_ key: String, _ value: String, last: Bool) -> Observation? {
            let rest = #""transport":"tcp","state":"open","source":"scan""#
            let field = "\"\(key)\":\"\(value)\""
            let text = last ? head + rest + "," + field + "}" : head + field + "," + rest + "}"
            // The field given twice: the first one written is overridden by the second.
            return ObservationLines.read(Array(text.utf8), source: "x").observations.first
        }
        let fields: [(String, [String])] = [
            ("state", PortState.allCases.map(\.rawValue)), ("transport", Transport.allCases.map(\.rawValue)),
            ("source", ObservationSource.allCases.map(\.rawValue)), ("bind", BindScope.allCases.map(\.rawValue)),
        ]
        for (key, names) in fields {
            for name in names {
                for last in [false, true] {
                    let observation = read(key, name, last: last)
                    #expect(observation != nil, "\(key) \(name) last \(last)")
                    if key == "bind" { #expect(observation?.bind?.rawValue == name) }
                    if key == "state", last { #expect(observation?.state.rawValue == name) }
                    for wrong in [name + "x", String(name.dropLast()), name.uppercased(), "x" + name.dropFirst()]
                    where !names.contains(wrong) {
                        #expect(read(key, wrong, last: last) == nil, "\(key) \(wrong) last \(last)")
                    }
                }
            }
        }
    }

    @Test func escapesDecodeAndUnknownKeysAreSkipped() throws {
        let line =
            #"{"time":"2026-11-29T10:00:00.5+01:00","host":"::1","transport":"udp","port":53,"state":"open","#
            + #""service":"d\u00e9\"n\\s\ud83d\ude00","future":{"a":[1,2.5e3,true,null,"x"]},"tls":[]}"#
        let result = ObservationLines.read(Array(line.utf8), source: "x")
        #expect(result.problems.isEmpty)
        let observation = try #require(result.observations.first)
        #expect(observation.service == "dé\"n\\s😀")
        #expect(observation.tls == [])
        #expect(observation.time == Timestamp.parse("2026-11-29T09:00:00.5Z"))
        #expect(observation.source == .scan)
    }

    @Test func reportsBrokenLinesWithLineAndColumnAndKeepsTheRest() {
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
            Self.sample.replacingOccurrences(of: "5432", with: "0"),
            Self.sample + " x",
            Self.sample + "\r",
        ].joined(separator: "\n")
        let result = ObservationLines.read(Array(text.utf8), source: "scan.jsonl")
        #expect(result.observations.count == 2)
        let problems = result.problems.map(\.description)
        #expect(
            problems == [
                "scan.jsonl:4:2: error: expected a string, found 'n'",
                "scan.jsonl:5:1: error: the observation has no \"port\"",
                "scan.jsonl:6:77: error: port 70000 is out of range (1-65535)",
                "scan.jsonl:7:90: error: state \"ajar\" is not one of open, closed, filtered, open|filtered, "
                    + "closed|filtered, unfiltered",
                "scan.jsonl:8:39: error: host \"db.example\" is not an IPv4 or IPv6 address",
                "scan.jsonl:9:1: error: expected an observation object '{', found '['",
                "scan.jsonl:10:64: error: transport must be a string, found a number",
                "scan.jsonl:11:77: error: port 0 is out of range (1-65535)",
                "scan.jsonl:12:199: error: unexpected 'x' after the observation object",
            ])
    }

    @Test func overlongLinesAreProblemsNotCrashes() {
        var bytes = Array(Self.sample.utf8) + [0x0A]
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 10) + [0x0A]
        bytes += Array(Self.sample.utf8)
        let result = ObservationLines.read(bytes, source: "big")
        #expect(result.observations.count == 2)
        #expect(result.problems == [Diagnostic(file: "big", line: 2, message: "the line is longer than 1 MiB")])
    }

    @Test func chunkedReadingMatchesWholeFileReading() {
        let text = Array(([Self.sample, "oops", Self.sample, ""].joined(separator: "\n")).utf8)
        var reader = ObservationLineReader(source: "s")
        var observations: [Observation] = []
        var problems: [Diagnostic] = []
        let take: (ObservationLineReader.Item) -> Void = { item in
            switch item {
            case .line(let line): observations.append(line.observation())
            case .problem(let problem): problems.append(problem)
            }
        }
        var offset = 0
        var size = 1
        while offset < text.count {
            let end = min(text.count, offset + size)
            reader.feed(Array(text[offset..<end]), take)
            offset = end
            size = size * 3 % 17 + 1
        }
        reader.finish(take)
        let whole = ObservationLines.read(text, source: "s")
        #expect(observations.count == 2)
        #expect(observations == whole.observations)
        #expect(problems == whole.problems)
        #expect(whole.problems.map(\.line) == [2])
    }

    /// Random byte mutations of valid lines, with a fixed seed: never a crash, and every
    /// non-blank, non-comment line is either an observation or a problem with its line number.
    @Test func fuzzedLinesAreObservationsOrProblems() {
        var generator = SplitMix64(seed: 0x5EED)
        let base = Array(Self.sample.utf8)
        let alphabet = Array(#"{}[]",:0123456789.-eE tfnul\"#.utf8) + [0x00, 0xFF, 0xC3, 0x0D]
        var lines: [[UInt8]] = []
        for _ in 0..<2000 {
            var line = base
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let position = Int.random(in: 0..<line.count, using: &generator)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: line[position] = byte
                case 1: line.remove(at: position)
                default: line.insert(byte, at: position)
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
        #expect(result.problems.allSatisfy { $0.line >= 1 && $0.line <= lines.count && $0.column >= 1 })
    }

    /// The parser predicts each line's keys from the line before (`ObservationLineShape`) and
    /// reuses the last timestamp: in a file whose lines change shape, every line must read exactly
    /// as it reads alone — same observation, or same problem at the same column.
    @Test func keyPredictionChangesNoLine() {
        let sample = Self.sample
        var lines = [
            sample, sample,
            sample.replacingOccurrences(of: #""host":"10.20.1.10","#, with: #""host" : "10.20.1.10","#),
            sample.replacingOccurrences(of: #""port":5432"#, with: #""port":1,"port":2"#),
            sample.replacingOccurrences(of: #"{"time""#, with: #"{"ti\u006de""#),
            sample.replacingOccurrences(
                of: #"{"time""#, with: #"{"an_unknown_key_longer_than_24_bytes":[1,{"x":2}],"time""#),
            sample, String(sample.prefix(120)), String(sample.dropLast(16)) + "}",
            #"{"state":"closed","port":22,"transport":"tcp","host":"10.20.1.11","time":"2026-11-29T10:00:01Z"}"#,
            sample.replacingOccurrences(of: "10:00:00Z", with: "10:00:02Z"), sample,
            sample.replacingOccurrences(of: #""state":"open""#, with: #""state":"opened""#), sample,
        ]
        var generator = SplitMix64(seed: 0xC0FFEE)
        let base = Array(sample.utf8)
        for _ in 0..<300 {
            var line = base
            let position = Int.random(in: 0..<line.count, using: &generator)
            line[position] =
                [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: "x")][
                    Int.random(in: 0..<4, using: &generator)]
            lines.append(String(decoding: line, as: UTF8.self))
            if Bool.random(using: &generator) { lines.append(sample) }
        }
        let whole = ObservationLines.read(Array(lines.joined(separator: "\n").utf8), source: "f")
        var observations: [Observation] = []
        var problems: [Diagnostic] = []
        for (index, line) in lines.enumerated() {
            let alone = ObservationLines.read(Array(line.utf8), source: "f")
            observations += alone.observations
            problems += alone.problems.map { problem in
                var problem = problem
                problem.line = index + 1
                return problem
            }
        }
        #expect(whole.observations.count > 150)
        #expect(whole.problems.count > 100)
        #expect(whole.observations == observations)
        #expect(whole.problems == problems)
    }
}
