@testable import PortwardenScan

/// STARTTLS: the greeting and upgrade-reply readers of SMTP, IMAP, POP3 and FTP (the first byte
/// picks the protocol), and the SMTP `EHLO` extension list.
enum DetectionStartTLSTarget: FuzzTarget {
    static let name = "detection-starttls"

    static func run(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let kinds = StartTLS.allCases
        let kind = kinds[Int(first) % kinds.count]
        let reply = Array(input.dropFirst())
        _ = kind.isComplete(reply, greeting: true)
        _ = kind.isComplete(reply, greeting: false)
        _ = kind.greetingIsReady(reply)
        _ = kind.accepts(reply)
        guard let extensions = SMTPExtensions.parse(reply) else { return }
        FuzzCheck.require(PortProbe.finalReplyCode(reply) == 250, "extensions parsed from a reply that is not 250")
        FuzzCheck.require(
            Set(extensions.authMechanisms).count == extensions.authMechanisms.count, "a mechanism listed twice")
        FuzzCheck.require(
            extensions.cleartextAuthMechanisms.allSatisfy(extensions.authMechanisms.contains),
            "a cleartext mechanism that was not announced")
    }
}
