import PortwardenCore

/// Finds the JSON objects in masscan's incremental array (`[`, records separated by a `,` printed
/// before each record, maybe no final `]`) or in NDJSON, without parsing the whole file at once:
/// each object's byte range is handed out with its line and column for the per-record decoder.
struct JSONRecordFramer {
    enum Frame {
        case record(Range<Int>, XMLLocation)
        case problem(Diagnostic.Code, XMLLocation, String)
    }

    let bytes: [UInt8]
    let maxRecordBytes: Int
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(bytes: [UInt8], maxRecordBytes: Int) {
        self.bytes = bytes
        self.maxRecordBytes = maxRecordBytes
    }

    private var location: XMLLocation { XMLLocation(line: line, column: index - lineStart + 1) }

    /// The next record or problem; `nil` at the end of the input.
    mutating func next() -> Frame? {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ","), UInt8(ascii: "["),
                UInt8(ascii: "]"):
                index += 1
            case UInt8(ascii: "\n"):
                newline()
            case UInt8(ascii: "{"):
                return object()
            default:
                let start = location
                skipLine()
                return .problem(.malformed, start, "unexpected text outside a JSON record; rest of the line skipped")
            }
        }
        return nil
    }

    /// Reads one object by matching braces outside strings.
    private mutating func object() -> Frame {
        let start = location
        let first = index
        var depth = 0
        var inString = false
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            guard index - first < maxRecordBytes, depth <= 64 else {
                skipLine()
                return .problem(
                    .limitExceeded, start, "a JSON record is over \(maxRecordBytes) bytes or 64 levels deep")
            }
            if byte == UInt8(ascii: "\n") {
                if inString {  // a raw newline cannot be inside a JSON string: the record is broken
                    return .problem(.malformed, start, "a string in this JSON record is not closed on its line")
                }
                newline()
                continue
            }
            index += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return .record(first..<index, start) }
            }
        }
        return .problem(.truncated, start, "the input ends inside this JSON record (interrupted scan?); record skipped")
    }

    private mutating func newline() {
        index += 1
        line += 1
        lineStart = index
    }

    private mutating func skipLine() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }
}
