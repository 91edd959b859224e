import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

/// Debian's `ndiff` (nmap's own diff tool) must read Portwarden's XML and name exactly what changed:
/// in scan B port 22 closed, 443 opened and host 10.0.0.2 appeared.
@Suite(
    "ndiff reads Portwarden XML",
    .enabled(if: ExternalTool.ndiff != nil, "ndiff is not installed (Debian package ndiff)"))
struct NdiffCompatibilityTests {
    private func files() throws -> (TemporaryDirectory, String, String) {
        let directory = try TemporaryDirectory()
        let a = try directory.write("a.xml", NmapXMLWriter.render(WriterSamples.scanA(), run: WriterSamples.run()))
        let b = try directory.write("b.xml", NmapXMLWriter.render(WriterSamples.scanB(), run: WriterSamples.run()))
        return (directory, a, b)
    }

    @Test("text diff lists the closed port, the opened port and the new host, and exits 1")
    func textDiff() throws {
        let (directory, a, b) = try files()
        defer { withExtendedLifetime(directory) {} }
        let result = try Shell.run([ExternalTool.ndiff ?? "ndiff", a, b], allowFailure: true)
        #expect(result.status == 1, "\(result.stderr)")
        let changed = result.stdout.split(separator: "\n")
            .filter { $0.hasPrefix("+") || $0.hasPrefix("-") }
            .map { $0.split(separator: " ").joined(separator: " ") }
        #expect(
            changed == [
                "-22/tcp open ssh", "+443/tcp open https", "+10.0.0.2:", "+Host is up.",
                "+Not shown: 100 closed ports", "+PORT STATE SERVICE VERSION", "+25/tcp open smtp",
            ])
    }

    @Test("XML diff has one portdiff per changed port and a hostdiff adding 10.0.0.2")
    func xmlDiff() throws {
        let (directory, a, b) = try files()
        defer { withExtendedLifetime(directory) {} }
        let result = try Shell.run([ExternalTool.ndiff ?? "ndiff", "--xml", a, b], allowFailure: true)
        #expect(result.status == 1, "\(result.stderr)")
        let summary = try NdiffSummary(Array(result.stdout.utf8))
        #expect(summary.portChanges == ["10.0.0.1 tcp/22 open->none", "10.0.0.1 tcp/443 none->open"])
        #expect(summary.addedHosts == ["10.0.0.2"])
        #expect(summary.removedHosts == [])
    }

    @Test("identical scans: no differences, exit 0")
    func identical() throws {
        let (directory, a, _) = try files()
        defer { withExtendedLifetime(directory) {} }
        let result = try Shell.run([ExternalTool.ndiff ?? "ndiff", a, a], allowFailure: true)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.split(separator: "\n").contains { $0.hasPrefix("+") || $0.hasPrefix("-") })
    }
}

/// The changes in `ndiff --xml` output, read with Portwarden's own tokenizer.
struct NdiffSummary {
    var portChanges: [String] = []
    var addedHosts: [String] = []
    var removedHosts: [String] = []

    init(_ bytes: [UInt8]) throws {
        var tokenizer = XMLTokenizer(bytes: bytes)
        var path: [String] = []
        var host = ""
        var side = ""
        var port = ""
        var states: [String: String] = [:]
        while let event = try tokenizer.next() {
            switch event {
            case .start(let name, let attributes, _):
                path.append(name)
                if name == "a" || name == "b" { side = name }
                if name == "address", let addr = attributes[attribute: "addr"] {
                    if path.contains("portdiff") == false, path.suffix(3).first == "a" { removedHosts.append(addr) }
                    if path.contains("portdiff") == false, path.suffix(3).first == "b" { addedHosts.append(addr) }
                    host = addr
                }
                if name == "port", path.contains("portdiff") {
                    port = "\(attributes[attribute: "protocol"] ?? "?")/\(attributes[attribute: "portid"] ?? "?")"
                }
                if name == "state", path.contains("portdiff") { states[side] = attributes[attribute: "state"] }
            case .end(let name, _):
                path.removeLast()
                if name == "portdiff" {
                    portChanges.append("\(host) \(port) \(states["a"] ?? "none")->\(states["b"] ?? "none")")
                    states = [:]
                }
            case .text:
                break
            }
        }
    }
}
