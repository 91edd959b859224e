import Foundation
import PortwardenCore
import Testing

@Suite("Scan record, host coverage and port state ranges")
struct ScanRecordTests {
    private let host = IPAddress("10.0.0.7")!

    @Test func consecutivePortsOfOneStateCollapse() {
        var coverage = HostCoverage(host: host, status: .up, method: .icmpEcho, reason: "echo-reply")
        for port in UInt16(1)...21 { coverage.record(.tcp, port, .filtered, reason: "no-response") }
        coverage.record(.tcp, 22, .open, reason: "syn-ack")
        for port in UInt16(23)...65535 { coverage.record(.tcp, port, .filtered, reason: "no-response") }
        coverage.record(.udp, 53, .closed, reason: "port-unreach")
        #expect(coverage.ranges.map(\.ports.description) == ["1-21", "22", "23-65535", "53"])
        #expect(coverage.probedPorts(.tcp) == 65535)
        #expect(coverage.count(.tcp, .filtered) == 65534)
        #expect(coverage.count(.tcp, .open) == 1)
        #expect(coverage.count(.udp, .closed) == 1)
    }

    @Test func aDifferentReasonStartsANewRun() {
        var coverage = HostCoverage(host: host, status: .scanned, reason: "listed")
        coverage.record(.tcp, 1, .filtered, reason: "no-response")
        coverage.record(.tcp, 2, .filtered, reason: "admin-prohibited")
        coverage.record(.tcp, 4, .filtered, reason: "admin-prohibited")
        #expect(coverage.ranges.count == 3)
    }

    @Test func jsonRoundTripKeepsEverything() throws {
        var coverage = HostCoverage(
            host: host, status: .up, method: .tcpSyn, reason: "syn-ack from tcp/443",
            sourceAddress: IPAddress("10.0.0.1"))
        coverage.record(.tcp, 443, .open, reason: "syn-ack")
        let record = ScanRecord(
            toolVersion: "0.1.0", vantage: "corp", started: Date(timeIntervalSince1970: 1_800_000_000),
            finished: Date(timeIntervalSince1970: 1_800_000_060), partial: true, stopReason: "interrupted",
            parameters: ScanParameters(
                arguments: ["portwarden", "audit"], tcpPorts: "all", tcpPortCount: 65535,
                discovery: [.icmpEcho, .tcpSyn], maxInFlight: 2048, maxRetries: 10, seed: 7),
            hosts: [
                coverage,
                HostCoverage(
                    host: IPAddress("10.9.9.9")!, status: .unreachable, reason: "no route",
                    sourceAddress: nil),
            ])
        let data = try JSONEncoder().encode(record)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"source_addresses\":[\"10.0.0.1\"]"))
        #expect(text.contains("\"ports\":\"443\""))
        #expect(text.contains("\"method\":\"tcp-syn\""))
        let back = try JSONDecoder().decode(ScanRecord.self, from: data)
        #expect(back == record)
    }

    @Test func badPortRangeTextIsRejected() {
        let json = #"{"transport":"tcp","ports":"90-80","state":"open"}"#
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PortStateRange.self, from: Data(json.utf8))
        }
    }

    @Test func aScanThatReachedNothingSaysSo() {
        let started = Date(timeIntervalSince1970: 0)
        var silent = HostCoverage(host: host, status: .scanned, reason: "listed")
        silent.record(.tcp, 22, .filtered, reason: "no-response")
        let unreachable = HostCoverage(host: IPAddress("10.0.0.8")!, status: .unreachable, reason: "no route")
        var record = ScanRecord(
            toolVersion: "0", started: started, parameters: ScanParameters(), hosts: [silent, unreachable])
        #expect(record.reachedNothing)
        record.hosts[0].record(.tcp, 23, .closed, reason: "conn-refused")
        #expect(!record.reachedNothing)
        #expect(!ScanRecord(toolVersion: "0", started: started, parameters: ScanParameters()).reachedNothing)
    }
}
