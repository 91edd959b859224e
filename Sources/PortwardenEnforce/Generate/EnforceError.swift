/// Why a ruleset could not be generated, verified or applied.
public struct EnforceError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// `--host` names an address that no zone of the policy contains.
        case hostInNoZone = "host-in-no-zone"
        /// The ruleset file is not nftables JSON at all.
        case notNftJSON = "not-nft-json"
        /// A segmentation test with nothing, or too much, to probe.
        case tooManyTargets = "segmentation-targets"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
