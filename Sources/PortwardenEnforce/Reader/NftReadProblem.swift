import PortwardenCore

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
    /// Every problem, as a Core ``Diagnostic``: `error` when the object was skipped, `warning` when
    /// it was read but part of its meaning is unknown.
    public var problems: [Diagnostic]
    /// The nftables version that wrote the JSON (`metainfo.version`), when present.
    public var writerVersion: String?
}
