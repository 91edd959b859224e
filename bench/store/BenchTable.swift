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

func rate(_ count: Int, _ seconds: Double) -> String {
    let perSecond = Double(count) / max(seconds, 1e-9)
    return perSecond >= 1e6 ? String(format: "%.2fM/s", perSecond / 1e6) : String(format: "%.0fk/s", perSecond / 1e3)
}
