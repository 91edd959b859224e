// portwarden-bench-scan: runs the connect engine once against the given targets and prints the
// open ports (one `host port` per line) on stdout and the run's counters on stderr.
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
    default: targets.append(argument)
    }
}
configuration.maxInFlightPerHost = max(configuration.maxInFlightPerHost, configuration.maxInFlight)
do {
    let hosts = try TargetParser.parse(targets)
    let ports = try PortList.parse(portText)
    let result = try ConnectScanner(configuration: configuration).run(hosts: hosts, ports: ports)
    var counts: [String: Int] = [:]
    for observation in result.observations {
        counts["\(observation.state.rawValue)/\(observation.reason ?? "-")", default: 0] += 1
        if observation.state == .open { print("\(observation.host) \(observation.port)") }
    }
    let s = result.statistics
    warn(
        "probes=\(s.probesSent) retries=\(s.retries) requeued=\(s.requeued) peak-in-flight=\(s.peakInFlight) "
            + "window=\(s.initialWindow) elapsed=\(s.elapsed)\n")
    for (key, value) in counts.sorted(by: { $0.key < $1.key }) { warn("  \(key): \(value)\n") }
} catch {
    warn("error: \(error)\n")
    exit(3)
}
