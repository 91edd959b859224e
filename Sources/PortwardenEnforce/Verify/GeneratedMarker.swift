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

    /// Finds the marker in ruleset text (`enforce nft` output), or in the lines a unified diff keeps
    /// or adds (context and `+` lines: the new file's), so that a recorded diff names its target.
    public static func find(inText text: String) -> GeneratedMarker? {
        let needle = Array("comment \"".utf8)
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "-") {
            let bytes = Array(line)
            guard bytes.count > needle.count else { continue }
            for start in 0...(bytes.count - needle.count)
            where bytes[start..<start + needle.count].elementsEqual(needle) {
                let comment = bytes[(start + needle.count)...].prefix { $0 != UInt8(ascii: "\"") }
                if let marker = parse(String(decoding: comment, as: UTF8.self)) { return marker }
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
