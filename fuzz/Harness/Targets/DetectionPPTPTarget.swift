@testable import PortwardenScan

/// PPTP: the Start-Control-Connection-Reply reader. A reading is decided by the first 156 bytes
/// alone, a reply needs all of them, and what rules a prefix out rules out every longer input.
enum DetectionPPTPTarget: FuzzTarget {
    static let name = "detection-pptp"

    static func run(_ input: [UInt8]) {
        let reading = PPTPControl.parse(input)
        FuzzCheck.require(
            PPTPControl.parse(Array(input.prefix(PPTPControl.startLength))) == reading,
            "bytes past the reply changed the reading")
        switch reading {
        case .reply(let reply):
            FuzzCheck.require(input.count >= PPTPControl.startLength, "a reply from fewer than 156 bytes")
            FuzzCheck.require(input[8] == 0x00 && input[9] == 0x02, "a reply of another control message type")
            let text = PPTPControl.describe(reply)
            FuzzCheck.require(
                !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F },
                "evidence text with unprintable bytes")
        case .incomplete:
            FuzzCheck.require(input.count < PPTPControl.startLength, "incomplete after the whole reply")
        case .notPPTP:
            FuzzCheck.require(PPTPControl.parse(input + [0]) == .notPPTP, "a longer input undid a refusal")
        }
    }
}
