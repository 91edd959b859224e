/// The keys of the last line the parser read, in their order, each as the exact bytes from its
/// opening quote to the colon after it (`"time":`), with the field the key names.
///
/// The lines of one file come from one writer and list the same keys in the same order, so the
/// parser first compares the bytes at its position with the key the shape predicts there: on a
/// match it knows the field without scanning the key as a JSON string and dispatching on its text.
/// Any difference (another key, whitespace before the colon, a shorter line) falls back to the
/// general path for the rest of the line, which then becomes the new shape. The bytes compared are
/// the bytes the general path would have read, so both paths give the same field and position.
/// (The words are little-endian, as on every platform the project builds for.)
struct ObservationLineShape {
    /// One key's pattern as three little-endian words and the masks of its bytes: a pattern is
    /// compared with three loads, whatever its length (at most 24 bytes; longer keys end the shape).
    private struct Pattern {
        var words: (UInt64, UInt64, UInt64)
        var masks: (UInt64, UInt64, UInt64)
        var length: Int
        var field: ObservationLineField
    }

    /// The longest key pattern kept, quotes and colon included.
    static let maximumPattern = 24

    private var patterns: [Pattern] = []

    /// How many keys the shape predicts.
    var count: Int { patterns.count }

    /// The field of key `index` when the bytes of `scanner` at its position are that key's pattern;
    /// the scanner then stands after the colon. Needs 24 readable bytes at the position (a key near
    /// the end of a line takes the general path).
    @inline(__always)
    func match(_ index: Int, _ scanner: inout JSONByteScanner) -> ObservationLineField? {
        guard index < patterns.count else { return nil }
        let position = scanner.position
        guard position + Self.maximumPattern <= scanner.bytes.count else { return nil }
        let pattern = patterns[index]
        let bytes = scanner.bytes
        let difference =
            ((bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self) ^ pattern.words.0) & pattern.masks.0)
            | ((bytes.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self) ^ pattern.words.1)
                & pattern.masks.1)
            | ((bytes.loadUnaligned(fromByteOffset: position + 16, as: UInt64.self) ^ pattern.words.2)
                & pattern.masks.2)
        guard difference == 0 else { return nil }
        scanner.position = position + pattern.length
        return pattern.field
    }

    /// The first `count` keys of this shape.
    func prefix(_ count: Int) -> ObservationLineShape {
        var shape = ObservationLineShape()
        shape.patterns = Array(patterns.prefix(count))
        return shape
    }

    /// Appends a key: `pattern` is its bytes from the opening quote through the colon.
    /// - Returns: `false` when the key is too long to keep (the shape then ends before it).
    mutating func append(_ pattern: UnsafeRawBufferPointer, _ field: ObservationLineField) -> Bool {
        guard pattern.count <= Self.maximumPattern else { return false }
        let count = pattern.count
        patterns.append(
            Pattern(
                words: (
                    PackedBytes.word(0, of: count) { pattern[$0] }, PackedBytes.word(1, of: count) { pattern[$0] },
                    PackedBytes.word(2, of: count) { pattern[$0] }
                ),
                masks: (PackedBytes.mask(count), PackedBytes.mask(count - 8), PackedBytes.mask(count - 16)),
                length: count, field: field))
        return true
    }
}

/// The keys of an observation line the parser reads (`other` for keys it skips).
enum ObservationLineField: UInt8 {
    case time, host, port, state, transport, source
    case reason, vantage, service, process, product, version, namespace, user, unit, container
    case bind, bindAddress, sourceAddress, tls, handshakes, details
    case other

    /// The field `key` names.
    static func named(_ key: JSONByteScanner.StringSpan, in s: JSONByteScanner) -> ObservationLineField {
        switch key.count {
        case 3 where s.equals(key, "tls"): return .tls
        case 4 where s.equals(key, "time"): return .time
        case 4 where s.equals(key, "host"): return .host
        case 4 where s.equals(key, "port"): return .port
        case 4 where s.equals(key, "user"): return .user
        case 4 where s.equals(key, "unit"): return .unit
        case 4 where s.equals(key, "bind"): return .bind
        case 5 where s.equals(key, "state"): return .state
        case 6 where s.equals(key, "source"): return .source
        case 6 where s.equals(key, "reason"): return .reason
        case 7 where s.equals(key, "vantage"): return .vantage
        case 7 where s.equals(key, "service"): return .service
        case 7 where s.equals(key, "process"): return .process
        case 7 where s.equals(key, "product"): return .product
        case 7 where s.equals(key, "version"): return .version
        case 7 where s.equals(key, "details"): return .details
        case 9 where s.equals(key, "transport"): return .transport
        case 9 where s.equals(key, "namespace"): return .namespace
        case 9 where s.equals(key, "container"): return .container
        case 10 where s.equals(key, "handshakes"): return .handshakes
        case 12 where s.equals(key, "bind_address"): return .bindAddress
        case 14 where s.equals(key, "source_address"): return .sourceAddress
        default: return .other
        }
    }
}
