@testable import PortwardenPolicy

/// The byte-level checks that run before YAML composition (size, UTF-8, NUL, depth, anchors).
enum YAMLPreflightTarget: FuzzTarget {
    static let name = "yaml-preflight"

    static func run(_ input: [UInt8]) {
        _ = YAMLPreflight.check(input, limits: PolicyLimits(), file: "fuzz.yaml")
    }
}
