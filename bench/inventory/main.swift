// `portwarden-bench-inventory`: runs the listener inventory once (or `--repeat N` times) in the
// current network namespace, or every namespace with `--all-namespaces`, and prints the counts.
// Timed from outside by bench/inventory/run.sh next to `ss -ltunp`.
import PortwardenHost

let arguments = CommandLine.arguments.dropFirst()
let all = arguments.contains("--all-namespaces")
var repeats = 1
if let index = arguments.firstIndex(of: "--repeat"), index + 1 < arguments.endIndex, let n = Int(arguments[index + 1]) {
    repeats = max(1, n)
}
var report = InventoryReport(listeners: [])
for _ in 0..<repeats {
    report = ListenerInventory(options: InventoryOptions(allNamespaces: all)).collect()
}
let owned = report.listeners.filter { !$0.owners.isEmpty }.count
let owners = Set(report.listeners.flatMap { $0.owners.map(\.pid) }).count
print(
    "listeners=\(report.listeners.count) owned=\(owned) processes=\(owners) ephemeral_udp=\(report.ephemeralUDP.count) "
        + "namespaces=\(report.namespaces.count) problems=\(report.problems.count)")
