import PortwardenCore

/// The marker comment a generated ruleset carries on its first rule
/// (`portwarden router sha256:…`, `portwarden host 10.90.3.10 sha256:…`), read back from a
/// deployed ruleset to learn what it was generated for.
public struct GeneratedMarker: Hashable, Sendable {
    public var target: EnforcementTarget
    /// The digest prefix the marker names (`sha256:` and 16 hex digits).
    public var digest: String

    /// Finds the marker in the deployed `inet portwarden` table.
    public static func find(in ruleset: NftRuleset) -> GeneratedMarker? {
        guard let table = ruleset.table(family: "inet", name: NftRulesetGenerator.tableName) else { return nil }
        for chain in table.chains where chain.binding != nil {
            for rule in chain.rules {
                if let comment = rule.comment, let marker = parse(comment) { return marker }
            }
        }
        return nil
    }

    static func parse(_ comment: String) -> GeneratedMarker? {
        let words = comment.split(separator: " ").map(String.init)
        guard words.first == NftRulesetGenerator.markerPrefix, words.count >= 3 else { return nil }
        if words[1] == "router" { return GeneratedMarker(target: .router, digest: words[2]) }
        if words[1] == "host", words.count >= 4, let address = IPAddress(words[2]) {
            return GeneratedMarker(target: .host(address), digest: words[3])
        }
        return nil
    }
}
