import PortwardenCore

/// One entry of a socket's error queue: the `struct sock_extended_err` (`<linux/errqueue.h>`) of an
/// `IP_RECVERR`/`IPV6_RECVERR` control message, and the offender address that follows it.
///
/// The layout is written out by hand because Glibc's Swift module does not import
/// `<linux/errqueue.h>` and `CMSG_*` are macros:
///
/// ```
/// struct cmsghdr        { size_t cmsg_len; int cmsg_level; int cmsg_type; }  // 16 bytes on LP64, data at 16
/// struct sock_extended_err { u32 ee_errno; u8 ee_origin, ee_type, ee_code, ee_pad; u32 ee_info; u32 ee_data; }
/// followed by SO_EE_OFFENDER: struct sockaddr_in (family 2) or sockaddr_in6 (family 10)
/// ```
///
/// Integers in these structures are in host byte order (little-endian on every platform Portwarden
/// targets); the offender's address and port are in network order.
struct UDPErrorQueueEntry: Equatable, Sendable {
    /// `SO_EE_ORIGIN_LOCAL`, `SO_EE_ORIGIN_ICMP`, `SO_EE_ORIGIN_ICMP6`.
    static let originLocal: UInt8 = 1
    static let originICMP: UInt8 = 2
    static let originICMP6: UInt8 = 3

    /// The errno the kernel mapped the error to (`ECONNREFUSED`, `EHOSTUNREACH`, …).
    var errno: Int32
    /// Where the error came from (see the `origin…` constants).
    var origin: UInt8
    /// ICMP type and code (for ICMP origins).
    var type: UInt8
    var code: UInt8
    /// `ee_info` (the MTU for "fragmentation needed").
    var info: UInt32
    /// The address of the node that sent the ICMP error, when the kernel included it.
    var offender: IPAddress?

    /// The size of `struct cmsghdr` and the alignment of control data on LP64 Linux.
    static let headerSize = 16
    static let alignment = 8

    /// Parses every `IP_RECVERR`/`IPV6_RECVERR` control message in `control`; other control
    /// messages and truncated ones are skipped, never trusted.
    static func parse(control: [UInt8]) -> [UDPErrorQueueEntry] {
        var entries: [UDPErrorQueueEntry] = []
        var offset = 0
        while offset + headerSize <= control.count {
            let rawLength = load64(control, offset)
            guard rawLength >= UInt64(headerSize), rawLength <= UInt64(control.count - offset) else { break }
            let length = Int(rawLength)
            let level = Int32(bitPattern: load32(control, offset + 8))
            let type = Int32(bitPattern: load32(control, offset + 12))
            let isIPv4Error = level == UDPSystemCalls.ipLevel && type == UDPSystemCalls.ipRecvErr
            let isIPv6Error = level == UDPSystemCalls.ipv6Level && type == UDPSystemCalls.ipv6RecvErr
            if isIPv4Error || isIPv6Error,
                let entry = parseExtendedError(control, from: offset + headerSize, to: offset + length)
            {
                entries.append(entry)
            }
            offset += (length + alignment - 1) / alignment * alignment
        }
        return entries
    }

    /// Decodes a `sock_extended_err` and its offender in `bytes[start..<end]`.
    static func parseExtendedError(_ bytes: [UInt8], from start: Int, to end: Int) -> UDPErrorQueueEntry? {
        guard end - start >= 16 else { return nil }
        var entry = UDPErrorQueueEntry(
            errno: Int32(bitPattern: load32(bytes, start)), origin: bytes[start + 4], type: bytes[start + 5],
            code: bytes[start + 6], info: load32(bytes, start + 8), offender: nil)
        let address = start + 16
        if end - address >= 8 {
            let family = UInt16(bytes[address]) | UInt16(bytes[address + 1]) << 8
            if family == 2 {
                var value: UInt32 = 0
                for index in 4..<8 { value = value << 8 | UInt32(bytes[address + index]) }
                entry.offender = IPAddress(ipv4: value)
            } else if family == 10, end - address >= 24 {
                var value: UInt128 = 0
                for index in 8..<24 { value = value << 8 | UInt128(bytes[address + index]) }
                entry.offender = IPAddress(ipv6: value)
            }
        }
        return entry
    }

    private static func load32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(bytes[offset + index]) }
        return value
    }

    private static func load64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        UInt64(load32(bytes, offset)) | UInt64(load32(bytes, offset + 4)) << 32
    }
}
