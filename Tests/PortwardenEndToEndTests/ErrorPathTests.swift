import Foundation
import PortwardenTestSupport
import Testing

/// The built binary's error paths: one located format (`file:line:column: level: message`), one
/// mapping to exit codes (input 2, drift and findings 1), messages in the user's words.
@Suite("error paths and exit codes, end to end")
struct ErrorPathTests {
    /// A listener no host has (udp/1), as an inventory snapshot and as drift-tracker state.
    static let goneListener =
        #"{"address":"0.0.0.0","bind":"wildcard","inode":1,"namespace":{"inode":4026531833},"owners":[],"port":1,"transport":"udp"}"#
    static let gonePort =
        #"{"bindings":[{"address":"0.0.0.0","scope":"wildcard"}],"key":{"family":"ipv4","namespace":"net:[4026531833]","port":1,"transport":"udp"},"owners":[]}"#

    @Test(.runnable(unless: Binary.unavailableReason)) func inventoryPreviousExitsOneOnDrift() throws {
        let scratch = try ScratchDirectory()
        let snapshot = try scratch.write(
            "old.json", #"{"listeners":[\#(Self.goneListener)],"time":"2026-01-01T00:00:00Z"}"#)
        let result = try Binary.run(["inventory", "--previous", snapshot])
        #expect(result.status == 1, "drift found exits 1, as inventory drift does: \(result.stderr)")
        #expect(result.stderr.contains("closed udp/1"), "\(result.stderr)")
        // No drift: a snapshot compared with itself.
        let now = scratch.path("now.json")
        #expect(try Binary.run(["inventory", "--snapshot", now]).status == 0)
        let same = try Binary.run(["inventory", "drift", now, now])
        #expect(same.status == 0)
        #expect(same.stdout.contains("0 changes"))
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func inventoryTrackExitsOneWhenDriftIsConfirmed() throws {
        let scratch = try ScratchDirectory()
        let state = try scratch.write(
            "drift.json",
            #"{"baseline":[\#(Self.gonePort)],"history":[[\#(Self.gonePort)]],"required":2,"window":3}"#)
        let first = try Binary.run(["inventory", "--track", state])
        #expect(first.status == 0, "one run without udp/1 is not yet a change: \(first.stderr)")
        let second = try Binary.run(["inventory", "--track", state])
        #expect(second.status == 1, "2 of the last 3 runs without udp/1 confirm the change: \(second.stderr)")
        #expect(second.stderr.contains("closed udp/1"), "\(second.stderr)")
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func brokenSnapshotsSayWhatIsWrongInUsersWords() throws {
        let scratch = try ScratchDirectory()
        let snapshot = try scratch.write("old.json", #"{"listeners":[\#(Self.goneListener)]}"#)
        let result = try Binary.run(["inventory", "--previous", snapshot])
        #expect(result.status == 2)
        #expect(result.stderr.contains("old.json: not an inventory snapshot: the field \"time\" is missing"))
        #expect(!result.stderr.contains("CodingKeys"), "\(result.stderr)")
        let typed = try scratch.write("typed.json", #"{"listeners":[],"time":12}"#)
        let mismatch = try Binary.run(["inventory", "drift", typed, typed])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("at time: expected a string"), "\(mismatch.stderr)")
    }

    @Test(
        .runnable(unless: Binary.unavailableReason),
        arguments: [
            (#"{"ip":"10.0.0.1","timestamp":"1","port":22,"proto":"tcp","rec_type":"status"}"#, "masscan"),
            (#"{"name":"listening_ports","hostIdentifier":"db1","columns":{}}"#, "osquery"),
            (#"{"a":1}"#, "nmap writes XML (-oX)"),
            ("Netid State  Recv-Q Send-Q Local Address:Port\n", "import ss"),
            ("<?xml version=\"1.0\"?>\n<report></report>\n", "without an <nmaprun> element"),
        ])
    func importNmapOnAnotherFormatNamesWhatItLooksLike(content: String, named: String) throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("scan.json", content)
        let result = try Binary.run(["import", "nmap", file, "--vantage", "corp"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):1:1: error: not nmap XML: it looks like"), "\(result.stderr)")
        #expect(result.stderr.contains(named), "\(result.stderr)")
        #expect(!result.stderr.contains("root element"), "\(result.stderr)")
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func emptyPolicyFileNameIsAnInputError() throws {
        let result = try Binary.run(["policy", "lint", ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the policy file name is empty"), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("\n: error:") && !result.stdout.hasPrefix(": "))
        let check = try Binary.run(["check", "--policy", "", "--observations", "-"], input: "")
        #expect(check.status == 2)
        #expect(check.stderr.hasPrefix("(no file name): error: "), "\(check.stderr)")
    }

    @Test(.runnable(unless: Binary.unavailableReason)) func policyErrorSummariesCountRight() throws {
        let scratch = try ScratchDirectory()
        let missing = try Binary.run(
            ["check", "--policy", scratch.path("nope.yaml"), "--observations", "-"], input: "")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.yaml: error: cannot read the policy file"), "\(missing.stderr)")
        #expect(
            !missing.stderr.contains("in the policy; fix"), "an unreadable file has nothing to fix: \(missing.stderr)")
        let oneError = try scratch.write(
            "one.yaml",
            """
            version: 1
            zones:
              - id: cde-db
                kind: cde
                prefixes: [10.20.1.0/33]
                owner: payments
            """)
        let one = try Binary.run(["check", "--policy", oneError, "--observations", "-"], input: "")
        #expect(one.status == 2)
        #expect(one.stderr.contains("\(oneError):5:"), "\(one.stderr)")
        #expect(one.stderr.contains("1 error in the policy; fix it (see"), "\(one.stderr)")
        let lint = try Binary.run(["policy", "lint", CommandLineTests.example("localhost.yaml")])
        #expect(lint.status == 0)
        let summary = try #require(lint.stdout.split(separator: "\n").last.map(String.init))
        #expect(!summary.contains("1 zones") && !summary.contains("1 services") && !summary.contains("1 exceptions"))
        #expect(summary.contains("0 errors, 0 warnings ("), "\(summary)")
    }

    /// A located problem is printed once, in the diagnostic format, never behind a second prefix.
    @Test(.runnable(unless: Binary.unavailableReason)) func locatedProblemsAreNotPrefixedTwice() throws {
        let scratch = try ScratchDirectory()
        let policy = CommandLineTests.example("localhost.yaml")
        let notNft = try scratch.write("ruleset.json", #"{"a":1}"#)
        let verify = try Binary.run([
            "enforce", "verify", "--policy", policy, "--ruleset", notNft, "--host", "127.0.0.1",
        ])
        #expect(verify.status == 2)
        #expect(verify.stderr.hasPrefix("\(notNft):1:1: error: not nftables JSON"), "\(verify.stderr)")
        let log = try scratch.write("conn.log", "not a zeek line\n")
        let ingest = try Binary.run(["ingest", "--policy", policy, "--format", "zeek", log])
        #expect(ingest.status == 2)
        #expect(ingest.stderr.contains("\(log):1:"), "\(ingest.stderr)")
        #expect(!ingest.stderr.contains("portwarden: portwarden:"), "\(ingest.stderr)")
    }

    /// `udp/LOW-HIGH` is allowed as `tcp/LOW-HIGH` is; docs/policy.md says so.
    @Test(.runnable(unless: Binary.unavailableReason)) func udpRangesLintCleanAsTheDocsSay() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.write(
            "rtp.yaml",
            """
            version: 1
            review:
              every: 6 months
              last: 2026-09-01
            zones:
              - id: voice
                kind: connected
                prefixes: [10.40.0.0/24]
                owner: telecom
            services:
              - id: rtp-media
                zone: voice
                ports: [udp/10000-20000, tcp/5060]
                justification: RTP media of the payment hotline
                owner: telecom
                approved-by: ciso
                approved-on: 2026-09-01
            """)
        let result = try Binary.run(["policy", "lint", policy])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let docs = try String(
            contentsOf: CommandLineTests.repositoryRoot.appendingPathComponent("docs/policy.md"), encoding: .utf8)
        #expect(docs.contains("`udp/LOW-HIGH`"))
    }

    /// `portwarden COMMAND --help` on a very wide terminal.
    static func wideHelp(_ command: [String]) throws -> String {
        try Shell.run(["env", "COLUMNS=1000", try Binary.path()] + command + ["--help"], allowFailure: true).stdout
    }

    /// The subcommand names a help text lists under `SUBCOMMANDS:`.
    static func subcommands(in help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[section.upperBound...].split(separator: "\n").prefix {
            $0.hasPrefix("  ") && !$0.hasPrefix("  See ")
        }
        .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Help text is written as paragraphs that ArgumentParser wraps to the terminal: on a very wide
    /// terminal no sentence is broken across lines, in any command or subcommand.
    @Test(.runnable(unless: Binary.unavailableReason)) func helpIsNotHardWrapped() throws {
        var commands: [[String]] = [[]]
        var checked = 0
        while let command = commands.popLast() {
            let help = try Self.wideHelp(command)
            checked += 1
            if command.count < 2 { commands += Self.subcommands(in: help).map { command + [$0] } }
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let prose = { (text: String) in !text.isEmpty && !text.hasPrefix(" ") && !text.hasPrefix("USAGE") }
            for (line, next) in zip(lines, lines.dropFirst()) where prose(line) && prose(next) && !line.hasSuffix(":") {
                Issue.record("\(command) --help breaks a paragraph: \"…\(line.suffix(50))\" / \"\(next.prefix(50))…\"")
            }
        }
        #expect(checked > 20, "only \(checked) help texts found")
    }

    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func emptyPortListSaysNoPortsGiven() throws {
        let namespace = try NetworkNamespace(prefix: "err")
        defer { namespace.remove() }
        let result = try Binary.run(in: namespace, ["scan", "127.0.0.1", "-p", ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no ports given"), "\(result.stderr)")
        #expect(!result.stderr.contains("extra comma"), "\(result.stderr)")
    }

    /// A vantage the policy does not declare is found out when the observations are evaluated: one
    /// located warning per vantage, at its first line, naming what it disables (`scan` and `import`
    /// refuse it only when they are given the policy).
    @Test(.runnable(unless: Binary.unavailableReason)) func unknownVantageInObservationsIsWarnedOnce() throws {
        let line = { (port: Int, vantage: String) in
            "{\"time\":\"2026-11-29T10:00:00Z\",\"host\":\"10.20.1.10\",\"transport\":\"tcp\",\"port\":\(port),"
                + "\"state\":\"open\",\"reason\":\"syn-ack\",\"source\":\"scan\",\"vantage\":\"\(vantage)\"}\n"
        }
        let input = line(23, "corp") + line(24, "nowhere") + line(25, "nowhere")
        let result = try Binary.run(
            [
                "check", "--no-store", "--policy", CommandLineTests.example("multi-zone.yaml"), "--observations", "-",
                "--at", "2026-11-29T12:00:00Z", "--format", "json",
            ], input: input)
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("is not a zone of the policy") }
        #expect(warnings.count == 1, "\(result.stderr)")
        let expected = "<stdin>:2: warning: vantage \"nowhere\" is not a zone of the policy (zones: cde-db,"
        #expect(warnings.first?.hasPrefix(expected) == true, "\(result.stderr)")
        #expect(!result.stderr.contains("vantage \"corp\""), "\(result.stderr)")
        // The warning changes no finding: tcp/24 seen from nowhere is still reported, as unknown.
        #expect(result.stdout.contains("\"port\":24"), "\(result.stdout)")
    }

    /// The raw SYN scan cannot send to IPv6: the command line says so before the engine would refuse
    /// it (`ScanError.configuration`), scans the IPv6 targets with the connect scan, and reports
    /// what that scan found.
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func synScanOfIPv6SaysItFallsBackToConnect() throws {
        let namespace = try NetworkNamespace(prefix: "err")
        defer { namespace.remove() }
        let result = try Binary.run(in: namespace, ["scan", "::1", "--syn", "-p", "22"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("IPv4 only, and ::1 is IPv6; using the connect scan"), "\(result.stderr)")
        #expect(result.stdout.contains("22/tcp") && result.stdout.contains("closed"), "\(result.stdout)")
    }

    /// A configuration the engine refuses is the user's input (2), not "nothing reached" (3).
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func configurationErrorsExitTwo() throws {
        let namespace = try NetworkNamespace(prefix: "err")
        defer { namespace.remove() }
        let result = try Binary.run(in: namespace, ["scan", "127.0.0.1", "--udp", "-p", "161", "--snmp-community", ""])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("SNMP community"), "\(result.stderr)")
    }

    /// Targets read from a file are located as every other input problem is.
    @Test(.runnable(unless: NetworkNamespace.unavailableReason ?? Binary.unavailableReason))
    func targetFileProblemsAreLocated() throws {
        let namespace = try NetworkNamespace(prefix: "err")
        defer { namespace.remove() }
        let scratch = try ScratchDirectory()
        let targets = try scratch.write("targets.txt", "127.0.0.1\n10.0.0.0/33\n")
        let result = try Binary.run(in: namespace, ["scan", "@\(targets)", "-p", "22"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(targets):2: error: \"10.0.0.0/33\""), "\(result.stderr)")
    }
}
