import ArgumentParser
import PortwardenCore
import PortwardenEnforce

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--host ADDRESS | --router` and `--at TIME`, shared by `enforce nft` and `enforce verify`.
struct TargetOptions: ParsableArguments {
    @Option(name: .long, help: "Generate for this host: its input (and, in a CDE zone, its output).")
    var host: String?

    @Flag(name: .long, help: "Generate for a router between the zones: its forward path.")
    var router = false

    @Option(
        name: .long, help: "Render as of this time (RFC 3339 or YYYY-MM-DD): exceptions expired by then are left out.")
    var at: String?

    func validate() throws {
        if host != nil, router { throw ValidationError("give either --host ADDRESS or --router, not both") }
        if let host, IPAddress(host) == nil { throw ValidationError("--host \(host) is not an IP address") }
        if let at, Timestamp.parse(at) == nil {
            throw ValidationError("--at \"\(at)\" is not an RFC 3339 time such as 2027-01-15T00:00:00Z")
        }
    }

    /// The target, or `nil` when neither flag was given.
    var target: EnforcementTarget? {
        if router { return .router }
        return host.flatMap(IPAddress.init).map { .host($0) }
    }

    var moment: Date { at.flatMap { Timestamp.parse($0) } ?? Date() }
}

/// The policy file read once: the loaded policy and the digest of its bytes.
struct DigestedPolicy {
    let policy: Policy
    let digest: String
    let lines: [String: Int]

    init(path: String) throws {
        let (policy, lines) = try PolicyInput.loadWithLines(path)
        self.policy = policy
        self.lines = lines
        self.digest = "sha256:" + SHA256.hex(try InputFile.read(path))
    }

    func generator(at moment: Date) -> NftRulesetGenerator {
        NftRulesetGenerator(
            plan: FlowPlan(policy: policy, at: moment), policyDigest: digest, toolVersion: PortwardenVersion.current)
    }
}
