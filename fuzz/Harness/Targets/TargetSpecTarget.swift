import PortwardenScan

/// Scan target specifications (addresses, prefixes, ranges), one a line, with a small limit.
enum TargetSpecTarget: FuzzTarget {
    static let name = "target-spec"

    static func run(_ input: [UInt8]) {
        let specs = String(decoding: input, as: UTF8.self).split(separator: "\n").map(String.init)
        if let addresses = try? TargetParser.parse(specs, limit: 4096) {
            FuzzCheck.require(addresses.count <= 4096, "more addresses than the limit: \(addresses.count)")
        }
    }
}
