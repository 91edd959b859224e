import Foundation
import PortwardenCore
import Testing

@Suite("Ports, dates and JSON forms")
struct ValueTests {
    @Test(arguments: [
        ("tcp/22", "tcp/22"), ("UDP/53", "udp/53"), ("tcp/8000-8080", "tcp/8000-8080"), ("tcp/65535", "tcp/65535"),
    ])
    func portSpecsParse(input: String, canonical: String) throws {
        let spec = try PortSpec.parse(input).get()
        #expect(spec.description == canonical)
    }

    @Test(arguments: [
        ("22", PortSpec.ParseError.missingTransport("22")), ("sctp/22", .unknownTransport("sctp/22")),
        ("tcp/0", .badPort("tcp/0")), ("tcp/65536", .badPort("tcp/65536")), ("tcp/abc", .badPort("tcp/abc")),
        ("tcp/90-80", .reversedRange("tcp/90-80")), ("tcp/", .badPort("tcp/")), ("tcp/1-", .badPort("tcp/1-")),
    ])
    func portSpecsReject(input: String, error: PortSpec.ParseError) {
        #expect(throws: error) { try PortSpec.parse(input).get() }
    }

    @Test func portsCoalesceIntoSortedRanges() throws {
        let ranges = [PortRange(23, 79), PortRange(1, 21), PortRange(port: 22), PortRange(81, 90), PortRange(85, 86)]
        #expect(PortRange.list(ranges.compactMap { $0 }) == "1-79,81-90")
        #expect(
            PortRange.coalesced(ports: [80, 22, 23, 24, 24, 65535, 65534]).map(\.description) == [
                "22-24", "80", "65534-65535",
            ])
        #expect(PortRange.coalesced([PortRange]()).isEmpty)
        #expect(PortRange.list([PortRange(port: 0), PortRange(port: 2)]) == "0,2")
    }

    @Test func calendarArithmetic() throws {
        let day = try #require(CalendarDay("2026-08-31"))
        #expect(day.adding(months: 6).description == "2027-02-28")
        #expect(try #require(CalendarDay("2028-02-29")).description == "2028-02-29")
        #expect(CalendarDay("2027-02-29") == nil)
        #expect(CalendarDay("2026-13-01") == nil)
        #expect(CalendarDay("2026-1-01") == nil)
        #expect(CalendarDay(daysSinceEpoch: 0).description == "1970-01-01")
        for offset in stride(from: -800_000, to: 800_000, by: 997) {
            #expect(CalendarDay(daysSinceEpoch: offset).daysSinceEpoch == offset)
        }
        let end = try #require(CalendarDay("2026-12-31")).end
        #expect(Timestamp.format(end) == "2027-01-01T00:00:00Z")
    }

    @Test func timestampsRoundTrip() throws {
        let date = try #require(Timestamp.parse("2026-11-29T10:00:00Z"))
        #expect(Timestamp.format(date) == "2026-11-29T10:00:00Z")
        #expect(Timestamp.parse("2026-11-29T12:00:00+02:00") == date)
        #expect(
            Timestamp.format(try #require(Timestamp.parse("2026-11-29T10:00:00.250Z"))) == "2026-11-29T10:00:00.250Z")
        #expect(Timestamp.parse("2026-11-29T10:00:00") == nil)
        #expect(Timestamp.parse("2026-11-29T25:00:00Z") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test func observationLineMatchesTheDocumentedForm() throws {
        let line =
            #"{"time":"2026-11-29T10:00:00Z","host":"10.20.1.10","transport":"tcp","port":5432,"state":"open","reason":"syn-ack","source":"scan","vantage":"corp","service":"postgresql","tls":null,"process":null}"#
        let read = ObservationLines.read(Array(line.utf8), source: "x")
        let observation = try #require(read.observations.first)
        #expect(observation.host == IPAddress("10.20.1.10"))
        #expect(observation.port == 5432)
        #expect(observation.vantage == "corp")
        #expect(ObservationLines.write([observation]) == line + "\n")
        let bad = #"{"time":"x","host":"1.2.3.4","transport":"tcp","port":1,"state":"open"}"#
        #expect(
            ObservationLines.read(Array(bad.utf8), source: "b").problems.map(\.description) == [
                "b:1:9: error: time \"x\" is not an RFC 3339 time such as 2026-11-29T10:00:00Z"
            ])
    }

    @Test func fingerprintsIgnoreWordingAndSeverity() {
        let a = Finding(
            rule: "PW-UNAUTHORIZED-PORT", severity: .high, requirements: [Requirement("1.2.5")], zone: "cde",
            host: IPAddress("10.0.0.1"), transport: .tcp, port: 23, message: "one", remediation: "x")
        let b = Finding(
            rule: "PW-UNAUTHORIZED-PORT", severity: .critical, requirements: [], zone: "cde",
            host: IPAddress("10.0.0.1"), transport: .tcp, port: 23, message: "two", remediation: "y")
        let c = Finding(
            rule: "PW-UNAUTHORIZED-PORT", severity: .high, requirements: [], zone: "cde",
            host: IPAddress("10.0.0.1"), transport: .tcp, port: 24, message: "one", remediation: "x")
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
        #expect(a.fingerprint.count == 16)
    }

    /// The allocation-free comparison orders exactly as reading each dot-separated component with
    /// `Int(_:)` (not an integer: after every number) and comparing the lists would.
    @Test func requirementOrderMatchesComponentWiseIntegerReading() {
        let ids = [
            "1.2.5", "1.2.10", "1.2", "1.2.0", "2.2.4", "10.5.1", "A1.1.1", "A1.2", "1..2", ".1.2", "1.2.", "",
            ".", "+3", "-1", "-1.5", "3", "+", "-", "1.+2", "99999999999999999999", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "1.2.5a", "12.5.2", "12.10.1", "1.3.1",
        ]
        func reference(_ a: String, _ b: String) -> Bool {
            let x = a.split(separator: ".").map { Int($0) ?? Int.max }
            let y = b.split(separator: ".").map { Int($0) ?? Int.max }
            return x.lexicographicallyPrecedes(y)
        }
        for a in ids {
            for b in ids {
                #expect((Requirement(a) < Requirement(b)) == reference(a, b), "\(a) < \(b)")
            }
        }
    }

    @Test func requirementsOrderNumerically() {
        let ids = ["2.2.4", "1.2.10", "1.2.5", "10.5.1"].map(Requirement.init).sorted().map(\.id)
        #expect(ids == ["1.2.5", "1.2.10", "2.2.4", "10.5.1"])
        #expect(Requirement.fromLegacy("1.1.7") == [Requirement("1.2.7")])
        #expect(Requirement("8.3.1").isKnown && Requirement("2.2.2").isKnown)
        #expect(Requirement("1.2.5").isKnown)
        #expect(Severity.high.raised == .critical)
        #expect(Severity.critical.raised == .critical)
        #expect(Severity.info.lowered == .info)
    }

    /// (v3.2.1 number, v4.0 ids): 10.8 is 10.7.2 since 10.7.1 was superseded; numbers without a known
    /// mapping are unmapped, never themselves (v3 2.2.4 means v4 2.2.6, not 2.2.4).
    @Test(arguments: [
        ("10.8", ["10.7.2"]), ("10.8.1", ["10.7.3"]), ("1.1.6", ["1.2.5", "1.2.6"]), ("11.3.4", ["11.4.5"]),
        ("2.2.4", []), ("8.2.1", []), ("99.9", []), ("", []),
    ])
    func legacyNumbers(legacy: String, current: [String]) {
        #expect(Requirement.fromLegacy(legacy).map(\.id) == current)
        #expect(Requirement.isMappedLegacy(legacy) == !current.isEmpty)
    }
}
