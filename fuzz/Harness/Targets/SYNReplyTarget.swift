@testable import PortwardenScan

/// Captured IPv4 packets as the SYN engine decodes them (TCP replies, ICMP unreachables). The
/// input is copied into a buffer of exactly its size, so a read past the end is an ASan report.
enum SYNReplyTarget: FuzzTarget {
    static let name = "syn-reply"

    static func run(_ input: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: input.count, alignment: 8)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: input)
        _ = SYNReplyParser.parse(UnsafeRawBufferPointer(buffer))
    }
}
