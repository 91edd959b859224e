import PortwardenPolicy

/// The policy loader (`PolicyLoader.parse`): byte checks, YAML composition, keys, cross-checks.
/// Every diagnostic must point inside the input (line 0 is the whole file).
enum PolicyTarget: FuzzTarget {
    static let name = "policy"

    static func run(_ input: [UInt8]) {
        let result = PolicyLoader.parse(input, file: "fuzz.yaml")
        let lines = input.count { $0 == UInt8(ascii: "\n") } + 1
        for diagnostic in result.diagnostics {
            FuzzCheck.require((0...lines).contains(diagnostic.line), "diagnostic outside the input: \(diagnostic)")
        }
        FuzzCheck.require(result.policy == nil || !result.hasErrors, "a policy came back with errors")
    }
}
