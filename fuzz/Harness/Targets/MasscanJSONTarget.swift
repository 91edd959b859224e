import PortwardenScan

/// masscan's JSON array (`-oJ`) and NDJSON output.
enum MasscanJSONTarget: FuzzTarget {
    static let name = "masscan-json"

    static func run(_ input: [UInt8]) {
        let result = MasscanImporter.parseJSON(input, source: "fuzz.json", vantage: nil, maxObservations: 10_000)
        FuzzCheck.require(result.observations.count <= 10_000, "more observations than the cap")
    }
}
