import PortwardenEnforce

/// The reader of deployed rulesets (`nft -j list ruleset`): any input is read as far as it goes or
/// refused as not nftables JSON, and every problem points inside the input.
enum NftJSONTarget: FuzzTarget {
    static let name = "nft-json"

    static func run(_ input: [UInt8]) {
        var limits = NftJSONReader.Limits()
        limits.maximumSetElements = 1000
        let result: NftReadResult
        do {
            result = try NftJSONReader.read(input, file: "fuzz.json", limits: limits)
        } catch {
            return
        }
        let lines = 1 + input.count { $0 == UInt8(ascii: "\n") }
        for problem in result.problems {
            FuzzCheck.require(
                (1...lines).contains(problem.line) && problem.column >= 1,
                "problem outside the input: \(problem)")
        }
    }
}
