import PortwardenPolicy

/// The policy loader (`PolicyLoader.parse`): byte checks, YAML composition, keys, cross-checks.
/// Every diagnostic must point inside the input (line 0 is the whole file).
enum PolicyTarget: FuzzTarget {
    static let name = "policy"

    static func run(_ input: [UInt8]) {
        let result = PolicyLoader.parse(input, file: "fuzz.yaml")
        // YAML counts a lone CR as a line break as well as LF and CRLF, and so do the loader's
        // diagnostics: count lines the same way.
        var lines = 1
        for (index, byte) in input.enumerated() {
            if byte == UInt8(ascii: "\n") { lines += 1 }
            if byte == UInt8(ascii: "\r"), index + 1 == input.count || input[index + 1] != UInt8(ascii: "\n") {
                lines += 1
            }
        }
        for diagnostic in result.diagnostics {
            FuzzCheck.require((0...lines).contains(diagnostic.line), "diagnostic outside the input: \(diagnostic)")
        }
        FuzzCheck.require(result.policy == nil || !result.hasErrors, "a policy came back with errors")
    }
}
