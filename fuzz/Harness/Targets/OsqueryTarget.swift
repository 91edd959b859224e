import PortwardenHost

/// osquery results logs (`listening_ports` rows in event, snapshot and batch envelopes).
enum OsqueryTarget: FuzzTarget {
    static let name = "osquery"

    static func run(_ input: [UInt8]) {
        _ = OsqueryListenerImporter().parse(String(decoding: input, as: UTF8.self), file: "fuzz.log")
    }
}
