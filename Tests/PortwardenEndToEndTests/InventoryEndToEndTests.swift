import Foundation
import PortwardenTestSupport
import Testing

/// `portwarden inventory` and `inventory drift` with the built binary, inside a namespace.
@Suite("portwarden inventory, end to end", .serialized)
struct InventoryEndToEndTests {
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func listsListenersAndReportsDriftPerPort() throws {
        let namespace = try NetworkNamespace(prefix: "inv")
        defer { namespace.remove() }
        let scratch = try ScratchDirectory()
        var web: Listeners? = try Listeners(in: namespace, address: "127.0.0.1", ports: [21080])
        var admin: Listeners? = try Listeners(in: namespace, address: "127.0.0.1", ports: [21022])

        let listed = try Binary.run(
            in: namespace, ["inventory", "--format", "json", "--snapshot", scratch.path("a.json")])
        #expect(listed.status == 0, "\(listed.stderr)")
        let observations = try listed.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let ports = Set(observations.compactMap { $0["port"] as? Int })
        #expect(ports == [21080, 21022])
        #expect(observations.allSatisfy { $0["source"] as? String == "host" && $0["bind"] as? String == "loopback" })
        #expect(observations.allSatisfy { ($0["process"] as? String)?.contains("python") == true })

        // A restart with a new PID on the same port is no change.
        web = nil
        web = try Listeners(in: namespace, address: "127.0.0.1", ports: [21080])
        let restarted = try Binary.run(in: namespace, ["inventory", "--snapshot", scratch.path("b.json")])
        #expect(restarted.status == 0)
        let same = try Binary.run(["inventory", "drift", scratch.path("a.json"), scratch.path("b.json")])
        #expect(same.status == 0, "\(same.stdout)")
        #expect(same.stdout.contains("0 changes"))

        // Closing one port is exactly one `closed`.
        admin = nil
        _ = try Binary.run(in: namespace, ["inventory", "--snapshot", scratch.path("c.json")])
        let drift = try Binary.run([
            "inventory", "drift", scratch.path("b.json"), scratch.path("c.json"), "--format", "json",
        ])
        #expect(drift.status == 1)
        let changes = try drift.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(changes.count == 1)
        #expect(changes.first?["kind"] as? String == "closed")
        #expect((changes.first?["port"] as? [String: Any])?["port"] as? Int == 21022)
        _ = (web, admin)
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func brokenSnapshotIsAnInputError() throws {
        let scratch = try ScratchDirectory()
        let bad = try scratch.write("bad.json", "{\"time\": 5")
        let result = try Binary.run(["inventory", "drift", bad, bad])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.json"))
    }
}
