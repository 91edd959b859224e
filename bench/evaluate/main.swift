// Evaluation throughput: a synthetic policy (1k zones of one /24 each, 10k services, a handful of
// exceptions) against 10k / 100k / 1M synthetic observations. Times `Evaluator.evaluate` (best of
// three, monotonic clock) and prints observations, findings, seconds, observations/s and the ratio
// of seconds per observation to the first row (1.00 = perfectly linear).
//
//   swift run -c release portwarden-bench-evaluate [--sizes 10000,100000,1000000] [--mix typical|worst] [--serial]
import Foundation  // the benchmark is an executable: full Foundation for exit()
import PortwardenCore
import PortwardenPolicy

let zoneCount = 1_000
let servicesPerZone = 10
let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-29

func zoneAddress(_ zone: Int, _ host: Int) -> IPAddress {
    IPAddress(ipv4: 0x0A00_0000 | UInt32(zone) << 8 | UInt32(host & 0xFF))
}

func zoneID(_ zone: Int) -> String { "z\(zone)" }

// Clear of the rule pack's ports (9100 is INS-JETDIRECT's since the printer rows).
func servicePort(_ index: Int) -> UInt16 { UInt16(9110 + index) }

func makePolicy() -> Policy {
    var zones: [Zone] = []
    var services: [Service] = []
    for zone in 0..<zoneCount {
        let prefix = Prefix(address: zoneAddress(zone, 0), length: 24) ?? Prefix(host: zoneAddress(zone, 0))
        zones.append(Zone(id: zoneID(zone), kind: zone % 10 == 0 ? .cde : .connected, prefixes: [prefix], owner: "ops"))
        for index in 0..<servicesPerZone {
            let wholeZone = index % 2 == 1
            let ports: [PortSpec] =
                index == 9
                ? [PortSpec(.tcp, PortRange(30000, 30999) ?? PortRange(port: 30000))]
                : [PortSpec(.tcp, port: servicePort(index))]
            services.append(
                Service(
                    id: "svc-\(zone)-\(index)", zone: zoneID(zone),
                    hosts: wholeZone ? [] : [Prefix(host: zoneAddress(zone, index + 1))], ports: ports,
                    allowFrom: [.zone(zoneID((zone + 1) % zoneCount))], justification: "Synthetic", owner: "ops",
                    approvedBy: "ciso"))
        }
    }
    let exceptions = (0..<8).map { index in
        PolicyException(
            id: "EX-\(index)", zone: zoneID(index * 100), hosts: [Prefix(host: zoneAddress(index * 100, 200))],
            ports: [PortSpec(.tcp, port: 23)], justification: "Legacy", owner: "ops", approvedBy: "ciso",
            expires: CalendarDay(containing: now).adding(days: index * 5 - 10))
    }
    return Policy(
        organization: "Bench", review: ReviewSettings(last: CalendarDay(containing: now).adding(days: -30)),
        zones: zones, services: services, exceptions: exceptions)
}

/// Percent thresholds of the mix: covered, unauthorized, insecure, closed; the rest is outside zones.
struct Mix {
    var covered: Int
    var unauthorized: Int
    var insecure: Int
    var closed: Int
    /// A monitored estate: most ports declared, a few percent of problems.
    static let typical = Mix(covered: 75, unauthorized: 5, insecure: 3, closed: 15)
    /// Half of all observations become findings (every problem is on a distinct port).
    static let worst = Mix(covered: 50, unauthorized: 25, insecure: 10, closed: 10)
}

func makeObservations(_ count: Int, mix: Mix) -> [Observation] {
    var random = SplitMix64(seed: 42)
    var out: [Observation] = []
    out.reserveCapacity(count)
    for _ in 0..<count {
        let zone = random.below(zoneCount)
        let roll = random.below(100)
        var host = zoneAddress(zone, random.below(250) + 1)
        var port = UInt16(random.below(60000) + 1024)
        var state = PortState.open
        var vantage = zoneID((zone + 1) % zoneCount)
        var handshakes: [String: String]? = nil
        let unauthorizedEnd = mix.covered + mix.unauthorized
        let insecureEnd = unauthorizedEnd + mix.insecure
        switch roll {
        case 0..<mix.covered:  // covered by a declared service
            let index = random.below(servicesPerZone)
            if index % 2 == 0 { host = zoneAddress(zone, index + 1) }
            port = index == 9 ? UInt16(30000 + random.below(1000)) : servicePort(index)
        case mix.covered..<unauthorizedEnd:  // unauthorized, reached from another zone
            vantage = zoneID(random.below(zoneCount))
        case unauthorizedEnd..<insecureEnd:  // insecure services
            port = [23, 21, 3389, 5900][random.below(4)]
            if random.below(2) == 0 { handshakes = ["INS-TELNET": "confirmed"] }
        case insecureEnd..<(insecureEnd + mix.closed):  // closed probes
            state = .closed
        default:  // outside every zone
            host = IPAddress(ipv4: 0xAC10_0000 | UInt32(random.below(65536)))
        }
        out.append(
            Observation(
                time: now, host: host, transport: .tcp, port: port, state: state, reason: "syn-ack", source: .scan,
                vantage: vantage, handshakes: handshakes))
    }
    return out
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

var sizes = [10_000, 100_000, 1_000_000]
var parallel = true
var mix = Mix.typical
var mixName = "typical"
let arguments = CommandLine.arguments
var position = 1
while position < arguments.count {
    switch arguments[position] {
    case "--sizes" where position + 1 < arguments.count:
        sizes = arguments[position + 1].split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        position += 1
    case "--serial": parallel = false
    case "--mix" where position + 1 < arguments.count && ["typical", "worst"].contains(arguments[position + 1]):
        mixName = arguments[position + 1]
        mix = mixName == "worst" ? .worst : .typical
        position += 1
    default:
        print("usage: portwarden-bench-evaluate [--sizes N,N,...] [--mix typical|worst] [--serial]")
        exit(2)
    }
    position += 1
}

let clock = ContinuousClock()
let policy = makePolicy()
var evaluator: Evaluator?
let indexTime = clock.measure {
    evaluator = Evaluator(policy: policy, options: EvaluationOptions(parallel: parallel))
}
guard let evaluator else { exit(3) }
print(
    "policy: \(policy.zones.count) zones, \(policy.services.count) services, \(policy.exceptions.count) exceptions;"
        + " index built in \(fixed(seconds(indexTime), 3)) s; \(parallel ? "parallel" : "serial"); mix \(mixName)"
        + " (covered \(mix.covered)%, unauthorized \(mix.unauthorized)%, insecure \(mix.insecure)%, closed \(mix.closed)%,"
        + " outside zones \(100 - mix.covered - mix.unauthorized - mix.insecure - mix.closed)%)")
print("| observations | findings | seconds | observations/s | s per obs vs first row |")
print("|---:|---:|---:|---:|---:|")
var firstRate: Double?
for size in sizes {
    let observations = makeObservations(size, mix: mix)
    var best = Double.infinity
    var findings = 0
    for _ in 0..<3 {
        var result: [Finding] = []
        let elapsed = clock.measure { result = evaluator.evaluate(observations, at: now) }
        best = min(best, seconds(elapsed))
        findings = result.count
    }
    let perObservation = best / Double(size)
    let ratio = perObservation / (firstRate ?? perObservation)
    if firstRate == nil { firstRate = perObservation }
    print(
        "| \(pad(String(size), 9)) | \(pad(String(findings), 8)) | \(pad(fixed(best, 3), 7)) | "
            + "\(pad(String(Int(Double(size) / best)), 10)) | \(pad(fixed(ratio, 2), 5)) |")
}
