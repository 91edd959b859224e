import PortwardenCore

/// The verdict strings of `Observation.handshakes` (`docs/rules.md`): `confirmed`, `not-matched`
/// and `tls-available`, each optionally followed by a detail in parentheses that the finding keeps
/// as evidence (`confirmed (security types 1, 2)`).
public enum HandshakeResult: String, Sendable, CaseIterable {
    /// The handshake predicate matched: the insecure service is really there.
    case confirmed
    /// The handshake proved another protocol or a secure configuration.
    case notMatched = "not-matched"
    /// The service offers TLS (STARTTLS, STLS, `S` to an SSLRequest, CLIENT_SSL) but refusing
    /// cleartext was not shown.
    case tlsAvailable = "tls-available"
    /// Anything else: ignored.
    case other = ""

    /// Splits `confirmed (detail)` into the verdict and the detail.
    public static func parse(_ text: String) -> (HandshakeResult, String?) {
        var head = Substring(text)
        var detail: String?
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            head = text[..<open]
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            detail = inner.isEmpty ? nil : String(inner)
        }
        while head.last == " " { head = head.dropLast() }
        guard let verdict = HandshakeResult(rawValue: String(head)), verdict != .other else { return (.other, nil) }
        return (verdict, detail)
    }

    /// `confirmed (detail)`, or the bare verdict.
    public static func format(_ verdict: HandshakeResult, detail: String? = nil) -> String {
        guard let detail, !detail.isEmpty else { return verdict.rawValue }
        return "\(verdict.rawValue) (\(detail))"
    }
}
