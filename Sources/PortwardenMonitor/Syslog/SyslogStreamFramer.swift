/// Splits the byte stream of one syslog TCP connection into messages (RFC 6587). The framing is chosen
/// by the connection's first byte: a digit 1-9 is octet counting (`LEN SP MSG`, RFC 6587 3.4.1, what
/// `logger --octet-count`, rsyslog's `TCP_Framing="octet-counted"` and syslog-ng's `syslog()` driver
/// send); anything else is non-transparent framing, one message per line ending in LF (CR LF too;
/// 3.4.2, the traditional default). Chunks may end anywhere.
///
/// A broken frame is reported with the peer and the byte offset in the connection and loses nothing
/// else that can be found again: a frame longer than `maxMessage` is skipped by its length (octet
/// counting) or to the next LF; after a bad length prefix the stream is searched for the next
/// `LEN SP <` that starts a frame. At most `maxMessage` bytes of a message (plus its length prefix and
/// the last chunk fed) are held.
public struct SyslogStreamFramer: Sendable {
    /// How a connection frames its messages.
    public enum Framing: String, Hashable, Sendable {
        case octetCounting = "octet-counted"
        case nonTransparent = "LF-terminated"
    }

    /// One result of the stream.
    public enum Item: Hashable, Sendable {
        /// A message without its framing, and the byte offset of its first byte in the connection.
        case message(ArraySlice<UInt8>, offset: Int)
        case problem(SyslogFramingError)
    }

    /// What the bytes after a broken frame are waiting for.
    private enum Skip: Hashable, Sendable {
        case nothing
        /// The rest of an oversize octet-counted frame.
        case bytes(Int)
        /// The LF after an oversize line.
        case lineEnd
        /// The next `LEN SP <` after a bad length prefix.
        case frameStart
    }

    /// The peer, as the problems name it (`127.0.0.1:40312`).
    public let peer: String
    /// The largest message accepted, in bytes.
    public let maxMessage: Int
    public private(set) var framing: Framing?
    /// The offset in the connection of `buffer`'s first byte.
    private var consumed = 0
    private var buffer: [UInt8] = []
    /// Where the search for the next LF goes on in `buffer` (non-transparent framing).
    private var scanned = 0
    private var skip = Skip.nothing

    /// The most digits a frame length may have (`maxMessage` is below 10^9).
    static let maxLengthDigits = 9

    public init(peer: String, maxMessage: Int = 65536) {
        self.peer = peer
        self.maxMessage = max(1, min(maxMessage, 100_000_000))
    }

    /// Bytes held for a frame not yet complete.
    public var bufferedByteCount: Int { buffer.count }

    /// Bytes of the connection read so far.
    public var offset: Int { consumed + buffer.count }

    /// Feeds the next bytes of the connection; `emit` gets every message and problem, in stream order.
    public mutating func feed(_ chunk: some Collection<UInt8>, _ emit: (Item) -> Void) {
        buffer.append(contentsOf: chunk)
        let bytes = buffer
        var index = 0
        if framing == nil {
            while index < bytes.count, bytes[index] == Self.lf || bytes[index] == Self.cr { index += 1 }
            guard index < bytes.count else {
                drop(index)
                return
            }
            framing = Self.isLengthStart(bytes[index]) ? .octetCounting : .nonTransparent
        }
        switch framing {
        case .octetCounting?: while octetStep(bytes, &index, emit) {}
        default: while lineStep(bytes, &index, emit) {}
        }
        drop(index)
    }

    /// The connection ended: a line without its LF is a message; an octet-counted frame cut short is a
    /// problem.
    public mutating func finish(_ emit: (Item) -> Void) {
        defer {
            consumed += buffer.count
            buffer = []
            scanned = 0
            skip = .nothing
        }
        guard !buffer.isEmpty else { return }
        switch (framing, skip) {
        case (.nonTransparent?, .nothing):
            var end = buffer.endIndex
            if buffer[end - 1] == Self.cr { end -= 1 }
            if end > 0 { emit(.message(buffer[..<end], offset: consumed)) }
        case (.octetCounting?, .nothing):
            emit(
                .problem(
                    SyslogFramingError(
                        .truncated, peer: peer, offset: consumed,
                        "the connection closed \(buffer.count) bytes into a frame; it is lost")))
        default:
            break
        }
    }

    /// Takes one octet-counted frame (or skips) from `bytes[index...]`; false when more bytes are needed.
    private mutating func octetStep(_ bytes: [UInt8], _ index: inout Int, _ emit: (Item) -> Void) -> Bool {
        guard index < bytes.count else { return false }
        switch skip {
        case .bytes(let left):
            let take = min(left, bytes.count - index)
            index += take
            skip = take == left ? .nothing : .bytes(left - take)
            return true
        case .frameStart:
            guard let start = Self.frameStart(bytes, from: index) else {
                // Keep a tail that may be the start of a frame still arriving.
                index = max(index, bytes.count - Self.maxLengthDigits - 2)
                return false
            }
            if start.complete {
                skip = .nothing
                index = start.index
                return true
            }
            index = start.index
            return false
        case .lineEnd, .nothing:
            break
        }
        // Line ends between frames are tolerated (some senders add one after each frame).
        if bytes[index] == Self.lf || bytes[index] == Self.cr {
            index += 1
            return true
        }
        var end = index
        var length = 0
        while end < bytes.count, end - index < Self.maxLengthDigits + 1, let digit = Self.digit(bytes[end]) {
            length = length * 10 + digit
            end += 1
        }
        if end == index || bytes[index] == UInt8(ascii: "0") {
            return badLength(
                at: &index, skipping: 1, "expected a frame length (octet counting), found \(Self.show(bytes[index]))",
                emit)
        }
        if end - index > Self.maxLengthDigits {
            return badLength(at: &index, skipping: end - index, "a frame length of more than 9 digits", emit)
        }
        guard end < bytes.count else { return false }
        guard bytes[end] == UInt8(ascii: " ") else {
            return badLength(
                at: &index, skipping: end - index,
                "expected a space after the frame length \(length), found "
                    + Self.show(bytes[end]), emit)
        }
        let start = end + 1
        if length > maxMessage {
            emit(
                .problem(
                    SyslogFramingError(
                        .oversize, peer: peer, offset: consumed + index,
                        "a frame of \(length) bytes is over the limit of \(maxMessage) bytes; it is skipped")))
            index = start
            skip = .bytes(length)
            return true
        }
        guard bytes.count - start >= length else { return false }
        emit(.message(bytes[start..<(start + length)], offset: consumed + start))
        index = start + length
        return true
    }

    private mutating func badLength(
        at index: inout Int, skipping count: Int, _ message: String, _ emit: (Item) -> Void
    ) -> Bool {
        emit(
            .problem(
                SyslogFramingError(
                    .badLength, peer: peer, offset: consumed + index,
                    message + "; looking for the next frame")))
        index += count
        skip = .frameStart
        return true
    }

    /// Takes one LF-terminated message (or skips) from `bytes[index...]`; false when more bytes are needed.
    private mutating func lineStep(_ bytes: [UInt8], _ index: inout Int, _ emit: (Item) -> Void) -> Bool {
        guard index < bytes.count else { return false }
        let from = max(index, scanned)
        guard let lf = bytes[from...].firstIndex(of: Self.lf) else {
            scanned = bytes.count
            if skip == .lineEnd {
                index = bytes.count
            } else if bytes.count - index > maxMessage {
                emit(
                    .problem(
                        SyslogFramingError(
                            .oversize, peer: peer, offset: consumed + index,
                            "a line of more than \(maxMessage) bytes without LF; it is skipped to the next LF")))
                skip = .lineEnd
                index = bytes.count
            }
            return false
        }
        defer { index = lf + 1 }
        if skip == .lineEnd {
            skip = .nothing
            return true
        }
        var end = lf
        if end > index, bytes[end - 1] == Self.cr { end -= 1 }
        if end - index > maxMessage {
            emit(
                .problem(
                    SyslogFramingError(
                        .oversize, peer: peer, offset: consumed + index,
                        "a line of \(end - index) bytes is over the limit of \(maxMessage) bytes; it is skipped")))
        } else if end > index {
            emit(.message(bytes[index..<end], offset: consumed + index))
        }
        return true
    }

    /// Forgets the first `count` bytes of the buffer.
    private mutating func drop(_ count: Int) {
        guard count > 0 else { return }
        buffer.removeFirst(count)
        consumed += count
        scanned = max(0, scanned - count)
    }

    /// The next `LEN SP <` at or after `from` whose digits do not continue a number before them; `complete`
    /// is false when the bytes end before it can be told whether one starts at `index`.
    static func frameStart(_ bytes: [UInt8], from: Int) -> (index: Int, complete: Bool)? {
        var i = from
        while i < bytes.count {
            guard isLengthStart(bytes[i]), i == from || digit(bytes[i - 1]) == nil else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, end - i <= maxLengthDigits, digit(bytes[end]) != nil { end += 1 }
            if end - i > maxLengthDigits {
                i = end
                continue
            }
            if end + 1 >= bytes.count { return (i, false) }
            if bytes[end] == UInt8(ascii: " "), bytes[end + 1] == UInt8(ascii: "<") { return (i, true) }
            i = end
        }
        return nil
    }

    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    static func isLengthStart(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") }

    static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// A byte as a problem names it: `"x"` when printable, `0x00` otherwise.
    static func show(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte 0x" + hex(byte)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
    }
}
