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
        do {
            return try await UDPScanner(configuration: configuration).scan(hosts: hosts, ports: ports)
        } catch {
            throw CLIFailure.runtime("UDP scan failed: \(error)")
        }
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
