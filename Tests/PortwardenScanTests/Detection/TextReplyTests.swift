import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("Text replies: HTTP, FTP, banners")
struct TextReplyTests {
    @Test func httpBasicAuthIsAnAdminPrompt() throws {
        let bytes = Array(
            "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nServer: Router\r\n\r\n".utf8)
        let response = try #require(HTTPResponse.parse(bytes))
        #expect(response.status == 401)
        #expect(response.asksForPassword)
        #expect(response.server == "Router")
        #expect(!response.redirectsToHTTPS)
    }

    @Test func httpsRedirectAndLoginForm() throws {
        let redirect = try #require(
            HTTPResponse.parse(Array("HTTP/1.1 301 Moved\r\nLocation: https://example.test/\r\n\r\n".utf8)))
        #expect(redirect.redirectsToHTTPS)
        let form = try #require(
            HTTPResponse.parse(Array("HTTP/1.1 200 OK\r\n\r\n<form><INPUT TYPE=\"password\" name=p></form>".utf8)))
        #expect(form.hasLoginForm)
        #expect(!form.asksForPassword)
    }

    @Test(arguments: ["", "HTTP/", "HTTP/1.1 2", "HTTP/1.1 abc OK\r\n", "SSH-2.0-x", "\u{0}\u{1}HTTP/1.1 200"])
    func notHTTP(text: String) {
        #expect(HTTPResponse.parse(Array(text.utf8)) == nil)
    }

    @Test func httpCompletenessFollowsContentLength() {
        #expect(!HTTPResponse.isComplete(Array("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nabc".utf8)))
        #expect(HTTPResponse.isComplete(Array("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nabcde".utf8)))
        #expect(!HTTPResponse.isComplete(Array("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n".utf8)))
    }

    @Test func ftpMultiLineReplies() {
        #expect(!PortProbe.replyIsComplete(Array("220-Welcome\r\n".utf8)))
        #expect(PortProbe.replyIsComplete(Array("220-Welcome\r\n220 Ready\r\n".utf8)))
        #expect(PortProbe.finalReplyCode(Array("220-Welcome\r\n234 Go\r\n".utf8)) == 234)
        #expect(!PortProbe.replyIsComplete(Array("22".utf8)))
    }

    @Test func printableTextDropsControlBytes() {
        #expect(DetectionText.printable(Array("  a\u{1B}[31mb\u{7F}c  ".utf8)) == "a[31mbc")
        #expect(DetectionText.firstLine(Array("SSH-2.0-x\r\nrest".utf8)) == "SSH-2.0-x")
        #expect(DetectionText.firstLine([0xFF, 0xFD, 0x18]) == nil)
        #expect(DetectionText.contains(Array("Server: DOCKER/24".utf8), "docker"))
    }

    @Test func bannerCompleteness() {
        #expect(!PortProbe.bannerIsComplete([]))
        #expect(PortProbe.bannerIsComplete(Array("SSH-2.0-OpenSSH\r\n".utf8)))
        #expect(PortProbe.bannerIsComplete([0xFF, 0xFD, 0x18]))
        #expect(!PortProbe.bannerIsComplete([0xFF, 0xFD]))
        #expect(PortProbe.bannerIsComplete(BinaryTranscriptTests.mysqlGreeting(capabilities: 0)))
    }

    @Test func durationsInMilliseconds() {
        #expect(Duration.seconds(3).milliseconds == 3000)
        #expect(Duration.milliseconds(1500).milliseconds == 1500)
        #expect(Duration.seconds(-1).milliseconds == 0)
        #expect(Duration.seconds(Int64.max).milliseconds == Int.max)
    }
}
