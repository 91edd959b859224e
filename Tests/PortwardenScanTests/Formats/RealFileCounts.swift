import Foundation
import PortwardenCore

/// The files written by real tools in `../shared/fixtures/real` (see its SOURCES.md).
enum RealFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/real")

    static var available: Bool { FileManager.default.fileExists(atPath: root.path) }

    static func files(in folder: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil
        ).filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(name)))
    }
}

/// What an nmap XML file says about its ports, counted from its text without the importer: every
/// `port` of TCP or UDP with its `state`, every `extraports` group's count under its state, per
/// host address.
struct NmapFileCounts {
    var hosts: [String: [String: Int]] = [:]
    /// The ports listed one by one (not collapsed), all hosts together.
    var listed = 0
    /// Host addresses that appear in more than one `host` element.
    var repeated: Set<String> = []

    init(_ text: String) throws {
        let address = try Regex(#"<address addr="([^"]+)" addrtype="(ipv4|ipv6)""#)
        let port = try Regex(#"<port protocol="(tcp|udp)" portid="[0-9]+"[^>]*>\s*<state state="([^"]+)""#)
        let group = try Regex(#"<extraports state="([^"]+)" count="([0-9]+)""#)
        for block in Self.hostBlocks(text) {
            guard let found = block.firstMatch(of: address), let host = found.output[1].substring else { continue }
            let key = String(host)
            if hosts[key] != nil { repeated.insert(key) }
            var states = hosts[key] ?? [:]
            for match in block.matches(of: port) {
                if let state = match.output[2].substring {
                    states[String(state), default: 0] += 1
                    listed += 1
                }
            }
            for match in block.matches(of: group) {
                if let state = match.output[1].substring, let count = match.output[2].substring.flatMap({ Int($0) }) {
                    states[String(state), default: 0] += count
                }
            }
            hosts[key] = states
        }
    }

    /// The text of each `<host …>…</host>` element (not `hosthint`, `hostnames`, `hostname`).
    static func hostBlocks(_ text: String) -> [Substring] {
        var blocks: [Substring] = []
        var rest = text[...]
        while let start = rest.firstRange(of: "<host") {
            let after = rest[start.upperBound...]
            guard let next = after.first, next == " " || next == ">" else {
                rest = after
                continue
            }
            let end = after.firstRange(of: "</host>")?.upperBound ?? after.endIndex
            blocks.append(rest[start.lowerBound..<end])
            rest = rest[end...]
        }
        return blocks
    }

    /// All hosts' counts of one state.
    func total(_ state: String) -> Int { hosts.values.reduce(0) { $0 + ($1[state] ?? 0) } }

    /// All ports of all hosts.
    var ports: Int { hosts.values.reduce(0) { $0 + $1.values.reduce(0, +) } }
}
