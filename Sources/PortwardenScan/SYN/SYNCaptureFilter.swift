import PortwardenCore

/// The classic BPF program attached to the receive socket (`SO_ATTACH_FILTER`), so the kernel
/// hands us only what the engine can use: unfragmented TCP segments to our source-port range with
/// RST or SYN+ACK set, and ICMP destination unreachables. Offsets start at the IP header (an
/// `AF_PACKET`/`SOCK_DGRAM` socket strips the link header).
enum SYNCaptureFilter {
    /// One `struct sock_filter`.
    typealias Instruction = Kernel.FilterInstruction

    private static let loadByteAbsolute = Kernel.BPF.loadByteAbsolute
    private static let loadHalfAbsolute = Kernel.BPF.loadHalfAbsolute
    private static let loadHeaderLengthToX = Kernel.BPF.loadHeaderLengthToX
    private static let loadHalfIndexed = Kernel.BPF.loadHalfIndexed
    private static let loadByteIndexed = Kernel.BPF.loadByteIndexed
    private static let jumpEqual = Kernel.BPF.jumpEqual
    private static let jumpGreaterOrEqual = Kernel.BPF.jumpGreaterOrEqual
    private static let jumpGreater = Kernel.BPF.jumpGreater
    private static let jumpSet = Kernel.BPF.jumpSet
    private static let andConstant = Kernel.BPF.andConstant
    private static let returnConstant = Kernel.BPF.returnConstant

    /// The program for source ports `low...high`.
    static func program(low: UInt16, high: UInt16) -> [Instruction] {
        func op(_ code: UInt16, _ constant: UInt32, _ jumpTrue: UInt8 = 0, _ jumpFalse: UInt8 = 0) -> Instruction {
            Instruction(code: code, jumpTrue: jumpTrue, jumpFalse: jumpFalse, constant: constant)
        }
        // Jump offsets count instructions skipped after the next one; 16 accepts, 17 rejects.
        return [
            op(loadByteAbsolute, 9),  // 0: IP protocol
            op(jumpEqual, 1, 11, 0),  // 1: ICMP → 13
            op(jumpEqual, 6, 0, 14),  // 2: TCP, else reject
            op(loadHalfAbsolute, 6),  // 3: flags + fragment offset
            op(jumpSet, 0x1FFF, 12, 0),  // 4: a fragment → reject
            op(loadHeaderLengthToX, 0),  // 5: X = IP header length
            op(loadHalfIndexed, 2),  // 6: TCP destination port
            op(jumpGreaterOrEqual, UInt32(low), 0, 9),  // 7: below the range → reject
            op(jumpGreater, UInt32(high), 8, 0),  // 8: above the range → reject
            op(loadByteIndexed, 13),  // 9: TCP flags
            op(jumpSet, 0x04, 5, 0),  // 10: RST → accept
            op(andConstant, 0x12),  // 11
            op(jumpEqual, 0x12, 3, 4),  // 12: SYN+ACK → accept, else reject
            op(loadHeaderLengthToX, 0),  // 13: X = IP header length
            op(loadByteIndexed, 0),  // 14: ICMP type
            op(jumpEqual, 3, 0, 1),  // 15: destination unreachable → accept
            op(returnConstant, 0xFFFF),  // 16: accept
            op(returnConstant, 0),  // 17: reject
        ]
    }

    /// Runs `program` on `packet` as the kernel would (the subset of opcodes used above); the
    /// return value is the number of bytes kept, 0 for dropped. For tests of the program itself.
    static func evaluate(_ program: [Instruction], on packet: [UInt8]) -> UInt32 {
        var a: UInt32 = 0
        var x: UInt32 = 0
        var pc = 0
        func byte(_ offset: Int) -> UInt32? { offset >= 0 && offset < packet.count ? UInt32(packet[offset]) : nil }
        func half(_ offset: Int) -> UInt32? {
            guard let high = byte(offset), let low = byte(offset + 1) else { return nil }
            return high << 8 | low
        }
        while pc < program.count {
            let instruction = program[pc]
            let k = instruction.constant
            pc += 1
            var loaded: UInt32?? = .none
            switch instruction.code {
            case loadByteAbsolute: loaded = .some(byte(Int(k)))
            case loadHalfAbsolute: loaded = .some(half(Int(k)))
            case loadByteIndexed: loaded = .some(byte(Int(x) + Int(k)))
            case loadHalfIndexed: loaded = .some(half(Int(x) + Int(k)))
            case loadHeaderLengthToX:
                guard let value = byte(Int(k)) else { return 0 }
                x = (value & 0x0F) * 4
            case andConstant: a &= k
            case returnConstant: return k
            default:
                let taken: Bool
                switch instruction.code {
                case jumpEqual: taken = a == k
                case jumpGreater: taken = a > k
                case jumpGreaterOrEqual: taken = a >= k
                case jumpSet: taken = a & k != 0
                default: return 0
                }
                pc += Int(taken ? instruction.jumpTrue : instruction.jumpFalse)
            }
            if case .some(let value) = loaded {
                guard let value else { return 0 }  // an out-of-bounds load drops the packet
                a = value
            }
        }
        return 0
    }
}
