/// The observation JSON-lines format of `scan --format json`, `inventory --format json`,
/// `import` and `check --observations` (documented field by field in docs/formats.md): one
/// compact object per line, keys in a fixed order. The one writer; ``ObservationLineReader`` is
/// the one reader.
public enum ObservationLines {
    /// Reads a whole buffer. Broken lines are reported with their line and column and the rest is
    /// kept; blank lines and lines starting with `#` are skipped.
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - source: the file name for diagnostics.
    /// - Returns: the valid observations in file order, and one diagnostic per broken line.
    public static func read(_ bytes: [UInt8], source: String) -> (observations: [Observation], problems: [Diagnostic]) {
        var reader = ObservationLineReader(source: source)
        var observations: [Observation] = []
        var problems: [Diagnostic] = []
        let collect: (ObservationLineReader.Item) -> Void = { item in
            switch item {
            case .line(let line): observations.append(line.observation())
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
                JSONString.append(version, to: &output)
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
            JSONString.append(name, to: &output)
            output.append(":")
            JSONString.append(values[name] ?? "", to: &output)
        }
        output.append("}")
    }

    private static func field(_ key: String, _ value: String?, into output: inout String) {
        output.append(",\"\(key)\":")
        if let value { JSONString.append(value, to: &output) } else { output.append("null") }
    }
}
