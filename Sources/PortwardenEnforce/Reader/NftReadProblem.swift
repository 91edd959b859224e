import PortwardenCore

/// Something in a deployed ruleset the reader could not take in fully, with where it is.
public struct NftReadProblem: Hashable, Sendable, CustomStringConvertible {
    /// `error`: the object was skipped; `warning`: it was read, but part of its meaning is unknown.
    public enum Level: String, Hashable, Sendable {
        case error
        case warning
    }

    public var file: String
    public var location: NftLocation
    public var level: Level
    public var message: String

    public init(file: String, location: NftLocation, level: Level, message: String) {
        self.file = file
        self.location = location
        self.level = level
        self.message = message
    }

    /// The problem as the one located diagnostic type.
    public var diagnostic: Diagnostic {
        Diagnostic(
            file: file, line: location.line, column: location.column, level: level == .error ? .error : .warning,
            message: message)
    }

    /// `file:line:column: level: message`.
    public var description: String { diagnostic.description }
}

/// Offsets into the input turned into 1-based lines and columns.
struct LineIndex {
    private var starts: [Int] = [0]

    init(_ bytes: [UInt8]) {
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
    }

    func location(_ offset: Int) -> NftLocation {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) >> 1
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return NftLocation(line: low + 1, column: offset - starts[low] + 1)
    }
}

/// What the reader made of a ruleset: the model, and every problem it met.
public struct NftReadResult: Sendable {
    public var ruleset: NftRuleset
    public var problems: [NftReadProblem]
    /// The nftables version that wrote the JSON (`metainfo.version`), when present.
    public var writerVersion: String?
}
