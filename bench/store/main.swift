// bench/store: the evidence store's ingest, chain verification and a simulated year of daily scans, printed as
// a table (not a test). bench/README.md records the numbers and the machine's load.
//
//   swift build -c release --product portwarden-bench-store
//   .build/release/portwarden-bench-store [--days 365] [--verify-records 1000000] [--postgres URL]
import Foundation
import PortwardenCore
import PortwardenStore

struct Options {
    var days = 365
    var verifyRecords = 1_000_000
    var postgres: String?
    var ingestDays = 5

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--days": days = iterator.next().flatMap { Int($0) } ?? days
            case "--verify-records": verifyRecords = iterator.next().flatMap { Int($0) } ?? verifyRecords
            case "--ingest-days": ingestDays = iterator.next().flatMap { Int($0) } ?? ingestDays
            case "--postgres": postgres = iterator.next()
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

let options = Options(CommandLine.arguments)
var table = BenchTable()
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pw-bench-store-\(getpid())").path
defer { try? FileManager.default.removeItem(atPath: scratch) }

do {
    let lab = SimulatedNetwork(seed: 42)
    // 1. Observation ingest: daily all-port scans of the /24 (20 live hosts × 65,536 TCP ports).
    let sqlite = try BenchStores.sqlite(scratch + "/ingest")
    try IngestBench.run(store: sqlite, name: "SQLite", lab: lab, days: options.ingestDays, into: &table)
    try sqlite.close()
    if let url = options.postgres {
        let postgres = try BenchStores.postgres(url, directory: scratch + "/pg")
        try IngestBench.run(store: postgres.store, name: "PostgreSQL", lab: lab, days: options.ingestDays, into: &table)
        postgres.cleanup()
    } else {
        table.add("ingest PostgreSQL", "not run", "no --postgres URL")
    }
    // 2. Chain verification.
    let chain = try BenchStores.sqlite(scratch + "/chain")
    try VerifyBench.run(store: chain, records: options.verifyRecords, into: &table)
    try chain.close()
    // 3. A simulated year.
    let year = try BenchStores.sqlite(scratch + "/year")
    try YearBench.run(store: year, lab: lab, days: options.days, directory: scratch + "/year", into: &table)
    try year.close()
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    exit(1)
}
print(table.render())
