import Foundation
import PortwardenStore
import PortwardenTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `portwarden monitor` as a service runs it: inputs from its configuration, the policy reloaded on SIGHUP,
/// silent sources reported on a timer, SIGTERM ending it cleanly.
@Suite("portwarden monitor, end to end", .enabled(if: Binary.unavailableReason == nil, "portwarden binary not built"))
struct MonitorEndToEndTests {
    @Test(
        "SIGHUP reloads the policy (a broken one is reported and the old one kept); silence is checked; SIGTERM exits 0"
    )
    func reloadSilenceAndStop() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let log = try scratch.write("fw.log", IngestStoreEndToEndTests.permitted(1))
        let config = try scratch.write(
            "monitor.conf", "# test monitor\ninput netfilter \(log)\ncheck-every 0.5  # seconds\nsilence-after 1\n")
        let store = try StoreProbe(scratch.path("store"))
        let child = try ChildIngest(
            ["monitor", "--policy", policy, "--config", config, "--output", "json"] + db, scratch: scratch)
        defer { child.kill() }
        try store.waitForHits(1, child)

        try "version: 1\nzones: [\n".write(toFile: policy, atomically: true, encoding: .utf8)
        kill(child.process.processIdentifier, SIGHUP)
        try store.wait("the failed reload is reported", child) { child.stderr.contains("not reloaded") }
        try FileHandle.append(log, IngestStoreEndToEndTests.permitted(2))
        try store.waitForHits(2, child)

        // The reloaded policy no longer lets cde-app reach pg: the same traffic is now an alert.
        let narrowed = IngestEndToEndTests.policy.replacingOccurrences(
            of: "allow-from: [cde-app]", with: "allow-from: [10.20.9.5/32]")
        try narrowed.write(toFile: policy, atomically: true, encoding: .utf8)
        kill(child.process.processIdentifier, SIGHUP)
        try store.wait("the reload is reported", child) { child.stderr.contains("policy \(policy) reloaded") }
        try FileHandle.append(log, IngestStoreEndToEndTests.permitted(3))
        try store.wait("the narrowed policy raises an alert", child) {
            try store.read { try $0.alerts() }.contains { $0.rule == "PW-SOURCE-NOT-PERMITTED" }
        }
        // The log's events are from 29 November: on the timer the source is silent (10.7.2).
        try store.wait("the silent source is reported", child) {
            try store.read { try $0.alerts() }.contains { $0.rule == "PW-LOG-SOURCE-SILENT" }
        }
        #expect(child.terminate() == 0, "\(child.stderr)")
        let offset = try #require(try store.read { try $0.logOffset(input: log) })
        #expect(offset.line == 3)
        #expect(try store.read { try $0.serviceUsage() }.first?.hits == 2)
        #expect(try Binary.run(["log", "verify"] + db).status == 0)
    }

    @Test(
        "an IDS incident names the process the host inventory in the store saw listening on its port",
        .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"))
    func incidentNamesTheListener() throws {
        let scratch = try ScratchDirectory()
        let db = ["--db", scratch.path("store")]
        #expect(try Binary.run(["init"] + db).status == 0)
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        // The inventory of a "host" (a namespace the test creates) where python listens on 5432, recorded as 10.20.1.10.
        let namespace = try NetworkNamespace(prefix: "minv")
        defer { namespace.remove() }
        let listener = try Listeners(in: namespace, address: "0.0.0.0", ports: [5432])
        let inventory = try withExtendedLifetime(listener) {
            try Binary.run(in: namespace, ["inventory", "--host", "10.20.1.10"] + db)
        }
        #expect(inventory.stderr.contains("recorded in"), "\(inventory.stderr)")
        let eve = try scratch.write(
            "eve.json",
            #"{"timestamp":"2026-11-29T03:04:13.000000+0000","event_type":"alert","src_ip":"10.20.2.2","src_port":1,"#
                + #""dest_ip":"10.20.1.10","dest_port":5432,"proto":"TCP","alert":{"signature_id":1,"#
                + #""signature":"ET EXPLOIT x","severity":1}}"# + "\n")
        let log = try scratch.write("fw.log", IngestStoreEndToEndTests.permitted(1))
        let config = try scratch.write("monitor.conf", "input suricata \(eve)\ninput netfilter \(log)\n")
        let store = try StoreProbe(scratch.path("store"))
        let child = try ChildIngest(["monitor", "--policy", policy, "--config", config] + db, scratch: scratch)
        defer { child.kill() }
        try store.wait("the incident is stored", child) {
            try store.read { try $0.alerts() }.contains { $0.rule == "PW-IDS-INCIDENT" }
        }
        #expect(child.terminate() == 0, "\(child.stderr)")
        let incident = try #require(try store.read { try $0.alerts() }.first { $0.rule == "PW-IDS-INCIDENT" })
        #expect(incident.message.contains("(declared service pg, owner payments)"), "\(incident.message)")
        let named = try #require(
            incident.message.range(of: " The host inventory last saw process "), "\(incident.message)")
        let process = incident.message[named.upperBound...]
        #expect(process.hasSuffix(" listening there.") && process.contains("python"), "\(incident.message)")
    }

    @Test("a bad configuration line is a located input error")
    func badConfigurationIsLocated() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write("policy.yaml", IngestEndToEndTests.policy)
        let config = try scratch.write("monitor.conf", "input netfilter /var/log/kern.log\ninput pcap /tmp/x\n")
        let result = try Binary.run(["monitor", "--policy", policy, "--config", config, "--no-store"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("\(config):2:7: error: unknown format \"pcap\""), "\(result.stderr)")
        let url = try scratch.write("url.conf", "input netfilter /var/log/kern.log\ninput syslog udp://logs:514\n")
        let badURL = try Binary.run(["monitor", "--policy", policy, "--config", url, "--no-store"])
        #expect(badURL.status == 2, "\(badURL.stderr)")
        #expect(
            badURL.stderr.contains("\(url):2:20: error: input syslog udp://logs:514: the host must be an IP address"),
            "\(badURL.stderr)")
        let flag = try Binary.run(["monitor", "--policy", policy, "--input", "syslog:tcp://10.0.0.1:0", "--no-store"])
        #expect(flag.status == 2, "\(flag.stderr)")
        #expect(flag.stderr.contains("--input syslog:tcp://10.0.0.1:0: expected a port 1-65535"), "\(flag.stderr)")
        let none = try Binary.run(["monitor", "--policy", policy, "--no-store"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no input to monitor"))
    }
}
