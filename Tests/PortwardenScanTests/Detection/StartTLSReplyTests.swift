import Testing

@testable import PortwardenScan

@Suite("STARTTLS replies and SMTP EHLO extensions")
struct StartTLSReplyTests {
    static let ehlo = Array(
        ("250-mail.example.test\r\n250-PIPELINING\r\n250-AUTH CRAM-MD5 PLAIN LOGIN\r\n250-AUTH=LOGIN PLAIN\r\n"
            + "250-STARTTLS\r\n250 8BITMIME\r\n").utf8)

    @Test func ehloListsStartTLSAndMechanismsOnce() throws {
        let extensions = try #require(SMTPExtensions.parse(Self.ehlo))
        #expect(extensions.startTLS)
        #expect(extensions.authMechanisms == ["CRAM-MD5", "PLAIN", "LOGIN"])
        #expect(extensions.cleartextAuthMechanisms == ["PLAIN", "LOGIN"])
    }

    @Test func ehloWithoutAuthOrTLS() throws {
        let extensions = try #require(SMTPExtensions.parse(Array("250-lab\r\n250-SIZE 100\r\n250 8BITMIME\r\n".utf8)))
        #expect(!extensions.startTLS)
        #expect(extensions.authMechanisms.isEmpty)
        // The greeting line names the host, never an extension.
        #expect(SMTPExtensions.parse(Array("250 STARTTLS\r\n".utf8))?.startTLS == false)
    }

    @Test(arguments: [
        "502 5.5.2 Error: command not recognized\r\n", "250-lab\r\n250-STARTTLS\r\n", "250-lab\r\n250 STARTTLS",
        "",
    ])
    func anythingButAWhole250IsNoExtensionList(_ text: String) {
        #expect(SMTPExtensions.parse(Array(text.utf8)) == nil)
    }

    /// (protocol, reply, whether it agrees to start TLS).
    @Test(arguments: [
        (StartTLS.smtp, "220 2.0.0 Ready to start TLS\r\n", true), (.smtp, "454 4.7.0 TLS not available\r\n", false),
        (.ftp, "234 Proceed with negotiation.\r\n", true), (.ftp, "502 Command not implemented.\r\n", false),
        (.imap, "pw1 OK Begin TLS negotiation now.\r\n", true), (.imap, "pw1 BAD unknown\r\n", false),
        (.imap, "* OK pw1 OK\r\npw1 NO later\r\n", false), (.pop3, "+OK Begin TLS\r\n", true),
        (.pop3, "-ERR unknown\r\n", false),
    ])
    func upgradeReplies(kind: StartTLS, reply: String, agrees: Bool) {
        let bytes = Array(reply.utf8)
        #expect(kind.isComplete(bytes, greeting: false))
        #expect(kind.accepts(bytes) == agrees)
    }

    @Test func incompleteRepliesWaitForMore() {
        #expect(!StartTLS.smtp.isComplete(Array("250-lab\r\n".utf8), greeting: false))
        #expect(!StartTLS.imap.isComplete(Array("* OK ready\r\n".utf8), greeting: false))
        #expect(StartTLS.imap.isComplete(Array("* OK ready\r\n".utf8), greeting: true))
        #expect(!StartTLS.pop3.isComplete(Array("+OK".utf8), greeting: true))
    }

    @Test(arguments: [
        (StartTLS.smtp, "220 mail ESMTP\r\n", true), (.smtp, "554 no service\r\n", false),
        (.imap, "* OK ready\r\n", true), (.imap, "* PREAUTH ready\r\n", false), (.pop3, "+OK ready\r\n", true),
        (.pop3, "-ERR busy\r\n", false), (.ftp, "220 (vsFTPd 3.0.3)\r\n", true), (.ftp, "421 busy\r\n", false),
    ])
    func greetings(kind: StartTLS, greeting: String, ready: Bool) {
        #expect(kind.greetingIsReady(Array(greeting.utf8)) == ready)
    }
}
