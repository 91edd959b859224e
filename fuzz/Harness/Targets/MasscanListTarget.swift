import PortwardenScan

/// masscan's list output (`-oL`).
enum MasscanListTarget: FuzzTarget {
    static let name = "masscan-list"

    static func run(_ input: [UInt8]) {
        let result = MasscanImporter.parseList(input, source: "fuzz.list", vantage: nil, maxObservations: 10_000)
        FuzzCheck.require(result.observations.count <= 10_000, "more observations than the cap")
    }
}
