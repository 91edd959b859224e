import PortwardenCore
import PortwardenPolicy
import PortwardenReport
import PortwardenScan

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a run's evidence goes: a new dated directory under `--report DIR` for every run (the last
/// report is never overwritten), holding the findings, the HTML report, the observations, the
/// per-host port-state ranges and the 1.2.5 table as CSV; `DIR/latest` points at the newest.
/// `audit` and `check --report` both write through this one type.
struct ReportDirectory {
    /// The `--report` directory.
    var root: String

    /// The files one run writes, relative to its dated directory.
    static let files = [
        "findings.json", "report.html", "observations.jsonl", "port-states.jsonl", "allowed-services-1.2.5.csv",
    ]

    /// `2026-12-01T101530Z`: the run's time, sortable, safe in a path.
    static func name(for date: Date) -> String {
        Timestamp.format(date).filter { $0 != ":" }
    }

    /// Writes every file of the run into a new dated directory and returns the paths written.
    func write(_ context: AuditContext) throws -> [String] {
        try FileBytes.makeDirectory(root)
        let directory = try freshDirectory(for: context.generatedAt)
        var written: [String] = []
        func put(_ name: String, _ text: String) throws {
            let path = directory + "/" + name
            try FileBytes.write(text, to: path)
            written.append(path)
        }
        try put("findings.json", FindingsJSON.render(context))
        try put("report.html", HTMLReport.render(context))
        // Open ports (and a host's own open|filtered listeners) in full; closed and filtered ports as ranges.
        let listeners = context.observations.filter {
            $0.state == .open || $0.source == .host || $0.state == .openFiltered
        }
        try put("observations.jsonl", ObservationLines.write(listeners))
        let coverage = context.coverage
        try put("port-states.jsonl", coverage.hosts.map(Self.rangeLine).joined())
        try put("allowed-services-1.2.5.csv", AllowedServicesCSV.render(context.policy))
        let latest = root + "/latest"
        unlink(latest)
        _ = symlink(String(directory.split(separator: "/").last ?? ""), latest)
        return written
    }

    /// A new directory named after the run's time; `-2`, `-3`, … when that name is taken.
    private func freshDirectory(for date: Date) throws -> String {
        let base = root + "/" + Self.name(for: date)
        var candidate = base
        var suffix = 2
        while mkdir(candidate, 0o755) != 0 {
            guard errno == EEXIST, suffix < 1000 else {
                throw CLIFailure.input(
                    "cannot create report directory \(candidate): \(FileBytes.lastError(path: candidate))")
            }
            candidate = base + "-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    /// One host's probed ports as runs: `{"host":"10.20.1.12","transport":"tcp","ports":"1-22","state":"closed",…}`.
    static func rangeLine(_ host: HostCoverage) -> String {
        var out = ""
        for range in host.ranges {
            out +=
                "{\"host\":\"\(host.host)\",\"transport\":\"\(range.transport.rawValue)\",\"ports\":\"\(range.ports)\""
            out += ",\"state\":\"\(range.state.rawValue)\""
            if let reason = range.reason { out += ",\"reason\":\(JSONString.quoted(reason))" }
            out += "}\n"
        }
        return out
    }
}
