import Foundation
import PortwardenCore
import PortwardenScan
import Testing

@Suite("masscan import")
struct MasscanImporterTests {
    @Test("-oJ: comma-first framing, banner records name services, ARP records are not ports")
    func json() throws {
        let result = MasscanImporter.parseJSON(FormatFixtures.masscanJSON.bytes, source: "m.json", vantage: "corp")
        #expect(result.problems == [])
        #expect(result.observations.count == 4)
        #expect(result.hosts == 3)
        let http = try #require(result.observation("10.231.0.2", .tcp, 80))
        #expect(http.state == .open)
        #expect(http.reason == "syn-ack")
        #expect(http.service == "http")
        #expect(http.source == .import)
        #expect(http.vantage == "corp")
        // The status record dates the state; a later banner only adds the service name.
        #expect(http.time == Date(timeIntervalSince1970: 1_795_921_466))
        #expect(result.observation("10.231.0.2", .udp, 5353)?.state == .open)
        #expect(result.observation("10.231.0.3", .tcp, 81)?.state == .closed)
        #expect(result.observation("10.231.0.3", .tcp, 81)?.reason == "rst-ack")
        // A banner without a status record still proves the port open.
        let ssh = try #require(result.observation("10.231.0.4", .tcp, 22))
        #expect(ssh.state == .open)
        #expect(ssh.service == "ssh")
        #expect(result.observation("10.231.0.9", .tcp, 0) == nil)
    }

    @Test("-oJ of an interrupted scan: no closing bracket, last record cut")
    func interrupted() throws {
        var text = FormatFixtures.masscanJSON
        let cut = try #require(text.range(of: "{   \"ip\": \"10.231.0.4\""))
        text = String(text[..<cut.lowerBound]) + "{   \"ip\": \"10.231.0.4\",   \"timest"
        let result = MasscanImporter.parseJSON(text.bytes, source: "cut.json", vantage: nil)
        #expect(result.observations.count == 3)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.code == .truncated)
        #expect(result.problems.first?.line == 10)
        #expect(result.problems.first?.column == 1)
        // Without the last record but with a clean end and no "]": nothing to report.
        let clean = String(text[..<cut.lowerBound])
        let cleanResult = MasscanImporter.parseJSON(clean.bytes, source: "cut.json", vantage: nil)
        #expect(cleanResult.problems == [])
        #expect(cleanResult.observations.count == 3)
    }

    @Test("NDJSON variant reads the same records")
    func ndjson() {
        let result = MasscanImporter.parseJSON(FormatFixtures.masscanNDJSON.bytes, source: "m.ndjson", vantage: nil)
        #expect(result.problems == [])
        #expect(result.observations.count == 3)
        #expect(result.hosts == 2)
        #expect(result.observation("10.231.0.2", .udp, 5353)?.reason == "none")
    }

    @Test("broken JSON records are reported with their line, the rest is kept")
    func brokenJSON() throws {
        let text = """
            {"ip":"10.231.0.2","timestamp":"1795921466","ports":[{"port":80,"proto":"tcp","status":"open"}]}
            {"ip":"10.231.0.2","timestamp":"1795921466","ports":[{"port":"eighty","proto":"tcp","status":"open"}]}
            garbage here
            {"ip":"10.231.0.300","timestamp":"1795921466","ports":[{"port":81,"proto":"tcp","status":"open"}]}
            {"ip":"10.231.0.2","timestamp":"soon","ports":[{"port":82,"proto":"tcp","status":"open"}]}
            {"ip":"10.231.0.2","timestamp":1795921466,"ports":[{"port":83,"proto":"tcp","status":"open"},{"port":70000,"proto":"tcp","status":"open"},{"port":84,"proto":"tcp","status":"weird"}]}

            """
        let result = MasscanImporter.parseJSON(text.bytes, source: "b.json", vantage: nil)
        #expect(result.observations.map(\.port).sorted() == [80, 83])
        #expect(result.problems.map(\.line) == [2, 3, 4, 5, 6, 6])
        #expect(
            result.problems.map(\.code) == [
                .malformed, .malformed, .invalidValue, .invalidValue, .invalidValue, .invalidValue,
            ])
        #expect(result.problems[0].message.contains("port"))
    }

    @Test("-oL: status lines, banner lines, header and trailer")
    func list() throws {
        let result = MasscanImporter.parseList(FormatFixtures.masscanList.bytes, source: "m.txt", vantage: "dmz")
        #expect(result.problems == [])
        #expect(result.observations.count == 4)
        #expect(result.hosts == 3)
        let https = try #require(result.observation("10.231.0.2", .tcp, 8443))
        #expect(https.state == .open)
        #expect(https.service == "http")
        #expect(https.vantage == "dmz")
        #expect(result.observation("10.231.0.2", .tcp, 81)?.state == .closed)
        #expect(result.observation("10.231.0.5", .udp, 53)?.time == Date(timeIntervalSince1970: 1_795_921_473))
        #expect(result.observation("10.231.0.6", .tcp, 22)?.service == "ssh")
    }

    @Test("-oL: broken lines are reported with line and column, the rest is kept")
    func brokenList() {
        let text = """
            #masscan
            open tcp 80 10.0.0.1 1795921472
            open tcp 80x 10.0.0.1 1795921472
            open tcp 81 10.0.0.999 1795921472
            maybe tcp 82 10.0.0.1 1795921472
            open tcp 83 10.0.0.1
            open tcq 84 10.0.0.1 1795921472
            open icmp 0 10.0.0.1 1795921472
            closed udp 161 10.0.0.1 1795921472\r
            open tcp 85 10.0.0.1 tomorrow
            """
        let result = MasscanImporter.parseList(text.bytes, source: "b.txt", vantage: nil)
        #expect(result.observations.count == 2)
        #expect(result.observation("10.0.0.1", .udp, 161)?.state == .closed)
        #expect(result.problems.map(\.line) == [3, 4, 5, 6, 7, 10])
        #expect(result.problems.map(\.column) == [10, 13, 1, 21, 6, 22])
        #expect(result.problems[0].description == "b.txt:3:10: error: \"80x\" is not a port number; line skipped")
    }
}

@Suite("masscan import: empty input")
struct MasscanEmptyInputTests {
    @Test("an empty file is reported; a header-only list or an empty array is a valid empty scan")
    func empty() {
        #expect(MasscanImporter.parseList([], source: "e.txt", vantage: nil).problems.map(\.code) == [.truncated])
        #expect(MasscanImporter.parseList(Array("#mas".utf8), source: "e.txt", vantage: nil).problems.count == 1)
        #expect(MasscanImporter.parseList(Array("#masscan\n".utf8), source: "e.txt", vantage: nil).problems == [])
        #expect(MasscanImporter.parseJSON(Array(" \n".utf8), source: "e.json", vantage: nil).problems.count == 1)
        #expect(MasscanImporter.parseJSON(Array("[\n".utf8), source: "e.json", vantage: nil).problems == [])
    }
}
