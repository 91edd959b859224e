import PortwardenCore

/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
/// big-endian words, used by the IPv4 header, TCP (over a pseudo-header) and ICMP.
enum InternetChecksum {
    /// Adds `bytes` to a running 32-bit sum; an odd trailing byte is padded with zero.
    static func add(_ bytes: UnsafeRawBufferPointer, to sum: UInt32 = 0) -> UInt32 {
        var total = UInt64(sum)
        var index = 0
        while index + 1 < bytes.count {
            total += UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { total += UInt64(bytes[index]) << 8 }
        while total > 0xFFFF_FFFF { total = (total & 0xFFFF_FFFF) + (total >> 32) }
        return UInt32(total)
    }

    /// Folds a running sum to 16 bits and complements it: the value to store in the header.
    static func finish(_ sum: UInt32) -> UInt16 {
        var folded = sum
        while folded > 0xFFFF { folded = (folded & 0xFFFF) + (folded >> 16) }
        return ~UInt16(folded)
    }

    /// The checksum of `bytes` alone (IPv4 header, ICMP message).
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        finish(add(bytes))
    }

    /// The sum of the IPv4 TCP/UDP pseudo-header: source, destination, protocol, length.
    static func pseudoHeader(source: UInt32, destination: UInt32, protocolNumber: UInt8, length: Int) -> UInt32 {
        var sum = (source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF)
        sum += UInt32(protocolNumber) + UInt32(truncatingIfNeeded: length & 0xFFFF)
        return sum
    }
}
