import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

/// Every nmap and masscan file in `../shared/fixtures/real` imported, with the counts and states
/// checked against what the file itself says.
@Suite(
    "real nmap and masscan files",
    .enabled(if: RealFixtures.available, "../shared/fixtures/real is not beside the package"))
struct RealFileImportTests {
    /// Files that are not nmap output, or were edited to be wrong (SOURCES.md): they must report
    /// problems.
    static let brokenOnPurpose: Set<String> = [
        "libnmap-defused_et_included.xml", "libnmap-defused_et_local_includer.xml", "libnmap-extra_ports.xml",
        "ullaakut-scan_invalid_services.xml", "libnmap-test_osclass.xml",
    ]

    /// nmap 3.x files whose `extraports` counts differ from the scanned ports they did not list
    /// (`1644 filtered` where 1,014 TCP and 1,023 UDP ports are unlisted): the listed ports are
    /// imported and each such group is an error, never a guess.
    static let countsDoNotAddUp: [String: Int] = ["nmapparser-instance.xml": 1, "nmapparser-nmap_results.xml": 3]

    @Test("every nmap file: per-state counts equal the file's port and extraports counts")
    func nmapFiles() throws {
        let files = try RealFixtures.files(in: "nmap").filter { $0.pathExtension == "xml" }
        #expect(files.count >= 30)
        for url in files {
            let name = url.lastPathComponent
            let bytes = Array(try Data(contentsOf: url))
            let result = NmapXMLImporter.parse(bytes, source: name, vantage: "corp")
            let errors = result.problems.filter { $0.level == .error }
            if Self.brokenOnPurpose.contains(name) {
                #expect(!errors.isEmpty, "\(name) is broken on purpose but imported without an error")
                continue
            }
            let counts = try NmapFileCounts(String(decoding: bytes, as: UTF8.self))
            if let groups = Self.countsDoNotAddUp[name] {
                #expect(errors.count == groups && errors.allSatisfy { $0.code == .unresolvedPorts }, "\(name)")
                #expect(result.observations.count == counts.listed, "\(name): listed ports")
                continue
            }
            #expect(errors.isEmpty, "\(name): \(errors)")
            #expect(counts.repeated.isEmpty, "\(name) repeats hosts: \(counts.repeated)")
            let merged = result.observations.filter { $0.state == .closedFiltered }.count
            for state in ["open", "open|filtered", "unfiltered"] {
                let imported = result.observations.filter { $0.state.rawValue == state }.count
                #expect(imported == counts.total(state), "\(name): \(state)")
            }
            // Collapsed ports that nmap counted as closed and filtered without saying which are
            // imported as closed|filtered, each such case announced by a warning.
            let closedOrFiltered = result.observations.filter { $0.state == .closed || $0.state == .filtered }.count
            #expect(
                closedOrFiltered + merged == counts.total("closed") + counts.total("filtered")
                    + counts.total("closed|filtered"), "\(name): closed and filtered")
            #expect((merged > 0) == result.problems.contains { $0.code == .imprecise }, "\(name): closed|filtered")
            #expect(result.observations.count == counts.ports, "\(name): all ports")
            #expect(Set(result.observations.map(\.host)).count <= counts.hosts.count, "\(name): hosts")
            #expect(result.observations.allSatisfy { $0.source == .import && $0.vantage == "corp" })
        }
    }

    @Test("nmap 6.45 -sS -sU without proto: UDP closed by port-unreach, TCP closed or filtered")
    func oldTCPAndUDPScan() throws {
        let result = NmapXMLImporter.parse(
            try RealFixtures.bytes("nmap", "rubynmap-scan.xml"), source: "scan.xml", vantage: nil)
        let host = "45.33.32.156"
        let udp = result.observations.filter { $0.host == IPAddress(host) && $0.transport == .udp }
        let tcp = result.observations.filter { $0.host == IPAddress(host) && $0.transport == .tcp }
        #expect(udp.count == 1000)
        #expect(tcp.count == 1000)
        #expect(udp.filter { $0.state == .closed }.count == 984)
        #expect(udp.filter { $0.state == .closed }.allSatisfy { $0.reason == "port-unreach" })
        #expect(tcp.filter { $0.state == .closedFiltered }.count == 996)
        #expect(tcp.filter { $0.state == .closedFiltered }.allSatisfy { $0.reason == "mixed" })
        #expect(result.observation(host, .tcp, 22)?.state == .open)
        let warning = try #require(result.problems.first { $0.code == .imprecise })
        #expect(warning.level == .warning)
        #expect(warning.message.contains("925 closed, 71 filtered"))
    }

    @Test("masscan -oJ, NDJSON, -oL and -oX of one scan: the same two open ports and services")
    func masscanFiles() throws {
        let json = MasscanImporter.parseJSON(
            try RealFixtures.bytes("masscan", "rubymasscan-masscan.json"), source: "m.json", vantage: "corp")
        let ndjson = MasscanImporter.parseJSON(
            try RealFixtures.bytes("masscan", "rubymasscan-masscan.ndjson"), source: "m.ndjson", vantage: "corp")
        let list = MasscanImporter.parseList(
            try RealFixtures.bytes("masscan", "rubymasscan-masscan.list"), source: "m.list", vantage: "corp")
        let xml = NmapXMLImporter.parse(
            try RealFixtures.bytes("masscan", "rubymasscan-masscan.xml"), source: "m.xml", vantage: "corp")
        for (name, result) in [("json", json), ("ndjson", ndjson), ("list", list), ("xml", xml)] {
            #expect(result.problems == [], "\(name)")
            #expect(result.hosts == 1, "\(name)")
            #expect(result.observations.map(\.port).sorted() == [80, 443], "\(name)")
            #expect(result.observations.allSatisfy { $0.state == .open }, "\(name)")
            #expect(result.observation("93.184.216.34", .tcp, 80)?.service == "http", "\(name)")
            #expect(result.observation("93.184.216.34", .tcp, 443)?.service == "ssl", "\(name)")
        }
        // Status records carry the reason; banner records never replace it.
        for result in [json, ndjson, xml] {
            #expect(result.observations.allSatisfy { $0.reason == "syn-ack" })
        }
    }

    @Test("every masscan file: one observation per TCP/UDP port its status records name, in their state")
    func masscanStatusRecords() throws {
        // The status records of each format, found in the text: (proto, port, status).
        let patterns = [
            "json": #"\{"port": ([0-9]+), "proto": "(tcp|udp)", "status": "(open|closed)""#,
            "ndjson": #""port":([0-9]+),"proto":"(tcp|udp)","rec_type":"status","data":\{"status":"(open|closed)""#,
            "list": #"(?m)^(open|closed) (tcp|udp) ([0-9]+) "#,
            "xml": #"<port protocol="(tcp|udp)" portid="([0-9]+)"><state state="(open|closed)" reason="(?!response)"#,
        ]
        for name in try RealFixtures.files(in: "masscan").map(\.lastPathComponent) {
            let format = String(name.split(separator: ".").last ?? "")
            let pattern = try #require(patterns[format], "\(name): no pattern for .\(format)")
            let bytes = try RealFixtures.bytes("masscan", name)
            let text = String(decoding: bytes, as: UTF8.self)
            var expected: [String: String] = [:]
            for match in text.matches(of: try Regex(pattern)) {
                let parts = (1..<match.output.count).compactMap { match.output[$0].substring.map(String.init) }
                let (proto, port, state) =
                    switch format {
                    case "json", "ndjson": (parts[1], parts[0], parts[2])
                    case "list": (parts[1], parts[2], parts[0])
                    default: (parts[0], parts[1], parts[2])
                    }
                expected["\(proto)/\(port)"] = state
            }
            let result =
                switch format {
                case "list": MasscanImporter.parseList(bytes, source: name, vantage: nil)
                case "xml": NmapXMLImporter.parse(bytes, source: name, vantage: nil)
                default: MasscanImporter.parseJSON(bytes, source: name, vantage: nil)
                }
            #expect(!expected.isEmpty, "\(name)")
            let imported = Dictionary(
                uniqueKeysWithValues: result.observations.map {
                    ("\($0.transport.rawValue)/\($0.port)", $0.state.rawValue)
                })
            #expect(imported == expected, "\(name)")
        }
    }
}
