import Foundation

/// A three-column result table.
struct BenchTable {
    var rows: [(String, String, String)] = []

    mutating func add(_ name: String, _ value: String, _ note: String = "") {
        rows.append((name, value, note))
        FileHandle.standardError.write(Data("\(name): \(value) \(note)\n".utf8))
    }

    func render() -> String {
        var out = "| measurement | result | note |\n|---|---:|---|\n"
        for row in rows { out += "| \(row.0) | \(row.1) | \(row.2) |\n" }
        return out
    }
}

/// Wall-clock seconds of `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// CPU seconds (user and system, every thread) this process has used so far: beside wall time, so that a
/// row measured on a busy machine still says what the work itself cost.
func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func rate(_ count: Int, _ seconds: Double) -> String {
    let perSecond = Double(count) / max(seconds, 1e-9)
    return perSecond >= 1e6 ? String(format: "%.2fM/s", perSecond / 1e6) : String(format: "%.0fk/s", perSecond / 1e3)
}
