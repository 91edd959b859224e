@testable import PortwardenScan

/// IPP: the response reader and what the printer's URI attributes say. A reading never changes
/// once decided: a response ignores what follows its end-of-attributes tag, a refusal holds for
/// every longer input, and every prefix of an incomplete input is incomplete too.
enum DetectionIPPTarget: FuzzTarget {
    static let name = "detection-ipp"

    static func run(_ input: [UInt8]) {
        let reading = IPPMessage.parse(input)
        switch reading {
        case .response(let response):
            FuzzCheck.require(IPPMessage.parse(input + [0xFF]) == reading, "bytes past the end changed the reading")
            FuzzCheck.require(response.attributes.count <= IPPMessage.maximumAttributes, "too many attributes kept")
            guard let security = IPPPrinterSecurity(response) else { return }
            FuzzCheck.require((1...16).contains(security.endpoints.count), "\(security.endpoints.count) endpoints")
            if security.cleartextCredentials != nil {
                FuzzCheck.require(!security.cleartext.isEmpty, "a cleartext verdict with no cleartext URI")
            }
            if security.anonymous != nil {
                FuzzCheck.require(security.endpoints.contains { $0.authentication != nil }, "a verdict from nothing")
            }
            FuzzCheck.require(
                security.describe.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "evidence text with unprintable bytes")
        case .incomplete:
            if !input.isEmpty {
                FuzzCheck.require(IPPMessage.parse(Array(input.dropLast())) == .incomplete, "a prefix was decided")
            }
        case .refused(let refusal):
            FuzzCheck.require(
                refusal.offset >= 0 && refusal.offset < input.count, "refusal outside the input: \(refusal)")
            FuzzCheck.require(IPPMessage.parse(input + [0x03]) == reading, "a longer input undid a refusal")
        }
    }
}
