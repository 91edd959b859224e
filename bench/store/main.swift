// bench/store: the evidence store's ingest, chain verification and a simulated year of daily scans, printed as
// a table (not a test). This is a harness: it calls PortwardenStore directly, not the CLI. bench/README.md
// records the numbers and the machine's load.
//
//   swift build -c release --product portwarden-bench-store
//   .build/release/portwarden-bench-store [--days 365] [--ingest-days 5] [--verify-records 1000000]
//       [--postgres URL] [--keep DIR]
import Foundation
import PortwardenCore
import PortwardenStore

struct Options {
    static let usage = """
        usage: portwarden-bench-store [--days N] [--ingest-days N] [--verify-records N] [--postgres URL] [--keep DIR]
          --days N            simulated days of daily all-port scans of the /24 (default 365)
          --ingest-days N     daily scans timed for the ingest rows, per backend (default 5)
          --verify-records N  audit records written for the chain verification row (default 1000000)
          --dense N           open observations in the observation-heavy ingest rows (default 262144)
          --postgres URL      also time ingest into PostgreSQL (a scratch database is created and dropped)
          --keep DIR          leave the simulated year's SQLite store in DIR (a new directory) for
                              `portwarden log verify --db DIR/portwarden.sqlite --data-dir DIR`

        """

    var days = 365
    var verifyRecords = 1_000_000
    var postgres: String?
    var ingestDays = 5
    var keep: String?
    var dense = 262_144

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--days": days = iterator.next().flatMap { Int($0) } ?? days
            case "--verify-records": verifyRecords = iterator.next().flatMap { Int($0) } ?? verifyRecords
            case "--ingest-days": ingestDays = iterator.next().flatMap { Int($0) } ?? ingestDays
            case "--postgres": postgres = iterator.next()
            case "--keep": keep = iterator.next()
            case "--dense": dense = iterator.next().flatMap { Int($0) } ?? dense
            case "--help", "-h":
                print(Self.usage, terminator: "")
                exit(0)
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n\(Self.usage)".utf8))
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
    // 1. Observation ingest: daily all-port scans of the /24 (20 live hosts × 65,535 TCP ports).
    let sqlite = try BenchStores.sqlite(scratch + "/ingest")
    try IngestBench.run(store: sqlite, name: "SQLite", lab: lab, days: options.ingestDays, into: &table)
    try DenseIngestBench.run(store: sqlite, name: "SQLite", observations: options.dense, into: &table)
    try sqlite.close()
    if let url = options.postgres {
        let postgres = try BenchStores.postgres(url, directory: scratch + "/pg")
        try IngestBench.run(store: postgres.store, name: "PostgreSQL", lab: lab, days: options.ingestDays, into: &table)
        try DenseIngestBench.run(store: postgres.store, name: "PostgreSQL", observations: options.dense, into: &table)
        postgres.cleanup()
    } else {
        table.add("ingest PostgreSQL", "not run", "no --postgres URL")
    }
    // 2. Chain verification.
    let chain = try BenchStores.sqlite(scratch + "/chain")
    try VerifyBench.run(store: chain, records: options.verifyRecords, into: &table)
    try chain.close()
    // 3. A simulated year.
    let yearDirectory = options.keep ?? scratch + "/year"
    let year = try BenchStores.sqlite(yearDirectory)
    try YearBench.run(store: year, lab: lab, days: options.days, directory: yearDirectory, into: &table)
} catch {
    FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
    // exit does not run the top-level defer: remove the scratch directory here.
    try? FileManager.default.removeItem(atPath: scratch)
    exit(1)
}
print(table.render())
