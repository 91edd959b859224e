import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

/// Minimal files of the shapes real tools write, for the cases no file in
/// `../shared/fixtures/real` shows on its own.
@Suite("importers: shapes of real files")
struct ImporterShapeTests {
    /// nmap ndiff's test scans: one `extraports` state with two reasons, no `ports` lists.
    static let severalReasonsOneState = """
        <?xml version="1.0"?>
        <nmaprun scanner="nmap" args="nmap -sS -p 1-40 10.0.0.5" start="1700000000" version="7.94">
        <scaninfo type="syn" protocol="tcp" numservices="40" services="1-40"/>
        <host starttime="1700000001" endtime="1700000009"><status state="up" reason="echo-reply"/>
        <address addr="10.0.0.5" addrtype="ipv4"/>
        <ports><extraports state="filtered" count="38">
        <extrareasons reason="no-responses" count="37"/>
        <extrareasons reason="host-unreaches" count="1"/>
        </extraports>
        <port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/></port>
        <port protocol="tcp" portid="25"><state state="closed" reason="reset"/></port>
        </ports>
        </host>
        </nmaprun>

        """

    /// nmap 6 `-sS -sU`: `extrareasons` without `proto`; the reason names and the counts decide
    /// which protocol each belongs to.
    static let tcpAndUDPWithoutProto = """
        <?xml version="1.0"?>
        <nmaprun scanner="nmap" args="nmap -sS -sU -p T:1-10,U:1-4 10.0.0.6-7" start="1700000000" version="6.40">
        <scaninfo type="syn" protocol="tcp" numservices="10" services="1-10"/>
        <scaninfo type="udp" protocol="udp" numservices="4" services="1-4"/>
        <host starttime="1700000001" endtime="1700000002"><status state="up"/>
        <address addr="10.0.0.6" addrtype="ipv4"/>
        <ports><extraports state="closed" count="12">
        <extrareasons reason="resets" count="9"/>
        <extrareasons reason="port-unreaches" count="3"/>
        </extraports>
        <port protocol="tcp" portid="1"><state state="open" reason="syn-ack"/></port>
        <port protocol="udp" portid="1"><state state="open|filtered" reason="no-response"/></port>
        </ports>
        </host>
        <host starttime="1700000001" endtime="1700000003"><status state="up"/>
        <address addr="10.0.0.7" addrtype="ipv4"/>
        <ports><extraports state="filtered" count="9">
        <extrareasons reason="no-responses" count="9"/>
        </extraports>
        <extraports state="open|filtered" count="3">
        <extrareasons reason="no-responses" count="3"/>
        </extraports>
        <port protocol="tcp" portid="1"><state state="open" reason="syn-ack"/></port>
        <port protocol="udp" portid="4"><state state="open" reason="udp-response"/></port>
        </ports>
        </host>
        </nmaprun>

        """

    @Test("nmap: several extrareasons of one state give every collapsed port that state")
    func severalReasonsOneState() {
        let result = NmapXMLImporter.parse(Self.severalReasonsOneState.bytes, source: "ndiff.xml", vantage: "corp")
        #expect(result.problems == [])
        #expect(result.observations.count == 40)
        #expect(result.count("10.0.0.5", .filtered) == 38)
        #expect(result.observation("10.0.0.5", .tcp, 1)?.reason == "mixed")
        #expect(result.observation("10.0.0.5", .tcp, 40)?.state == .filtered)
        #expect(result.observation("10.0.0.5", .tcp, 25)?.state == .closed)
    }

    @Test("nmap ≤ 6, TCP and UDP without proto: reason names and counts place each group")
    func tcpAndUDPWithoutProto() {
        let result = NmapXMLImporter.parse(Self.tcpAndUDPWithoutProto.bytes, source: "old.xml", vantage: nil)
        #expect(result.problems == [])
        #expect(result.observations.count == 28)
        let closed = result.observations.filter { $0.host == IPAddress("10.0.0.6") && $0.state == .closed }
        #expect(closed.filter { $0.transport == .tcp }.map(\.port) == Array(2...10))
        #expect(closed.filter { $0.transport == .tcp }.allSatisfy { $0.reason == "reset" })
        #expect(closed.filter { $0.transport == .udp }.map(\.port) == [2, 3, 4])
        #expect(closed.filter { $0.transport == .udp }.allSatisfy { $0.reason == "port-unreach" })
        // "no-response" fits both protocols: only filtered→TCP, open|filtered→UDP adds up.
        #expect(result.observation("10.0.0.7", .tcp, 10)?.state == .filtered)
        #expect(result.observation("10.0.0.7", .tcp, 10)?.reason == "no-response")
        #expect(result.observation("10.0.0.7", .udp, 1)?.state == .openFiltered)
        #expect(result.observation("10.0.0.7", .udp, 4)?.state == .open)
    }

    @Test("nmap: counts that two protocols could both explain are an error, not a guess")
    func ambiguousCounts() {
        let text = Self.tcpAndUDPWithoutProto.replacingOccurrences(of: "T:1-10,U:1-4", with: "T:1-4,U:1-4")
            .replacingOccurrences(of: "services=\"1-10\"", with: "services=\"1-4\"")
            .replacingOccurrences(of: "count=\"9\"", with: "count=\"3\"")
            .replacingOccurrences(of: "count=\"12\"", with: "count=\"6\"")
        let result = NmapXMLImporter.parse(text.bytes, source: "same.xml", vantage: nil)
        #expect(result.problems.map(\.code) == [.unresolvedPorts])
        #expect(result.problems.first?.line == 18)
        #expect(result.problems.first?.message.contains("in more than one way") == true)
        #expect(result.observations.filter { $0.host == IPAddress("10.0.0.7") }.count == 2)
    }

    @Test("masscan NDJSON: status and banner records; an unknown record type is reported")
    func masscanNDJSON() {
        let text = """
            {"ip":"10.0.0.1","timestamp":"1630156508","port":80,"proto":"tcp","rec_type":"status","data":{"status":"open","reason":"syn-ack","ttl":54}}
            {"ip":"10.0.0.1","timestamp":"1630156508","port":0,"proto":"icmp","rec_type":"status","data":{"status":"open","reason":"none","ttl":54}}
            {"ip":"10.0.0.1","timestamp":"1630156512","port":80,"proto":"tcp","rec_type":"banner","data":{"service_name":"http","banner":"HTTP/1.0 404"}}
            {"ip":"10.0.0.2","timestamp":"1630156512","port":22,"proto":"tcp","rec_type":"banner","data":{"service_name":"ssh","banner":"SSH-2.0-x"}}
            {"ip":"10.0.0.1","timestamp":"1630156512","port":81,"proto":"tcp","rec_type":"gossip","data":{}}

            """
        let result = MasscanImporter.parseJSON(text.bytes, source: "m.ndjson", vantage: "corp")
        #expect(result.observations.count == 2)
        #expect(result.observation("10.0.0.1", .tcp, 80)?.reason == "syn-ack")
        #expect(result.observation("10.0.0.1", .tcp, 80)?.service == "http")
        #expect(result.observation("10.0.0.2", .tcp, 22)?.reason == "banner")
        #expect(result.problems.map(\.line) == [5])
        #expect(result.problems.first?.description.hasPrefix("m.ndjson:5:1: error: \"rec_type\": \"gossip\"") == true)
    }

    @Test("masscan -oJ of old builds: a comma after each record and a {finished: 1} trailer")
    func masscanFinishedTrailer() {
        let text = """
            { "ip": "10.0.0.1", "ports": [ {"port": 80, "proto": "tcp", "status": "open"} ], "timestamp": "1630156508" },
            { "ip": "10.0.0.1", "ports": [ {"port": 443, "proto": "tcp", "status": "open"} ], "timestamp": "1630156508" },
            {finished: 1}

            """
        let result = MasscanImporter.parseJSON(text.bytes, source: "old.json", vantage: nil)
        #expect(result.problems == [])
        #expect(result.observations.map(\.port) == [80, 443])
    }

    @Test("masscan -oX: a banner record's own state reason does not replace the status record's")
    func masscanXMLBannerKeepsReason() {
        let text = """
            <?xml version="1.0"?>
            <nmaprun scanner="masscan" start="1629960654" version="1.0-BETA"  xmloutputversion="1.03">
            <scaninfo type="syn" protocol="tcp" />
            <host endtime="1629960654"><address addr="10.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="54"/></port></ports></host>
            <host endtime="1629960657"><address addr="10.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open" reason="response" reason_ttl="54" /><service name="title" banner="404 - Not Found"></service></port></ports></host>
            <host endtime="1629960657"><address addr="10.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open" reason="response" reason_ttl="54" /><service name="http" banner="HTTP/1.0 404"></service></port></ports></host>
            </nmaprun>

            """
        let result = NmapXMLImporter.parse(text.bytes, source: "m.xml", vantage: nil)
        #expect(result.problems == [])
        #expect(result.observations.count == 1)
        #expect(result.observation("10.0.0.1", .tcp, 80)?.reason == "syn-ack")
        #expect(result.observation("10.0.0.1", .tcp, 80)?.service == "http")
    }

    @Test("nmap: a JSON file or an empty file is said to be not nmap XML, once")
    func notXML() {
        let json = NmapXMLImporter.parse(" \n  [\n{\"ip\": \"10.0.0.1\"}".bytes, source: "scan.json", vantage: nil)
        #expect(json.observations.isEmpty)
        #expect(
            json.problems.map(\.description) == [
                "scan.json:2:3: error: this is not XML: nmap -oX output starts with <?xml or <nmaprun "
                    + "(JSON: masscan -oJ output is read by `portwarden import masscan`)"
            ])
        #expect(NmapXMLImporter.parse([], source: "e.xml", vantage: nil).problems.map(\.code) == [.truncated])
    }
}
