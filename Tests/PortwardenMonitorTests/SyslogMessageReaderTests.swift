import Foundation
import PortwardenCore
import PortwardenMonitor
import Testing

@Suite("Syslog receiver messages: routed by program or content to the log parsers")
struct SyslogMessageReaderTests {
    static let now = Date(timeIntervalSince1970: 1_796_169_600)  // 2026-12-01T00:00:00Z

    static func read(_ messages: [String]) -> (items: [LogReaderItem], counts: LogCounts) {
        var reader = SyslogMessageReader(now: now)
        var items: [LogReaderItem] = []
        for (index, message) in messages.enumerated() {
            reader.read(
                Array(message.utf8)[...], source: "udp://127.0.0.1:5514 from 127.0.0.1:40000", number: index + 1
            ) {
                items.append($0)
            }
        }
        return (items, reader.counts)
    }

    @Test("kernel netfilter (RFC 3164), sshd (RFC 5424 with structured data), Suricata and Zeek JSON bodies")
    func routed() throws {
        let result = Self.read([
            "<4>Dec  1 23:00:00 fw1 kernel: PW-DENY cde-db IN=eth0 OUT= SRC=10.0.0.5 DST=10.20.1.10 LEN=60 "
                + "PROTO=TCP SPT=40000 DPT=23",
            "<38>1 2026-12-01T23:00:01.5+00:00 bastion sshd 123 - [timeQuality tzKnown=\"1\" isSynced=\"0\"] Failed "
                + "password for root from 10.0.0.5 port 4000 ssh2",
            "<14>1 2026-12-01T23:00:02Z ids suricata - - - {\"timestamp\":\"2026-12-01T23:00:02.000000+0000\","
                + "\"event_type\":\"alert\",\"src_ip\":\"10.0.0.5\",\"src_port\":1,\"dest_ip\":\"10.20.1.10\","
                + "\"dest_port\":23,\"proto\":\"TCP\",\"alert\":{\"signature_id\":1,\"signature\":\"ET x\",\"severity\":1}}",
            "<14>Dec  1 23:00:03 sensor zeek: {\"ts\":1796209203.0,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.5\","
                + "\"id.orig_p\":1,\"id.resp_h\":\"10.20.1.10\",\"id.resp_p\":5432,\"proto\":\"tcp\",\"conn_state\":\"SF\"}",
            "<4>Dec  1 23:00:04 fw2 ulogd[9]: DROP IN=eth1 OUT= SRC=10.0.0.6 DST=10.20.1.11 LEN=40 PROTO=UDP SPT=5 DPT=53",
        ])
        #expect(result.counts.flows == 3 && result.counts.securityEvents == 2 && result.counts.problems == 0)
        guard case .flow(let denied) = result.items[0], case .security(let failure) = result.items[1],
            case .security(let alert) = result.items[2], case .flow(let zeek) = result.items[3],
            case .flow(let ulogd) = result.items[4]
        else {
            Issue.record("unexpected items \(result.items)")
            return
        }
        #expect(denied.verdict == .denied && denied.destinationPort == 23 && denied.sensor == "fw1")
        #expect(denied.time == Timestamp.parse("2026-12-01T23:00:00Z"))
        #expect(failure.kind == .authFailure && failure.user == "root")
        #expect(failure.time == Timestamp.parse("2026-12-01T23:00:01.5Z"))
        #expect(alert.kind == .idsAlert && alert.signature == "ET x")
        #expect(zeek.origin == .zeek && zeek.destinationPort == 5432)
        #expect(ulogd.sourceAddress == IPAddress("10.0.0.6") && ulogd.verdict == .denied)
    }

    @Test("other programs, other JSON and text without PRI are ignored, not problems")
    func othersIgnored() {
        let result = Self.read([
            "<13>Dec  1 23:00:00 host cron[1]: (root) CMD (run-parts /etc/cron.hourly)",
            "<13>1 2026-12-01T23:00:00Z host app - - - {\"level\":\"info\",\"msg\":\"started\"}",
            "hello from nc",
            "<30>1 2026-12-01T23:00:00Z host sshd 9 - - Connection closed by 10.0.0.5 port 4000",
            "   ",
        ])
        #expect(result.items.isEmpty)
        #expect(result.counts.ignored == 4 && result.counts.blank == 1 && result.counts.problems == 0)
    }

    @Test(
        "a broken PRI or a broken netfilter line is a problem at its message number and column",
        arguments: [
            ("<999>1 - x", 1, "expected a PRI from <0> to <191>"),
            ("<1x>y", 1, "expected a PRI"),
            (
                "<4>Dec  1 23:00:00 fw1 kernel: X IN=eth0 OUT= SRC=10.0.0 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=2", 47,
                "SRC= is not an address"
            ),
        ])
    func problems(message: String, column: Int, text: String) throws {
        let result = Self.read(["<13>Dec  1 23:00:00 host cron: fine", message])
        #expect(result.counts.problems == 1)
        guard case .problem(let problem) = try #require(result.items.last) else {
            Issue.record("no problem in \(result.items)")
            return
        }
        #expect(problem.file == "udp://127.0.0.1:5514 from 127.0.0.1:40000" && problem.line == 2)
        #expect(problem.column == column, "\(problem)")
        #expect(problem.message.contains(text), "\(problem)")
    }
}
