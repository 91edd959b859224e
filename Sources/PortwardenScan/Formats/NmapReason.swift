import PortwardenCore

/// nmap's reason names: `extrareasons` counts them in the plural (`resets`, `no-responses`), a
/// port in the singular (`reset`, `no-response`); some belong to one protocol only.
enum NmapReason {
    /// Plurals nmap writes that dropping a final `s` does not undo.
    static let irregular: [String: String] = [
        "port-unreaches": "port-unreach", "host-unreaches": "host-unreach", "net-unreaches": "net-unreach",
        "proto-unreaches": "proto-unreach", "echo-replies": "echo-reply", "conn-refused": "conn-refused",
        "no-responses": "no-response", "arp-responses": "arp-response", "nd-responses": "nd-response",
    ]

    /// The singular of a reason name (`resets` → `reset`); `nil` stays `nil`.
    static func singular(_ name: String?) -> String? {
        guard let name else { return nil }
        if let known = irregular[name] { return known }
        if name.hasSuffix("-unreaches") { return String(name.dropLast(2)) }
        if name.hasSuffix("s"), !name.hasSuffix("ss") { return String(name.dropLast()) }
        return name
    }

    /// The protocol a reason belongs to, when only one has it.
    static func transport(of name: String?) -> Transport? {
        switch singular(name) {
        case "reset", "conn-refused", "syn-ack", "rst", "syn-ack-ack": return .tcp
        case "port-unreach", "udp-response": return .udp
        default: return nil
        }
    }
}
