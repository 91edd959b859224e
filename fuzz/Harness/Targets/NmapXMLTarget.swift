import PortwardenScan

/// nmap's XML output (`-oX`) through the XML tokenizer and the document reader.
enum NmapXMLTarget: FuzzTarget {
    static let name = "nmap-xml"

    static func run(_ input: [UInt8]) {
        let result = NmapXMLImporter.parse(input, source: "fuzz.xml", vantage: nil, maxObservations: 10_000)
        FuzzCheck.require(result.observations.count <= 10_000, "more observations than the cap")
    }
}
