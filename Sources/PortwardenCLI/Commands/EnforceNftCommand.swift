import ArgumentParser
import PortwardenCore
import PortwardenEnforce

/// `portwarden enforce nft`: print the nftables ruleset for a host or a router.
struct EnforceNftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nft",
        abstract: "Print the nftables ruleset that enforces the policy on one host or a router.",
        discussion: """
            The ruleset is one table, inet portwarden, replaced atomically when loaded: default drop (inbound, and \
            outbound for hosts in CDE zones except the declared egress), replies of allowed connections accepted, \
            each service allowed only from its allow-from (a named address set per zone), each exception that has \
            not expired as a rule of its own whose comment names its id and expiry, drops logged with the prefixes \
            PW-DROP <zone>, PW-DROP-EGRESS <zone> and PW-DROP - (docs/enforce.md), a counter on every rule. The same \
            policy gives the same bytes.

            Examples:
              portwarden enforce nft --policy policy.yaml --router > router.nft
              portwarden enforce nft --policy policy.yaml --host 10.20.1.10 -o db1.nft
              portwarden enforce nft --policy policy.yaml --router --at 2027-01-01
            """
    )

    @Option(name: .long, help: "The policy file (YAML).")
    var policy: String

    @OptionGroup var target: TargetOptions

    @Option(name: .shortAndLong, help: "Write the ruleset to this file instead of stdout.")
    var output: String?

    func validate() throws {
        if target.target == nil { throw ValidationError("give --host ADDRESS or --router") }
    }

    func run() async throws {
        let digested = try DigestedPolicy(path: policy)
        guard let selected = target.target else { throw CLIFailure.input("give --host ADDRESS or --router") }
        let generated: GeneratedRuleset
        do {
            generated = try digested.generator(at: target.moment).generate(for: selected)
        } catch {
            throw CLIFailure.input("\(policy): \(error)")
        }
        for exception in generated.expired {
            Terminal.writeError(
                "portwarden: exception \(exception.id) expired on \(exception.expires.map(\.description) ?? "-"); left out"
            )
        }
        if let output {
            try FileBytes.write(generated.text, to: output)
        } else {
            Terminal.write(generated.text)
        }
    }
}
