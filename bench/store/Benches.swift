import Foundation
import PortwardenCore
import PortwardenStore

enum IngestBench {
    /// Ingests `days` daily scans; the first builds the intervals, the others mostly extend them.
    static func run(
        store: any EvidenceStore, name: String, lab: SimulatedNetwork, days: Int, into table: inout BenchTable
    )
        throws
    {
        let start = Date(timeIntervalSince1970: 1_843_000_000)
        var first = 0.0
        var rest = 0.0
        var count = 0
        for day in 0..<days {
            let scan = lab.scan(at: start.addingTimeInterval(Double(day) * 86400))
            let elapsed = try seconds { try store.record(scan) }
            if day == 0 { first = elapsed } else { rest += elapsed }
            if day > 0 { count += scan.observations.count }
            lab.advance()
        }
        let perDay = lab.live.count * 65535
        table.add("ingest \(name), first scan", rate(perDay, first), "\(perDay) observations, builds the intervals")
        if days > 1 {
            table.add(
                "ingest \(name), daily scans", rate(count, rest),
                "\(days - 1) scans × \(perDay) observations, one transaction each")
        }
    }
}

enum VerifyBench {
    /// Writes `records` audit records (flow-event rows, 10,000 per transaction) and verifies the store.
    static func run(store: any EvidenceStore, records: Int, into table: inout BenchTable) throws {
        let batch = 10_000
        var written = 0
        let base = StoreClock.micros(Date(timeIntervalSince1970: 1_843_000_000))
        while written < records {
            let n = min(batch, records - written)
            try store.write(at: base + Int64(written)) { writer in
                for i in 0..<n {
                    try writer.insert(
                        StoreSchema.flowEvents,
                        [
                            .integer(base + Int64(written + i)), .text("netfilter"),
                            .blob([4, 10, 20, 1, UInt8(i & 0xFF)]),
                            .blob([4, 10, 20, 2, 10]), .text("tcp"), .integer(Int64(i % 65535)), .text("accept"), .null,
                        ])
                }
            }
            written += n
        }
        var report: VerificationReport?
        let elapsed = try seconds { report = try ChainVerifier(store: store).verify() }
        guard let report, report.isIntact else { throw StoreError(.backend, "the bench chain does not verify") }
        table.add(
            "chain verification (log verify)", rate(report.records, elapsed),
            "\(report.records) records + \(report.rows) rows, hashes, links, \(report.checkpoints) signatures, row binding"
        )
    }
}

enum YearBench {
    static func run(
        store: any EvidenceStore, lab: SimulatedNetwork, days: Int, directory: String, into table: inout BenchTable
    ) throws {
        let start = Date(timeIntervalSince1970: 1_843_000_000)
        var observations = 0
        let elapsed = try seconds {
            for day in 0..<days {
                let scan = lab.scan(at: start.addingTimeInterval(Double(day) * 86400))
                observations += scan.observations.count
                try store.record(scan)
                lab.advance()
            }
        }
        table.add(
            "simulated year: ingest", rate(observations, elapsed),
            "\(days) daily scans, \(observations) observations in \(String(format: "%.0f", elapsed)) s")
        try store.backend.write { session in try session.execute("PRAGMA wal_checkpoint(TRUNCATE)", []) }
        var bytes = 0
        for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + file)
            bytes += (attributes?[.size] as? Int) ?? 0
        }
        table.add(
            "simulated year: storage", String(format: "%.1f MB", Double(bytes) / 1e6),
            "data directory after \(days) days")
        let target = lab.live[2]
        var found: PortInterval?
        let lastOpen = try median {
            found = try store.lastOpen(host: target, transport: .tcp, port: 22)
        }
        table.add(
            "query: when was tcp/22 on \(target) last open", String(format: "%.2f ms", lastOpen * 1000),
            "median of 21; vantage \(found?.vantage ?? "none")")
        var opened: [PortInterval] = []
        let since = StoreClock.micros(start.addingTimeInterval(Double(days / 2) * 86400))
        let openedSince = try median {
            opened = try store.openedSince([Prefix("10.20.1.0/24")!], since: since)
        }
        table.add(
            "query: ports opened in the /24 since day \(days / 2)", String(format: "%.2f ms", openedSince * 1000),
            "median of 21; \(opened.count) ports")
    }

    static func median(_ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<21 { times.append(try seconds(body)) }
        return times.sorted()[times.count / 2]
    }
}
