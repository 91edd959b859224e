import PortwardenCore

/// One row of `/proc/net/{tcp,tcp6,udp,udp6}`.
struct ProcSocketEntry: Hashable, Sendable {
    var local: IPAddress
    var localPort: UInt16
    var remote: IPAddress
    var remotePort: UInt16
    /// The kernel socket state (`0x0A` TCP_LISTEN, `0x07` TCP_CLOSE = unconnected UDP).
    var state: UInt8
    var uid: UInt32
    var inode: UInt64
}

/// Parses the /proc/net socket tables on bytes.
///
/// Addresses are hex words in host byte order: an IPv4 address is one 32-bit word
/// (`0100007F` is 127.0.0.1 on a little-endian host), an IPv6 address four such words
/// (`00000000000000000000000001000000` is ::1).
enum ProcNetTable {
    /// TCP_LISTEN.
    static let listenState: UInt8 = 0x0A
    /// TCP_CLOSE, which an unconnected UDP socket reports.
    static let unconnectedState: UInt8 = 0x07

    /// Parses a whole table (the first line is the header) and calls `body` for every row.
    /// - Returns: the 1-based numbers of the lines that could not be parsed.
    static func parse(_ bytes: [UInt8], ipv6: Bool, _ body: (ProcSocketEntry) -> Void) -> [Int] {
        var malformed: [Int] = []
        bytes.withUnsafeBufferPointer { buffer in
            var lineNumber = 0
            var start = 0
            let count = buffer.count
            while start < count {
                var end = start
                while end < count, buffer[end] != 0x0A { end += 1 }
                lineNumber += 1
                if lineNumber > 1, !isBlank(buffer, start, end) {
                    if let entry = parseLine(buffer, start, end, ipv6: ipv6) {
                        body(entry)
                    } else {
                        malformed.append(lineNumber)
                    }
                }
                start = end + 1
            }
        }
        return malformed
    }

    private static func isBlank(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            if b[i] != 0x20, b[i] != 0x09, b[i] != 0x0D { return false }
            i += 1
        }
        return true
    }

    /// Parses one row: `sl local remote st tx:rx tr:when retrnsmt uid timeout inode …`.
    static func parseLine(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, ipv6: Bool) -> ProcSocketEntry? {
        // Token boundaries of the first ten fields, on the stack.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 20) { bounds in
            var field = 0
            var i = start
            while i < end, field < 10 {
                while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
                guard i < end else { break }
                bounds[field * 2] = i
                while i < end, b[i] != 0x20, b[i] != 0x09 { i += 1 }
                bounds[field * 2 + 1] = i
                field += 1
            }
            guard field == 10 else { return nil }
            return entry(b, UnsafeBufferPointer(bounds), ipv6: ipv6)
        }
    }

    private static func entry(
        _ b: UnsafeBufferPointer<UInt8>, _ bounds: UnsafeBufferPointer<Int>, ipv6: Bool
    )
        -> ProcSocketEntry?
    {
        func s(_ k: Int) -> Int { bounds[k * 2] }
        func e(_ k: Int) -> Int { bounds[k * 2 + 1] }
        guard e(0) > s(0), b[e(0) - 1] == UInt8(ascii: ":"),
            let (local, localPort) = endpoint(b, s(1), e(1), ipv6: ipv6),
            let (remote, remotePort) = endpoint(b, s(2), e(2), ipv6: ipv6),
            e(3) - s(3) == 2, let state = hex(b, s(3), e(3)),
            let uid = decimal(b, s(7), e(7)), uid <= UInt64(UInt32.max),
            let inode = decimal(b, s(9), e(9))
        else { return nil }
        return ProcSocketEntry(
            local: local, localPort: localPort, remote: remote, remotePort: remotePort, state: UInt8(state),
            uid: UInt32(uid), inode: inode)
    }

    /// `0100007F:0016` → (127.0.0.1, 22).
    private static func endpoint(
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, ipv6: Bool
    )
        -> (IPAddress, UInt16)?
    {
        let width = ipv6 ? 32 : 8
        guard end - start == width + 5, b[start + width] == UInt8(ascii: ":"),
            let port = hex(b, start + width + 1, end)
        else { return nil }
        if !ipv6 {
            guard let word = hex(b, start, start + 8) else { return nil }
            return (IPAddress(ipv4: UInt32(bigEndian: UInt32(word))), UInt16(port))
        }
        var value: UInt128 = 0
        for k in 0..<4 {
            guard let word = hex(b, start + 8 * k, start + 8 * k + 8) else { return nil }
            value = value << 32 | UInt128(UInt32(bigEndian: UInt32(word)))
        }
        return (IPAddress(ipv6: value), UInt16(port))
    }

    /// A hex number of at most 16 digits.
    private static func hex(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
        guard end > start, end - start <= 16 else { return nil }
        var value: UInt64 = 0
        for i in start..<end {
            let c = b[i]
            let nibble: UInt8
            switch c {
            case 48...57: nibble = c - 48
            case 65...70: nibble = c - 55
            case 97...102: nibble = c - 87
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    /// A decimal number of at most 19 digits.
    private static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
        guard end > start, end - start <= 19 else { return nil }
        var value: UInt64 = 0
        for i in start..<end {
            guard b[i] >= 48, b[i] <= 57 else { return nil }
            value = value * 10 + UInt64(b[i] - 48)
        }
        return value
    }
}
