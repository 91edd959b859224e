import PortwardenCore

/// An incremental JSON-lines reader: feed it chunks of any size as they are read from a file or
/// standard input, and it hands back each complete line's observation or problem. Memory stays
/// bounded by the longest line (at most 1 MiB; longer lines are skipped and reported).
public struct ObservationLineReader {
    /// One line's outcome.
    public enum Item: Sendable, Hashable {
        /// A valid observation.
        case observation(Observation)
        /// A line that could not be used.
        case problem(LineProblem)
    }

    /// Lines longer than this are problems, not observations.
    public static let maximumLineLength = 1 << 20

    /// The file name used in problem reports.
    public let source: String
    private let parser = ObservationLineParser()
    private var pending: [UInt8] = []
    private var lineNumber = 0
    private var overlong = false

    /// Creates a reader.
    /// - Parameter source: the file name for problem reports (`-` for standard input).
    public init(source: String) {
        self.source = source
    }

    /// Consumes a chunk and calls `body` for every line it completes.
    public mutating func feed(_ bytes: some Collection<UInt8>, _ body: (Item) -> Void) {
        for byte in bytes {
            if byte == 0x0A {
                endLine(body)
            } else if !overlong {
                if pending.count >= Self.maximumLineLength {
                    overlong = true
                    pending.removeAll(keepingCapacity: false)
                } else {
                    pending.append(byte)
                }
            }
        }
    }

    /// Ends the input: a last line without a newline is processed.
    public mutating func finish(_ body: (Item) -> Void) {
        if !pending.isEmpty || overlong { endLine(body) }
    }

    private mutating func endLine(_ body: (Item) -> Void) {
        lineNumber += 1
        defer {
            pending.removeAll(keepingCapacity: pending.count <= 65536)
            overlong = false
        }
        if overlong {
            body(.problem(problem("line is longer than 1 MiB; skipped")))
            return
        }
        do {
            if let observation = try parser.parse(pending[...]) { body(.observation(observation)) }
        } catch {
            body(.problem(problem(error.message)))
        }
    }

    private func problem(_ message: String) -> LineProblem {
        LineProblem(file: source, line: lineNumber, message: message)
    }
}
