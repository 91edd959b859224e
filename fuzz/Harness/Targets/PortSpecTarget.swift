import PortwardenScan

/// Port specifications (`22,80-90,top-100`, …); the ports come back sorted, each once, none of them 0.
enum PortSpecTarget: FuzzTarget {
    static let name = "port-spec"

    static func run(_ input: [UInt8]) {
        guard let ports = try? PortList.parse(String(decoding: input, as: UTF8.self)) else { return }
        FuzzCheck.require(!ports.isEmpty, "a port list that parses names no port")
        // Strictly increasing from 1 is sorted with no port twice, checked in one pass: a `Set` of up
        // to 65,535 ports per input (`-` is all of them) was most of this target's time.
        var previous: UInt16 = 0
        for port in ports {
            FuzzCheck.require(port > previous, "port \(port) after \(previous): unsorted, listed twice, or 0")
            previous = port
        }
    }
}
