/// The service extensions an SMTP server announces in its `EHLO` reply (RFC 5321 section 4.1.1.1):
/// whether it offers `STARTTLS` and which `AUTH` mechanisms it takes on this (cleartext) connection.
struct SMTPExtensions: Sendable, Equatable {
    /// `STARTTLS` is announced (RFC 3207).
    var startTLS: Bool
    /// The SASL mechanisms of the `AUTH` keyword (RFC 4954), upper-cased, in the server's order;
    /// empty when `AUTH` is not announced.
    var authMechanisms: [String]

    /// The mechanisms that carry the password itself, readable to anyone on the path without TLS.
    static let cleartextMechanisms: Set<String> = ["PLAIN", "LOGIN"]

    /// The announced mechanisms that send the password readably.
    var cleartextAuthMechanisms: [String] { authMechanisms.filter(Self.cleartextMechanisms.contains) }

    /// Parses a complete `250` reply to `EHLO`; `nil` for anything else (a `5xx`, an incomplete reply).
    /// The old `AUTH=PLAIN LOGIN` form some servers still send is read as `AUTH`.
    static func parse(_ reply: [UInt8]) -> SMTPExtensions? {
        guard PortProbe.replyIsComplete(reply), PortProbe.finalReplyCode(reply) == 250 else { return nil }
        var extensions = SMTPExtensions(startTLS: false, authMechanisms: [])
        // The first line greets; each later line is `250-KEYWORD params` or `250 KEYWORD params`.
        for line in DetectionText.lines(reply).dropFirst() where line.count > 4 {
            let words = line.dropFirst(4).uppercased().split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            if keyword == "STARTTLS" {
                extensions.startTLS = true
            } else if keyword == "AUTH" || keyword.hasPrefix("AUTH=") {
                var mechanisms = Array(words.dropFirst())
                if keyword.hasPrefix("AUTH="), keyword.count > 5 {
                    mechanisms.insert(String(keyword.dropFirst(5)), at: 0)
                }
                for mechanism in mechanisms where !extensions.authMechanisms.contains(mechanism) {
                    extensions.authMechanisms.append(mechanism)
                }
            }
        }
        return extensions
    }
}
