@testable import PortwardenScan

/// LPD: the queue-state answer reader. Byte 0's low bit says whether the daemon closed; the rest is
/// what it sent. An answer needs the close, a refusal names a line and column inside the input,
/// and a refusal made before the close holds for every longer input and after the close.
enum DetectionLPDTarget: FuzzTarget {
    static let name = "detection-lpd"

    static func run(_ input: [UInt8]) {
        guard let flags = input.first else { return }
        let closed = flags & 1 == 1
        let answer = Array(input.dropFirst())
        let reading = LPDQueueState.parse(answer, closed: closed)
        switch reading {
        case .answer(let lines):
            FuzzCheck.require(closed && answer.last == 0x0A, "an answer before the close or without a line feed")
            FuzzCheck.require(!lines.isEmpty && lines.allSatisfy { !$0.isEmpty }, "an answer without text")
            FuzzCheck.require(
                LPDQueueState.describe(lines).utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F },
                "evidence text with unprintable bytes")
        case .incomplete:
            FuzzCheck.require(!closed, "incomplete after the close")
            FuzzCheck.require(LPDQueueState.parse(answer, closed: true) != .incomplete, "the close decided nothing")
        case .refused(let refusal):
            let lines = answer.filter { $0 == 0x0A }.count + 1
            FuzzCheck.require(
                (1...lines).contains(refusal.line) && refusal.column >= 1, "refusal outside the input: \(refusal)")
            if !closed {
                FuzzCheck.require(LPDQueueState.parse(answer + [0x41], closed: false) == reading, "more bytes undid it")
                FuzzCheck.require(LPDQueueState.parse(answer, closed: true) == reading, "the close undid it")
            }
        }
    }
}
