import PortwardenHost

/// `ss -H -ltunp` listings.
enum SSTarget: FuzzTarget {
    static let name = "ss"

    static func run(_ input: [UInt8]) {
        _ = SSListenerImporter().parse(String(decoding: input, as: UTF8.self), file: "fuzz.txt")
    }
}
