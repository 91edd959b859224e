/// One libFuzzer target: a parser fed one input at a time.
///
/// A target is one small file in `fuzz/Harness/Targets/` with an enum conforming to this protocol,
/// listed once in ``FuzzTargets/all``. Its seed corpus is `fuzz/corpus/<name>/` and its optional
/// dictionary `fuzz/dict/<name>.dict` (docs/fuzzing.md).
///
/// `run` must return normally for every input: a trap (failed precondition, out-of-bounds index,
/// overflow, force unwrap), an AddressSanitizer report, a leak or a hang is a bug in the parser.
/// A target may also check a property of the result (a round trip, a location inside the input)
/// with ``FuzzCheck/require(_:_:)``, which fails like a crash.
protocol FuzzTarget: Sendable {
    /// The target's name on the command line (`scripts/fuzz.sh NAME`), lower-case with dashes.
    static var name: String { get }

    /// Feeds one input to the parser.
    static func run(_ input: [UInt8])
}
