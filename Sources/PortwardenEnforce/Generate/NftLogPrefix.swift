/// The fixed log prefixes of generated rulesets, which the netfilter log parser recognises
/// (docs/enforce.md, "Log prefixes"). Each ends in a space so the kernel's `IN=` follows cleanly.
public enum NftLogPrefix {
    /// Inbound traffic dropped on the way into `zone` (router: the destination zone; host: the host's zone).
    public static func drop(zone: String) -> String { "PW-DROP \(clean(zone)) " }
    /// Traffic to an address in no zone of the policy (router only).
    public static let dropUnzoned = "PW-DROP - "
    /// Outbound traffic of a CDE host dropped because no declared egress allows it.
    public static func dropEgress(zone: String) -> String { "PW-DROP-EGRESS \(clean(zone)) " }
    /// A new connection accepted only because of an exception.
    public static func exception(_ id: String) -> String { "PW-EXCEPTION \(clean(id)) " }

    /// The kernel keeps at most 127 bytes of prefix; ids are cut to 48 printable ASCII bytes
    /// without spaces so the fields stay parseable.
    static func clean(_ text: String) -> String {
        let bytes = text.utf8.prefix(48).map { byte -> UInt8 in
            (byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"")) ? byte : UInt8(ascii: "_")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
