import PortwardenCore
import PortwardenScan

/// Runs the connect engine for the CLI, with a progress line on stderr when it is a terminal.
enum ScanRunner {
    /// Runs the connect engine, or the raw SYN engine when `syn` is asked for and possible (root or
    /// CAP_NET_RAW, IPv4 targets); otherwise it says why and falls back to the connect engine.
    static func run(
        hosts: [IPAddress], ports: [UInt16], configuration: ScanConfiguration, syn: Bool = false
    ) async throws -> ScanResult {
        if hosts.isEmpty || ports.isEmpty {
            throw CLIFailure.input("nothing to scan: \(hosts.count) targets × \(ports.count) ports")
        }
        if syn {
            if let reason = SYNScanner.unavailableReason(hosts: hosts) {
                Terminal.writeError("portwarden: --syn: \(reason); using the connect scan instead")
            } else {
                do {
                    return try await SYNScanner(configuration: configuration).scan(hosts: hosts, ports: ports)
                } catch {
                    throw CLIFailure.runtime("SYN scan failed: \(error)")
                }
            }
        }
        let scanner = ConnectScanner(configuration: configuration)
        let showProgress = Terminal.stderrIsTerminal
        do {
            let report: @Sendable (ScanProgress) -> Void = { Terminal.writeProgress($0) }
            let progress = showProgress ? report : nil
            let result = try await scanner.scan(hosts: hosts, ports: ports, progress: progress)
            if showProgress { Terminal.clearProgress() }
            return result
        } catch {
            if showProgress { Terminal.clearProgress() }
            throw CLIFailure.runtime("scan failed: \(error)")
        }
    }
}

extension ScanRunner {
    /// Runs the UDP engine, with its effective limits printed first (rate and window are separate knobs).
    static func runUDP(
        hosts: [IPAddress], ports: [UInt16], configuration: UDPScanConfiguration
    ) async throws
        -> UDPScanResult
    {
        if hosts.isEmpty || ports.isEmpty {
            throw CLIFailure.input("nothing to scan: \(hosts.count) targets × \(ports.count) UDP ports")
        }
        do { try configuration.validate() } catch { throw CLIFailure.input("\(error)") }
        let rate = configuration.maxRate.map { "\($0)/s" } ?? "no cap"
        let perHost = configuration.perHostRate.map { "\($0)/s per host" } ?? "no per-host pacing"
        Terminal.writeError(
            "portwarden: UDP: \(hosts.count) targets × \(ports.count) ports, rate \(rate), \(perHost), "
                + "window \(configuration.maxInFlight)")
        let result: UDPScanResult
        do {
            result = try await UDPScanner(configuration: configuration).scan(hosts: hosts, ports: ports)
        } catch {
            throw CLIFailure.runtime("UDP scan failed: \(error)")
        }
        if configuration.perHostRate == nil { warnAboutICMPRateLimits(result.observations) }
        return result
    }
}

extension ScanRunner {
    /// Linux answers about one ICMP port-unreachable per second per destination after a short burst,
    /// so an unpaced UDP scan reports most closed ports of such a host as open|filtered (measured in
    /// bench/scan scenario D3). When a host both answered with unreachables and left many ports
    /// silent, say so and name the flag that trades time for exact states. Open ports are unaffected.
    static func warnAboutICMPRateLimits(_ observations: [Observation]) {
        let byHost = Dictionary(grouping: observations, by: \.host)
        let suspicious = byHost.filter { _, rows in
            rows.contains { $0.state == .closed || $0.state == .filtered }
                && rows.filter { $0.state == .openFiltered }.count >= 10
        }
        guard !suspicious.isEmpty else { return }
        Terminal.writeError(
            "portwarden: UDP: \(suspicious.count) host\(suspicious.count == 1 ? "" : "s") answered some probes with ICMP "
                + "errors but left many silent; closed ports may show as open|filtered because of ICMP rate "
                + "limits. For exact states re-run with --udp-per-host-rate 1 (about one second per port).")
    }
}

extension Terminal {
    /// Rewrites one status line on stderr: probes done, rate, ETA, open found.
    static func writeProgress(_ progress: ScanProgress) {
        let percent = progress.total > 0 ? Double(progress.done) * 100 / Double(progress.total) : 100
        let eta = progress.eta.map { " eta \(formatSeconds(NmapXMLOutput.seconds($0)))" } ?? ""
        let line =
            "\r\u{1B}[2K  \(progress.done)/\(progress.total) probes (\(String(format1: percent))%)"
            + "  \(Int(progress.rate))/s\(eta)  open: \(progress.open)"
        fputsStderr(line)
    }

    static func clearProgress() { fputsStderr("\r\u{1B}[2K") }

    static func formatSeconds(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}

extension String {
    /// A number with one decimal, without Foundation's formatters.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
