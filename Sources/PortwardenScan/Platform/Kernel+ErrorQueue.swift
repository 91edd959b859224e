import CPortwardenLinux
import PortwardenCore

#if canImport(Glibc)
import Glibc
#endif

/// The socket error queue (`IP_RECVERR` / `IPV6_RECVERR`, `<linux/errqueue.h>`): reading it and
/// walking its control messages with the kernel's own `CMSG_*` and `struct sock_extended_err`.
extension Kernel {
    /// One `struct sock_extended_err` with the offender address that follows it.
    struct ExtendedError: Equatable, Sendable {
        var errno: Int32
        var origin: UInt8
        var type: UInt8
        var code: UInt8
        var info: UInt32
        var offender: IPAddress?
    }

    /// `SO_EE_ORIGIN_LOCAL`, `SO_EE_ORIGIN_ICMP`, `SO_EE_ORIGIN_ICMP6`.
    static let originLocal = UInt8(SO_EE_ORIGIN_LOCAL)
    static let originICMP = UInt8(SO_EE_ORIGIN_ICMP)
    static let originICMP6 = UInt8(SO_EE_ORIGIN_ICMP6)

    /// Dequeues one entry of the socket's error queue (`recvmsg(MSG_ERRQUEUE)`).
    /// - Returns: the raw control-message bytes (decode them with ``extendedErrors(inControl:)``),
    ///   an empty array when the queue is empty, or `nil` on another error.
    static func receiveError(_ fd: Int32) -> [UInt8]? {
        var control = [UInt8](repeating: 0, count: 512)
        var payload = [UInt8](repeating: 0, count: 64)
        let (count, controlLength) = payload.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { ctl in
                var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = ctl.baseAddress
                    message.msg_controllen = ctl.count
                    let received = recvmsg(fd, &message, Int32(MSG_ERRQUEUE | MSG_DONTWAIT))
                    return (received, Int(message.msg_controllen))
                }
            }
        }
        if count < 0 {
            let code = errno
            return code == EAGAIN || code == EWOULDBLOCK ? [] : nil
        }
        return Array(control.prefix(min(controlLength, control.count)))
    }

    /// Every `IP_RECVERR`/`IPV6_RECVERR` entry in a control-message buffer (any bytes: other
    /// control messages and truncated ones are skipped, never trusted).
    static func extendedErrors(inControl bytes: [UInt8]) -> [ExtendedError] {
        guard !bytes.isEmpty else { return [] }
        // A private, aligned copy: CMSG_* read `struct cmsghdr` in place.
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: bytes.count, alignment: MemoryLayout<cmsghdr>.alignment)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        guard let base = buffer.baseAddress else { return [] }
        var message = msghdr()
        message.msg_control = base
        message.msg_controllen = bytes.count
        var entries: [ExtendedError] = []
        var header = CPortwardenLinux_CMSG_FIRSTHDR(&message)
        while let current = header {
            let start = UnsafeRawPointer(current) - UnsafeRawPointer(base)
            // `cmsg_len` is a `size_t` imported as `Int`: a length above `Int.max` reads as negative,
            // so it is compared unsigned (a negative one passed a signed check and trapped below).
            guard UInt(bitPattern: current.pointee.cmsg_len) <= UInt(bytes.count - start) else { break }
            if isErrorQueueMessage(level: current.pointee.cmsg_level, type: current.pointee.cmsg_type),
                let data = CPortwardenLinux_CMSG_DATA(current)
            {
                let length = CPortwardenLinux_CMSG_DATA_LENGTH(current)
                if let entry = extendedError(UnsafeRawBufferPointer(start: data, count: length)) {
                    entries.append(entry)
                }
            }
            header = CPortwardenLinux_CMSG_NXTHDR(&message, current)
        }
        return entries
    }

    private static func isErrorQueueMessage(level: Int32, type: Int32) -> Bool {
        (level == SOL_IP && type == IP_RECVERR) || (level == SOL_IPV6 && type == IPV6_RECVERR)
    }

    /// Decodes a `sock_extended_err` and its offender (`SO_EE_OFFENDER`).
    private static func extendedError(_ data: UnsafeRawBufferPointer) -> ExtendedError? {
        guard data.count >= MemoryLayout<sock_extended_err>.size else { return nil }
        let raw = data.loadUnaligned(as: sock_extended_err.self)
        let offenderStart = CPortwardenLinux_SO_EE_OFFENDER_OFFSET()
        let offender = address(fromSocketAddress: UnsafeRawBufferPointer(rebasing: data[offenderStart...]))
        return ExtendedError(
            errno: Int32(bitPattern: raw.ee_errno), origin: raw.ee_origin, type: raw.ee_type, code: raw.ee_code,
            info: raw.ee_info, offender: offender?.address)
    }
}
