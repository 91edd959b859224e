// `bench/enforce`: writes the inputs of the verify benchmark — a policy of N services (default
// 1,000) over 20 zones — for bench/enforce/run.sh, which generates the router ruleset from it
// with the shipped binary, loads it into a namespace, adds hand-written rules, reads it back with
// `nft -j list ruleset` and times `portwarden enforce verify` beside `nft -c -f` on the same ruleset.
//
//   portwarden-bench-enforce DIR [SERVICES]
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: portwarden-bench-enforce DIR [SERVICES]")
    exit(2)
}
let directory = arguments[1]
let services = arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000
let zones = 20

var text = """
    version: 1
    organization: Enforcement benchmark
    review:
      every: 6 months
    zones:

    """
for zone in 0..<zones {
    let kind = zone < 5 ? "cde" : zone < 15 ? "connected" : "out-of-scope"
    text += """
          - id: zone-\(zone)
            kind: \(kind)
            prefixes: [10.\(100 + zone).0.0/16]
            owner: team-\(zone)

        """
}
text += "services:\n"
for index in 0..<services {
    let zone = index % zones
    // Five sources per service (zones other than its own), TCP and UDP: 10 rules per service.
    let sourceZones = (1...5).map { (zone + $0 * 3) % zones }
    let sources = sourceZones.map { "zone-\($0)" }.joined(separator: ", ")
    let host = "10.\(100 + zone).\(index / 250).\(index % 250 + 1)"
    text += """
          - id: svc-\(index)
            zone: zone-\(zone)
            hosts: [\(host)]
            ports: [tcp/\(1000 + index), udp/\(1000 + index)]
            allow-from: [\(sources)]
            justification: Benchmark service \(index)
            owner: team-\(zone)
            approved-by: ciso

        """
    // An out-of-scope source into a CDE zone needs its edge justified (the linter refuses it otherwise).
    let outOfScope = zone < 5 ? sourceZones.filter { $0 >= 15 } : []
    if !outOfScope.isEmpty {
        text += "    edge-justification:\n"
        for source in outOfScope { text += "      zone-\(source): Benchmark edge, connected-to by design\n" }
    }
}
let path = "\(directory)/policy.yaml"
guard let file = fopen(path, "w") else {
    print("cannot write \(path)")
    exit(1)
}
fputs(text, file)
fclose(file)
print("wrote \(path): \(zones) zones, \(services) services")
