import ArgumentParser
import PortwardenCore

/// `portwarden enforce …`: the configured plane — generate, load and verify nftables rulesets.
struct EnforceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enforce",
        abstract: "Generate nftables rulesets from the policy, load them, and verify what a host really allows.",
        discussion: """
            The whole story (docs/enforce.md):
              portwarden enforce nft --policy policy.yaml --router > router.nft
              portwarden enforce apply router.nft --dry-run
              portwarden enforce apply router.nft
              portwarden enforce verify --policy policy.yaml
              portwarden enforce history          # every recorded load with its change record
            """,
        subcommands: [
            EnforceNftCommand.self, EnforceApplyCommand.self, EnforceVerifyCommand.self, EnforceHistoryCommand.self,
        ]
    )
}
