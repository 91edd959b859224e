import ArgumentParser
import PortwardenCore
import PortwardenScan

/// Options shared by `scan` and `audit` about the run itself rather than the engine.
struct RunOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Never probe these targets (addresses, prefixes, ranges, lists, @files; repeatable).")
    var exclude: [String] = []

    @Option(
        name: .long,
        help: "When stderr is not a terminal, print a progress line every this many seconds (default: none).")
    var statsEvery: Int?

    func validate() throws {
        if let statsEvery, statsEvery < 1 { throw ValidationError("--stats-every must be at least 1 second") }
    }

    /// The addresses `--exclude` names.
    func excludedAddresses() throws -> Set<IPAddress> {
        guard !exclude.isEmpty else { return [] }
        do { return Set(try TargetParser.parse(exclude)) } catch { throw CLIFailure.input("--exclude: \(error)") }
    }

    /// `--stats-every` as a duration.
    var statsInterval: Duration? { statsEvery.map { .seconds($0) } }
}
