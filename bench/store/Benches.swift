import Foundation
import PortwardenCore
import PortwardenStore

enum IngestBench {
    /// Ingests `days` daily scans; the first builds the intervals, the others mostly extend them. Rates
    /// count probe results (every covered port of every live host: open ones as observations, closed
    /// ones as coverage runs), which is what a scan hands the store; the note gives the open ones.
    static func run(
        store: any EvidenceStore, name: String, lab: SimulatedNetwork, days: Int, into table: inout BenchTable
    )
        throws
    {
        let start = Date(timeIntervalSince1970: 1_843_000_000)
        var first = 0.0
        var rest = 0.0
        var opened = 0
        for day in 0..<days {
            let scan = lab.scan(at: start.addingTimeInterval(Double(day) * 86400))
            let elapsed = try seconds { try store.record(scan) }
            if day == 0 { first = elapsed } else { rest += elapsed }
            if day > 0 { opened += scan.observations.count }
            lab.advance()
        }
        let perDay = lab.live.count * 65535
        table.add(
            "ingest \(name), first scan", rate(perDay, first),
            "\(perDay) probe results in \(String(format: "%.2f", first)) s, builds the intervals")
        if days > 1 {
            table.add(
                "ingest \(name), daily scans", rate(perDay * (days - 1), rest),
                "\(days - 1) scans × \(perDay) probe results (\(opened) open observations in all) in "
                    + "\(String(format: "%.2f", rest)) s, one transaction each")
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
        let cpuBefore = processCPUSeconds()
        let elapsed = try seconds { report = try ChainVerifier(store: store).verify() }
        let cpu = processCPUSeconds() - cpuBefore
        guard let report, report.isIntact else { throw StoreError(.backend, "the bench chain does not verify") }
        table.add(
            "chain verification (log verify)", rate(report.records, elapsed),
            "\(report.records) records + \(report.rows) rows, hashes, links, \(report.checkpoints) signatures, "
                + "row binding; \(String(format: "%.2f", cpu)) s CPU (\(rate(report.records, cpu)))")
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
        let probes = days * lab.live.count * 65535
        table.add(
            "simulated year: ingest", rate(probes, elapsed),
            "\(days) daily scans, \(probes) probe results (\(observations) open observations) in "
                + "\(String(format: "%.0f", elapsed)) s, building each scan included")
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
        // Closing the last connection checkpoints the WAL into the database file (a checkpoint cannot
        // run inside the write transaction `backend.write` opens: "database table is locked").
        try store.close()
        var bytes = 0
        for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + file)
            bytes += (attributes?[.size] as? Int) ?? 0
        }
        table.add(
            "simulated year: storage", String(format: "%.1f MB", Double(bytes) / 1e6),
            "data directory after \(days) days, store closed")
    }

    static func median(_ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<21 { times.append(try seconds(body)) }
        return times.sorted()[times.count / 2]
    }
}

enum DenseIngestBench {
    /// Ingests one scan in which every probed port answered: `observations` open observations on hosts of
    /// 10.30.0.0/16, 4,096 ports each, so that every observation is its own interval row; then the same
    /// scan again a day later (every row's `last_seen` moves). This is the observation path at its
    /// heaviest, where the daily /24 scans above carry a few dozen observations.
    static func run(
        store: any EvidenceStore, name: String, observations count: Int, into table: inout BenchTable
    ) throws {
        let start = Date(timeIntervalSince1970: 1_843_000_000)
        let hosts = max(1, count / 4096)
        for (day, label) in ["first", "repeated"].enumerated() {
            let date = start.addingTimeInterval(Double(day) * 86400)
            var observations: [Observation] = []
            observations.reserveCapacity(hosts * 4096)
            var coverage: [HostCoverage] = []
            for index in 0..<hosts {
                let host = IPAddress(ipv4: 0x0A1E_0000 | UInt32(index))
                var covered = HostCoverage(host: host, status: .up, method: .icmpEcho, reason: "echo-reply")
                for port in UInt16(1)...4096 {
                    covered.record(.tcp, port, .open, reason: "syn-ack")
                    observations.append(
                        Observation(
                            time: date, host: host, transport: .tcp, port: port, state: .open, reason: "syn-ack",
                            vantage: "corp"))
                }
                coverage.append(covered)
            }
            let scan = ScanEvidence(
                kind: "import", started: date, finished: date, operatorName: "bench", vantage: "corp",
                targets: ["10.30.0.0/16"], ports: "1-4096", parameters: [:], toolVersion: "bench",
                policyHash: nil, hosts: coverage, observations: observations)
            let cpuBefore = processCPUSeconds()
            let elapsed = try seconds { try store.record(scan) }
            let cpu = processCPUSeconds() - cpuBefore
            table.add(
                "ingest \(name), \(observations.count) open observations, \(label) scan",
                rate(observations.count, elapsed),
                "\(hosts) hosts × 4096 open ports in \(String(format: "%.2f", elapsed)) s wall, "
                    + "\(String(format: "%.2f", cpu)) s CPU (\(rate(observations.count, cpu))), one transaction")
        }
    }
}
