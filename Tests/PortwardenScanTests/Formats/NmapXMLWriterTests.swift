import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

@Suite("nmap XML writer")
struct NmapXMLWriterTests {
    @Test("element order: status and address first, extraports before port, times last")
    func layout() throws {
        let xml = NmapXMLWriter.render(WriterSamples.scanB(), run: WriterSamples.run())
        let hostStart = try #require(xml.range(of: "<host starttime"))
        let host = String(xml[hostStart.lowerBound...].prefix { _ in true })
        let order = [
            "<status state=\"up\"", "<address addr=\"10.0.0.1\"", "<extraports", "<port ", "<times", "</host>",
        ]
        let positions = order.compactMap { host.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count)
        #expect(positions == positions.sorted())
        #expect(
            xml.contains("<scaninfo type=\"connect\" protocol=\"tcp\" numservices=\"101\" services=\"1-100,443\"/>"))
        #expect(xml.contains("<verbose level=\"0\"/>\n<debugging level=\"0\"/>"))
        #expect(xml.contains("<extraports state=\"closed\" count=\"100\">"))
        #expect(xml.contains("proto=\"tcp\" ports=\"1-79,81-100\"/>"))
        #expect(
            xml.contains(
                "<port protocol=\"tcp\" portid=\"443\"><state state=\"open\" reason=\"syn-ack\" reason_ttl=\"0\"/>"))
        #expect(xml.contains("<service name=\"https\" method=\"table\" conf=\"3\"/>"))
        #expect(xml.contains("<times srtt=\"654\" rttvar=\"1096\" to=\"100000\"/>\n</host>"))
        #expect(
            xml.contains(
                "<host><status state=\"down\" reason=\"no-response\" reason_ttl=\"0\"/>\n<address addr=\"10.0.0.3\""))
        #expect(xml.contains("<finished time=\"1795921475\" timestr=\"Sun Nov 29 03:04:35 2026\""))
        #expect(xml.contains("elapsed=\"9.50\" exit=\"success\"/><hosts up=\"2\" down=\"1\" total=\"3\"/>"))
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n"))
    }

    @Test("a state below the collapse threshold is listed port by port")
    func listedStates() {
        var observations = (UInt16(1)...10).map { WriterSamples.observation("10.0.0.9", $0, .filtered, "no-response") }
        observations.append(
            WriterSamples.observation("10.0.0.9", 53, .openFiltered, nil, transport: .udp, service: "domain"))
        var run = WriterSamples.run()
        run.serviceDetection = true
        let xml = NmapXMLWriter.render(observations, run: run)
        #expect(!xml.contains("<extraports"))
        #expect(xml.components(separatedBy: "<state state=\"filtered\" reason=\"no-response\"").count == 11)
        #expect(xml.contains("<port protocol=\"udp\" portid=\"53\"><state state=\"open|filtered\" reason=\"unknown\""))
        // Detection ran, but nothing answered on 53: the name is the port table's guess.
        #expect(xml.contains("<service name=\"domain\" method=\"table\" conf=\"3\"/>"))
    }

    /// nmap writes `method="table" conf="3"` for a name taken from its services table, and
    /// `method="probed" conf="10"` only for what a probe identified; a detection run does not make
    /// every name a probed one.
    @Test("with detection on, a table guess stays a table guess; a probe's answer is probed")
    func probedOnlyWhatAProbeIdentified() {
        let guessed = WriterSamples.observation("10.0.0.9", 8080, .open, "syn-ack", service: "http-proxy")
        var identified = WriterSamples.observation("10.0.0.9", 22, .open, "syn-ack", service: "ssh")
        identified.product = "OpenSSH"
        var tls = WriterSamples.observation("10.0.0.9", 443, .open, "syn-ack", service: "https")
        tls.tls = ["TLSv1.3"]
        var unmatched = WriterSamples.observation("10.0.0.9", 23, .open, "syn-ack", service: "telnet")
        unmatched.handshakes = ["INS-TELNET": "not-matched"]
        var run = WriterSamples.run()
        run.serviceDetection = true
        let xml = NmapXMLWriter.render([guessed, identified, tls, unmatched], run: run)
        #expect(xml.contains("<service name=\"http-proxy\" method=\"table\" conf=\"3\"/>"))
        #expect(xml.contains("<service name=\"ssh\" method=\"probed\" conf=\"10\"/>"))
        #expect(xml.contains("<service name=\"https\" tunnel=\"ssl\" method=\"probed\" conf=\"10\"/>"))
        #expect(xml.contains("<service name=\"telnet\" method=\"table\" conf=\"3\"/>"))
    }

    @Test("attribute values and the leading comment are escaped")
    func escaping() throws {
        var observations = [WriterSamples.observation("10.0.0.1", 80, .open, "syn-ack", service: "a\"b<c>&'d\u{1}")]
        observations.append(WriterSamples.observation("10.0.0.1", 81, .open, "syn-ack"))
        let run = WriterSamples.run(args: "portwarden scan --rate 10 <x> & \"y\" --")
        let xml = NmapXMLWriter.render(observations, run: run)
        #expect(xml.contains("name=\"a&quot;b&lt;c&gt;&amp;&apos;d\\x01\""))
        #expect(xml.contains("args=\"portwarden scan --rate 10 &lt;x&gt; &amp; &quot;y&quot; --\""))
        #expect(xml.contains("as: portwarden scan -&#45;rate 10 <x> & \"y\" -&#45; -->"))
        // Our own tokenizer reads it back without complaint, restoring the values.
        let result = NmapXMLImporter.parse(Array(xml.utf8), source: "w.xml", vantage: nil)
        #expect(result.problems == [])
        #expect(result.observation("10.0.0.1", .tcp, 80)?.service == "a\"b<c>&'d\\x01")
    }

    @Test("what the writer writes, the importer reads back: same ports, states, reasons, services")
    func roundTrip() throws {
        let written = WriterSamples.scanB()
        let xml = NmapXMLWriter.render(written, run: WriterSamples.run())
        let result = NmapXMLImporter.parse(Array(xml.utf8), source: "rt.xml", vantage: "corp")
        #expect(result.problems == [])
        #expect(result.hosts == 2)
        struct Key: Hashable {
            let host: IPAddress
            let transport: Transport
            let port: UInt16
            let state: PortState
            let reason: String?
            let service: String?
        }
        func keys(_ list: [Observation]) -> Set<Key> {
            Set(
                list.map {
                    Key(
                        host: $0.host, transport: $0.transport, port: $0.port, state: $0.state, reason: $0.reason,
                        service: $0.service)
                })
        }
        #expect(result.observations.count == written.count)
        #expect(keys(result.observations) == keys(written))
    }

    @Test(
        "with scanner=\"nmap\" the file validates against nmap's DTD; Portwarden's default name does not",
        .enabled(
            if: ExternalTool.xmllint != nil && FileManager.default.fileExists(atPath: ExternalTool.nmapDTD),
            "needs xmllint (Debian libxml2-utils) and /usr/share/nmap/nmap.dtd (Debian nmap-common)"))
    func dtdValidation() throws {
        let directory = try TemporaryDirectory()
        let nmapFile = try directory.write(
            "n.xml", NmapXMLWriter.render(WriterSamples.scanB(), run: WriterSamples.run(scanner: "nmap")))
        let valid = try Shell.run(
            [ExternalTool.xmllint ?? "xmllint", "--noout", "--dtdvalid", ExternalTool.nmapDTD, nmapFile],
            allowFailure: true)
        #expect(valid.status == 0, "\(valid.stderr)")
        let ownFile = try directory.write(
            "p.xml", NmapXMLWriter.render(WriterSamples.scanB(), run: WriterSamples.run()))
        let invalid = try Shell.run(
            [ExternalTool.xmllint ?? "xmllint", "--noout", "--dtdvalid", ExternalTool.nmapDTD, ownFile],
            allowFailure: true)
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("scanner"))
    }

    @Test("time text has nmap's shape")
    func timeText() {
        #expect(NmapXMLWriter.timeText(Date(timeIntervalSince1970: 0)) == "Thu Jan 01 00:00:00 1970")
        #expect(NmapXMLWriter.timeText(Date(timeIntervalSince1970: 1_795_923_360)) == "Sun Nov 29 03:36:00 2026")
        #expect(NmapXMLWriter.elapsedText(0.444) == "0.44")
        #expect(NmapXMLWriter.elapsedText(12.05) == "12.05")
    }
}

/// A scratch folder removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("pw-formats-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` inside the folder and returns the file's path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

@Suite("nmap XML writer: IPv6 and byte order marks")
struct NmapXMLWriterIPv6Tests {
    @Test("IPv6 hosts are written with addrtype ipv6 and read back; a BOM is accepted on import")
    func ipv6() throws {
        let observations = [WriterSamples.observation("2001:db8::10", 443, .open, "syn-ack", service: "https")]
        let xml = NmapXMLWriter.render(observations, run: WriterSamples.run())
        #expect(xml.contains("<address addr=\"2001:db8::10\" addrtype=\"ipv6\"/>"))
        let result = NmapXMLImporter.parse([0xEF, 0xBB, 0xBF] + Array(xml.utf8), source: "v6.xml", vantage: nil)
        #expect(result.problems == [])
        #expect(result.observation("2001:db8::10", .tcp, 443)?.service == "https")
    }
}
