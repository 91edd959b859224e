import PortwardenCore

/// A ruleset generated from the policy: the nftables text to load and the table it describes.
public struct GeneratedRuleset: Sendable {
    public let target: EnforcementTarget
    /// The `inet portwarden` table as the kernel will list it (without handles).
    public let table: NftTable
    /// The file for `nft -f`: a header, then an atomic replacement of the table. Rendered when asked
    /// for: `verify` compares tables and never needs the text.
    public var text: String { generator.render(table, target: target) }
    /// Exceptions left out because they had expired at the plan's moment.
    public let expired: [PolicyException]
    /// The comment of the first rule, naming the target and the policy digest.
    public let marker: String
    let generator: NftRulesetGenerator
}
