import Foundation
import PortwardenCore
import PortwardenPolicy
import Testing

@testable import PortwardenMonitor

/// Zeek, Suricata and sshd through `LogLineReader`, as `portwarden ingest` feeds them.
@Suite("Zeek, Suricata and sshd logs")
struct FlowLogReaderTests {
    static let now = Date(timeIntervalSince1970: 1_796_083_200)

    static func read(
        _ format: LogFormat, _ text: String, chunk: Int = 7
    )
        -> (items: [LogReaderItem], counts: LogCounts)
    {
        var reader = LogLineReader(format: format, file: "t.log", now: now)
        var items: [LogReaderItem] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            reader.feed(bytes[i..<min(i + chunk, bytes.count)]) { items.append($0) }
            i += chunk
        }
        reader.finish { items.append($0) }
        return (items, reader.counts)
    }

    static func flows(_ items: [LogReaderItem]) -> [FlowEvent] {
        items.compactMap { if case .flow(let e) = $0 { return e } else { return nil } }
    }

    static func problems(_ items: [LogReaderItem]) -> [Diagnostic] {
        items.compactMap { if case .problem(let p) = $0 { return p } else { return nil } }
    }

    @Test("Zeek TSV: columns by name, unset fields, ICMP, IPv6, a header change mid-file, a truncated last line")
    func zeekTSV() {
        let log = """
            #separator \\x09
            #set_separator\t,
            #empty_field\t(empty)
            #unset_field\t-
            #path\tconn
            #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tconn_state
            #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring
            1764385453.123456\tC1\t10.0.0.5\t40000\t10.20.1.10\t23\ttcp\t-\tS0
            1764385454.5\tC2\tfd00::5\t40001\tfd00:20::10\t5432\ttcp\tpostgresql\tSF
            1764385455.0\tC3\t10.0.0.5\t8\t10.20.1.10\t0\ticmp\t-\tOTH
            #fields\tuid\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state
            C4\t1764385456.0\t10.0.0.7\t5353\t10.20.1.11\t53\tudp\tSF
            1764385457.0\tC5\t10.0.0.5
            """
        let (items, counts) = Self.read(.zeek, log)
        let flows = Self.flows(items)
        #expect(flows.count == 4)
        #expect(flows.map(\.destinationPort) == [23, 5432, nil, 53])
        #expect(flows.map(\.established) == [false, true, false, true])
        #expect(flows[0].verdict == .unknown)
        #expect(flows[1].verdict == .allowed)
        #expect(flows[2].icmpType == 8)
        #expect(flows[3].tag == "C4")
        #expect(flows[3].sourceAddress == IPAddress("10.0.0.7"))
        let problems = Self.problems(items)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 13)
        #expect(problems.first?.message.contains("truncated") == true)
        #expect(counts.flows == 4 && counts.problems == 1 && counts.ignored == 8)
    }

    @Test("Zeek JSON in Zeek's, underscore and ECS key styles")
    func zeekJSON() {
        let log = """
            {"ts":1764385453.1,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":40000,"id.resp_h":"10.20.1.10","id.resp_p":23,"proto":"tcp","conn_state":"S0"}
            {"ts":"2026-11-29T03:04:14.000000Z","uid":"C2","id_orig_h":"10.0.0.6","id_orig_p":40001,"id_resp_h":"10.20.1.10","id_resp_p":5432,"proto":"tcp","conn_state":"SF"}
            {"@timestamp":"2026-11-29T03:04:15.000Z","source":{"ip":"10.0.0.7","port":40002},"destination":{"ip":"10.20.1.10","port":443},"network":{"transport":"tcp","community_id":"1:abc="},"zeek":{"connection":{"state":"RSTO"},"session_id":"C3"}}
            {"ts":1764385456,"id.orig_h":"not-an-address","id.resp_h":"10.20.1.10","proto":"tcp"}
            {"ts":1764385456,"id.orig_h":"10.0.0.5","id.resp_h":"10.20.1.10","id.resp_p":70000,"proto":"tcp"}
            not json at all
            """
        let (items, _) = Self.read(.zeek, log)
        let flows = Self.flows(items)
        #expect(flows.map(\.sourceAddress) == [IPAddress("10.0.0.5"), IPAddress("10.0.0.6"), IPAddress("10.0.0.7")])
        #expect(flows.map(\.destinationPort) == [23, 5432, 443])
        #expect(flows.map(\.established) == [false, true, true])
        #expect(flows[2].communityID == "1:abc=")
        #expect(flows[2].tag == "C3")
        #expect(Self.problems(items).map(\.line) == [4, 5, 6])
    }

    @Test(
        "the real Zeek conn.log files in shared/fixtures/real read without problems",
        .enabled(if: RealFixtures.available, "../shared/fixtures/real is not beside the package"))
    func zeekRealFiles() throws {
        for url in try RealFixtures.files(in: "zeek") {
            // BTest baselines mask the time column as XXXXXXXXXX.XXXXXX; give it a real value.
            let text = try String(contentsOf: url, encoding: .utf8)
                .replacingOccurrences(of: "XXXXXXXXXX.XXXXXX", with: "1764385453.000000")
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            let (items, counts) = Self.read(.zeek, text, chunk: 4096)
            let header = text.split(separator: "\n").first { $0.hasPrefix("#fields") || $0.hasPrefix("uid\t") } ?? ""
            if header.contains("orig_h") || header.contains("\tsrc\t") {
                #expect(Self.problems(items).isEmpty, "\(url.lastPathComponent): \(Self.problems(items))")
                #expect(counts.flows == lines.count, "\(url.lastPathComponent)")
            } else {
                // A log written with a field selection that has no addresses: one problem at its header.
                #expect(Self.problems(items).count == 1, "\(url.lastPathComponent)")
                #expect(counts.flows == 0)
            }
        }
    }

    @Test("Suricata eve.json: flow, alert, drop and anomaly kept; other event types ignored; zero-padded proto")
    func suricata() {
        let log = """
            {"timestamp":"2026-11-29T03:04:13.000000+0000","flow_id":11,"event_type":"flow","src_ip":"10.0.0.5","src_port":40000,"dest_ip":"10.20.1.10","dest_port":5432,"proto":"006","flow":{"pkts_toserver":3,"pkts_toclient":2,"state":"established","reason":"timeout"}}
            {"timestamp":"2026-11-29T03:04:14.000000+0100","flow_id":12,"event_type":"alert","src_ip":"10.0.0.5","src_port":40000,"dest_ip":"10.20.1.10","dest_port":23,"proto":"TCP","alert":{"action":"blocked","signature_id":2001,"signature":"ET SCAN telnet","severity":1}}
            {"timestamp":"2026-11-29T03:04:15.000000+0000","event_type":"drop","src_ip":"fd00::5","src_port":1,"dest_ip":"fd00::6","dest_port":2,"proto":"UDP"}
            {"timestamp":"2026-11-29T03:04:16.000000+0000","event_type":"anomaly","src_ip":"10.0.0.5","dest_ip":"10.20.1.10","proto":"IPv6-ICMP","anomaly":{"event":"icmpv6.unknown_type"}}
            {"timestamp":"2026-11-29T03:04:17.000000+0000","event_type":"stats","stats":{}}
            {"timestamp":"2026-11-29T03:04:18.000000+0000","event_type":"flow","src_ip":"10.0.0.5","dest_ip":"10.20.1.10","proto":"TCP","src_port":"x"}
            {"timestamp":"2026-11-29T03:04:19.0
            """
        let (items, counts) = Self.read(.suricata, log)
        let flows = Self.flows(items)
        #expect(flows.count == 2)
        #expect(flows[0].established == true && flows[0].verdict == .allowed && flows[0].ipProtocol == 6)
        #expect(flows[1].verdict == .denied && flows[1].ipProtocol == 17)
        let security = items.compactMap { if case .security(let e) = $0 { return e } else { return nil } }
        #expect(security.map(\.kind) == [.idsAlert, .anomaly])
        #expect(security[0].blocked && security[0].signatureID == 2001 && security[0].severity == 1)
        #expect(Timestamp.format(security[0].time) == "2026-11-29T02:04:14Z")
        #expect(Self.problems(items).map(\.line) == [6, 7])
        #expect(counts.ignored == 1)
    }

    @Test(
        "the real eve.json excerpt reads without problems",
        .enabled(if: RealFixtures.available, "../shared/fixtures/real is not beside the package"))
    func suricataRealFile() throws {
        for url in try RealFixtures.files(in: "suricata") {
            let text = try String(contentsOf: url, encoding: .utf8)
            let (items, counts) = Self.read(.suricata, text, chunk: 4096)
            #expect(Self.problems(items).isEmpty, "\(Self.problems(items))")
            let alerts = text.split(separator: "\n").filter { $0.contains("\"event_type\":\"alert\"") }.count
            #expect(counts.securityEvents >= alerts)
            #expect(
                counts.lines == text.split(separator: "\n", omittingEmptySubsequences: false).count
                    - (text.hasSuffix("\n") ? 1 : 0))
        }
    }

    @Test("sshd: failures, invalid users, successes, PAM; other programs ignored")
    func sshd() {
        let log = """
            Nov 29 03:04:13 cde-db1 sshd[4242]: Failed password for invalid user admin from 10.0.0.5 port 40000 ssh2
            Nov 29 03:04:14 cde-db1 sshd[4242]: Failed password for root from 10.0.0.5 port 40001 ssh2
            Nov 29 03:04:15 cde-db1 sshd[4243]: Invalid user oracle from 10.0.0.5 port 40002
            Nov 29 03:04:16 cde-db1 sshd[4244]: Accepted publickey for alice from fd00::5 port 40003 ssh2: ED25519 SHA256:abc
            Nov 29 03:04:17 cde-db1 sshd[4245]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.0.9  user=root
            Nov 29 03:04:18 cde-db1 sshd[4246]: Server listening on 0.0.0.0 port 22.
            Nov 29 03:04:19 cde-db1 cron[1]: Failed password for root from 10.0.0.5 port 1 ssh2
            Nov 29 03:04:20 cde-db1 sshd[4247]: Failed password for root from 10.0.0.300 port 40004 ssh2
            """
        let (items, counts) = Self.read(.sshd, log)
        let events = items.compactMap { if case .security(let e) = $0 { return e } else { return nil } }
        #expect(events.map(\.kind) == [.authFailure, .authFailure, .authFailure, .authSuccess, .authFailure])
        #expect(events.map(\.user) == ["admin", "root", "oracle", "alice", "root"])
        #expect(events[3].sourceAddress == IPAddress("fd00::5") && events[3].signature == "publickey")
        #expect(events[0].sourcePort == 40000 && events[0].sensor == "cde-db1")
        #expect(Self.problems(items).map(\.line) == [8])
        #expect(counts.ignored == 2)
    }
}

/// The files written by real tools in `../shared/fixtures/real` (see its SOURCES.md).
enum RealFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/real")

    static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func files(in folder: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil
        ).sorted { $0.path < $1.path }
    }
}
