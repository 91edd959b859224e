import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The observation JSON-lines format of `scan --format json`, `inventory` and
/// `check --observations`: one compact object per line, keys in a fixed order.
public enum ObservationLines {
    /// Reads a whole file's bytes. Broken lines are reported with their line number and the rest
    /// is kept; blank lines and lines starting with `#` are skipped.
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - source: the file name for problem reports.
    /// - Returns: the valid observations in file order, and one problem per broken line.
    public static func read(_ bytes: [UInt8], source: String) -> (observations: [Observation], problems: [LineProblem])
    {
        var reader = ObservationLineReader(source: source)
        var observations: [Observation] = []
        var problems: [LineProblem] = []
        let collect: (ObservationLineReader.Item) -> Void = { item in
            switch item {
            case .observation(let observation): observations.append(observation)
            case .problem(let problem): problems.append(problem)
            }
        }
        reader.feed(bytes, collect)
        reader.finish(collect)
        return (observations, problems)
    }

    /// Writes observations, one compact JSON object per line (each line ends with a newline).
    ///
    /// Keys come in this order: `time`, `host`, `transport`, `port`, `state`, `reason`, `source`,
    /// `vantage`, `service`, `tls`, `process` (written as `null` when absent), then the host-view
    /// keys `bind`, `bind_address`, `namespace`, `user`, `unit`, `container`, `handshakes`, and
    /// `source_address`, `product`, `version`, `details` only when present.
    public static func write(_ observations: [Observation]) -> String {
        var output = ""
        output.reserveCapacity(observations.count * 180)
        for observation in observations {
            line(observation, into: &output)
            output.append("\n")
        }
        return output
    }

    /// Appends one observation's JSON object (without a newline).
    public static func line(_ o: Observation, into output: inout String) {
        output.append("{\"time\":\"\(Timestamp.format(o.time))\",\"host\":\"\(o.host)\"")
        output.append(",\"transport\":\"\(o.transport.rawValue)\",\"port\":\(o.port),\"state\":\"\(o.state.rawValue)\"")
        field("reason", o.reason, into: &output)
        field("source", o.source.rawValue, into: &output)
        field("vantage", o.vantage, into: &output)
        field("service", o.service, into: &output)
        output.append(",\"tls\":")
        if let tls = o.tls {
            output.append("[")
            for (index, version) in tls.enumerated() {
                if index > 0 { output.append(",") }
                quote(version, into: &output)
            }
            output.append("]")
        } else {
            output.append("null")
        }
        field("process", o.process, into: &output)
        if let bind = o.bind { field("bind", bind.rawValue, into: &output) }
        if let address = o.bindAddress { field("bind_address", address.description, into: &output) }
        for (key, value) in [
            ("namespace", o.namespace), ("user", o.user), ("unit", o.unit), ("container", o.container),
        ]
        where value != nil {
            field(key, value, into: &output)
        }
        if let handshakes = o.handshakes { map("handshakes", handshakes, into: &output) }
        if let address = o.sourceAddress { field("source_address", address.description, into: &output) }
        if let product = o.product { field("product", product, into: &output) }
        if let version = o.version { field("version", version, into: &output) }
        if let details = o.details { map("details", details, into: &output) }
        output.append("}")
    }

    /// Appends `,"key":{…}` with the entries in key order.
    private static func map(_ key: String, _ values: [String: String], into output: inout String) {
        output.append(",\"\(key)\":{")
        for (index, name) in values.keys.sorted().enumerated() {
            if index > 0 { output.append(",") }
            quote(name, into: &output)
            output.append(":")
            quote(values[name] ?? "", into: &output)
        }
        output.append("}")
    }

    private static func field(_ key: String, _ value: String?, into output: inout String) {
        output.append(",\"\(key)\":")
        if let value { quote(value, into: &output) } else { output.append("null") }
    }

    /// Appends `text` as a JSON string literal.
    static func quote(_ text: String, into output: inout String) {
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }
}
