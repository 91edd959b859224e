/// One column value borrowed from a backend's row: text and blob bytes point into the backend's buffer and
/// are valid only inside the `forEachRaw` body that received them. Passes that read every row once (chain
/// verification) use it so that a row costs no allocation; `SQLValue` is the owned form.
public struct SQLRawValue {
    /// The value's type; the raw values are the canonical encoding's tags (`CanonicalEncoding`).
    public enum Kind: UInt8, Sendable {
        case null = 0
        case integer = 1
        case real = 2
        case text = 3
        case blob = 4
    }

    public var kind: Kind
    /// The integer's bit pattern, or the real's IEEE bit pattern; 0 otherwise.
    public var bits: UInt64
    /// A text's UTF-8 bytes or a blob's bytes; empty otherwise.
    public var bytes: UnsafeRawBufferPointer

    public init(
        kind: Kind, bits: UInt64 = 0, bytes: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) {
        self.kind = kind
        self.bits = bits
        self.bytes = bytes
    }

    /// The integer, when this is one.
    public var integer: Int64? { kind == .integer ? Int64(bitPattern: bits) : nil }
}

extension SQLValue {
    /// The owned copy of a borrowed value, as `SQLSession.forEach` would have read it.
    public init(_ raw: SQLRawValue) {
        switch raw.kind {
        case .null: self = .null
        case .integer: self = .integer(Int64(bitPattern: raw.bits))
        case .real: self = .real(Double(bitPattern: raw.bits))
        case .text: self = .text(String(decoding: raw.bytes, as: UTF8.self))
        case .blob: self = .blob(Array(raw.bytes))
        }
    }
}

extension SQLSession {
    /// Hands each row of `forEach` to `body` as borrowed values over one reused buffer: the fallback for a
    /// backend that has no row buffer of its own to lend.
    public func forEachRaw(_ sql: String, _ values: [SQLValue], _ body: ([SQLRawValue]) throws -> Void) throws {
        var storage: [UInt8] = []
        var raw: [SQLRawValue] = []
        try forEach(sql, values) { row in
            storage.removeAll(keepingCapacity: true)
            for value in row {
                switch value {
                case .text(let text): storage.append(contentsOf: text.utf8)
                case .blob(let bytes): storage.append(contentsOf: bytes)
                default: break
                }
            }
            try storage.withUnsafeBytes { buffer in
                raw.removeAll(keepingCapacity: true)
                var offset = 0
                for value in row {
                    switch value {
                    case .null: raw.append(SQLRawValue(kind: .null))
                    case .integer(let number): raw.append(SQLRawValue(kind: .integer, bits: UInt64(bitPattern: number)))
                    case .real(let number): raw.append(SQLRawValue(kind: .real, bits: number.bitPattern))
                    case .text(let text):
                        let count = text.utf8.count
                        raw.append(SQLRawValue(kind: .text, bytes: Self.slice(buffer, offset, count)))
                        offset += count
                    case .blob(let bytes):
                        raw.append(SQLRawValue(kind: .blob, bytes: Self.slice(buffer, offset, bytes.count)))
                        offset += bytes.count
                    }
                }
                try body(raw)
            }
        }
    }

    private static func slice(_ buffer: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> UnsafeRawBufferPointer {
        guard count > 0, let base = buffer.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + offset, count: count)
    }
}
