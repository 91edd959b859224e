// portwarden-bench-scan: runs the connect engine once against the given targets and prints every
// port that is not closed (one `host port state reason` per line; closed is the default) on stdout
// and the run's counters on stderr. Observations are streamed, never collected.
// `--list-ports SPEC` prints SPEC expanded (comma-separated) and exits.
// Used by bench/scan/run.sh; not a test.
import PortwardenCore
import PortwardenScan

#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard error (stdout carries only the open ports).
func warn(_ text: String) {
    _ = text.withCString { write(2, $0, strlen($0)) }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var configuration = ScanConfiguration.default
var portText = "1-65535"
var targets: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "-p": portText = arguments.isEmpty ? portText : arguments.removeFirst()
    case "--profile":
        let name = arguments.isEmpty ? "" : arguments.removeFirst()
        guard let profile = ScanConfiguration.profile(named: name) else {
            warn("unknown profile \(name)\n")
            exit(2)
        }
        configuration = profile
    case "--window": configuration.maxInFlight = Int(arguments.isEmpty ? "" : arguments.removeFirst()) ?? 2048
    case "--no-tarpit": configuration.tarpitRule = nil
    case "--list-ports":
        // Prints the expanded port list (e.g. top-1000) comma-separated, so other tools scan the same set.
        let spec = arguments.isEmpty ? "" : arguments.removeFirst()
        guard let ports = try? PortList.parse(spec) else {
            warn("cannot parse port list \(spec)\n")
            exit(2)
        }
        print(ports.map(String.init).joined(separator: ","))
        exit(0)
    default: targets.append(argument)
    }
}
do {
    let hosts = try TargetParser.parse(targets)
    let ports = try PortList.parse(portText)
    var counts: [String: Int] = [:]
    let s = try ConnectScanner(configuration: configuration).run(hosts: hosts, ports: ports) { observation in
        counts["\(observation.state.rawValue)/\(observation.reason ?? "-")", default: 0] += 1
        if observation.state != .closed {
            print("\(observation.host) \(observation.port) \(observation.state.rawValue) \(observation.reason ?? "-")")
        }
    }
    warn(
        "probes=\(s.probesSent) retries=\(s.retries) requeued=\(s.requeued) eaddrnotavail=\(s.addressNotAvailable) "
            + "emfile=\(s.outOfDescriptors) self-connects=\(s.selfConnects) peak-in-flight=\(s.peakInFlight) "
            + "window=\(s.initialWindow) smallest-window=\(s.smallestWindow) elapsed=\(s.elapsed) "
            + "tarpits=\(s.tarpitHosts.map(\.description).joined(separator: ","))\n")
    for (key, value) in counts.sorted(by: { $0.key < $1.key }) { warn("  \(key): \(value)\n") }
} catch {
    warn("error: \(error)\n")
    exit(3)
}
