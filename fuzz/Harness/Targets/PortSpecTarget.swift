import PortwardenScan

/// Port specifications (`22,80-90,top-100`, …); every port returned is listed once.
enum PortSpecTarget: FuzzTarget {
    static let name = "port-spec"

    static func run(_ input: [UInt8]) {
        guard let ports = try? PortList.parse(String(decoding: input, as: UTF8.self)) else { return }
        FuzzCheck.require(Set(ports).count == ports.count, "a port is listed twice")
    }
}
