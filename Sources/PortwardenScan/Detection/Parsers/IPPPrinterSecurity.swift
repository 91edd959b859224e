/// How a printer says its URIs are secured: `printer-uri-supported`, `uri-security-supported` and
/// `uri-authentication-supported` are parallel lists, one entry per URI (RFC 8011, sections
/// 5.4.1–5.4.3). Security `none` is a URI served without TLS; authentication `none` or
/// `requesting-user-name` (the client's claimed name, trusted as given) is no authentication at
/// all, whatever the transport; `basic` and `digest` are a password, which a URI without TLS
/// carries readably.
struct IPPPrinterSecurity: Equatable, Sendable {
    /// One printer URI and how it is secured and authenticated (`nil` where the list was short).
    struct Endpoint: Equatable, Sendable {
        var uri: String
        var security: String?
        var authentication: String?
    }

    var endpoints: [Endpoint]

    /// The printer's URIs from a response; `nil` when it lists none (an error status, or a
    /// destination that does not exist).
    init?(_ response: IPPMessage.Response) {
        let uris = response.values("printer-uri-supported")
        guard !uris.isEmpty else { return nil }
        let security = response.values("uri-security-supported")
        let authentication = response.values("uri-authentication-supported")
        endpoints = uris.prefix(16).enumerated().map { index, uri in
            Endpoint(
                uri: uri, security: index < security.count ? security[index] : nil,
                authentication: index < authentication.count ? authentication[index] : nil)
        }
    }

    /// The URIs served without TLS: security `none`, or no security value and an `ipp://` URI.
    var cleartext: [Endpoint] {
        endpoints.filter { endpoint in
            if let security = endpoint.security { return security.lowercased() == "none" }
            return endpoint.uri.lowercased().hasPrefix("ipp://") || endpoint.uri.lowercased().hasPrefix("http://")
        }
    }

    /// Authentication values that are no authentication at all.
    static let noAuthentication: Set<String> = ["none", "requesting-user-name"]
    /// Authentication values that send a password.
    static let passwords: Set<String> = ["basic", "digest"]

    /// Whether some URI takes requests with no authentication at all, over TLS or not; `nil` when
    /// no URI names its authentication.
    var anonymous: Bool? {
        let methods = endpoints.compactMap { $0.authentication?.lowercased() }
        return methods.isEmpty ? nil : methods.contains(where: Self.noAuthentication.contains)
    }

    /// Whether some cleartext URI asks a password; `nil` when no cleartext URI names its
    /// authentication.
    var cleartextCredentials: Bool? {
        let methods = cleartext.compactMap { $0.authentication?.lowercased() }
        return methods.isEmpty ? nil : methods.contains(where: Self.passwords.contains)
    }

    /// The URIs as evidence: `ipp://host:631/printers/lab (security none, authentication requesting-user-name)`.
    var describe: String {
        endpoints.map { endpoint in
            "\(endpoint.uri) (security \(endpoint.security ?? "not given"), "
                + "authentication \(endpoint.authentication ?? "not given"))"
        }.joined(separator: "; ")
    }
}
