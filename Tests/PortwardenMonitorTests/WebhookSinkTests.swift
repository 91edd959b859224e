import PortwardenCore
import PortwardenMonitor
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("webhook sink: URL, request, answer and queue decisions")
struct WebhookSinkTests {
    @Test("http URLs with an IP literal, IPv6 in brackets, a default path")
    func urls() throws {
        let v4 = try WebhookURL.parse("http://10.20.9.1:8080/hooks/portwarden?x=1")
        #expect(v4.address == IPAddress("10.20.9.1"))
        #expect(v4.port == 8080)
        #expect(v4.path == "/hooks/portwarden?x=1")
        #expect(v4.description == "http://10.20.9.1:8080/hooks/portwarden?x=1")
        let v6 = try WebhookURL.parse("http://[fd00::9]:80")
        #expect(v6.address == IPAddress("fd00::9"))
        #expect(v6.path == "/")
        #expect(v6.authority == "[fd00::9]:80")
        let tls = try WebhookURL.parse("https://127.0.0.1:8443/pw")
        #expect(tls.scheme == .https && tls.port == 8443 && tls.path == "/pw")
        #expect(tls.description == "https://127.0.0.1:8443/pw")
        #expect(v4.scheme == .http)
    }

    @Test(
        "a URL that cannot be used says why and where",
        arguments: [
            ("udp://10.0.0.1:80/", WebhookURLError.Code.scheme, 0),
            ("ftp://10.0.0.1:21/", .scheme, 0),
            ("https://hooks.example:443/", .address, 8),
            ("https://10.0.0.1/", .port, 16),
            ("http://hooks.example:80/", .address, 7),
            ("http://10.0.0.1/x", .port, 15),
            ("http://10.0.0.1:0/x", .port, 16),
            ("http://10.0.0.1:70000/", .port, 16),
            ("http://10.0.0.1:+80/", .port, 16),
            ("http://[fd00::9/", .port, 15),
            ("http://10.0.0.1:80/a b", .path, 18),
        ])
    func badURLs(text: String, code: WebhookURLError.Code, offset: Int) {
        #expect {
            _ = try WebhookURL.parse(text)
        } throws: { error in
            guard let error = error as? WebhookURLError else { return false }
            return error.code == code && error.offset == offset && error.description.contains(text)
        }
    }

    @Test("the request is a POST of the JSON body with its exact length")
    func request() throws {
        let url = try WebhookURL.parse("http://10.20.9.1:8080/in")
        let body = "{\"rule\":\"PW-PORT-SCAN\",\"message\":\"é\"}\n"
        let text = String(decoding: WebhookRequest.bytes(url, body: body, userAgent: "portwarden/1"), as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        #expect(parts[1] == "{\"rule\":\"PW-PORT-SCAN\",\"message\":\"é\"}")
        let head = parts[0].components(separatedBy: "\r\n")
        #expect(head.first == "POST /in HTTP/1.1")
        #expect(head.contains("Host: 10.20.9.1:8080"))
        #expect(head.contains("Content-Type: application/json"))
        #expect(head.contains("Content-Length: \(parts[1].utf8.count)"))
        #expect(head.contains("Connection: close"))
    }

    @Test(
        "status lines: delivered, worth a retry, refused",
        arguments: [
            ("HTTP/1.1 200 OK\r\n", 200, WebhookResponse.Outcome.delivered),
            ("HTTP/1.0 204\r\n\r\n", 204, .delivered),
            ("HTTP/1.1 503 Service Unavailable\r\n", 503, .retry),
            ("HTTP/1.1 429 Too Many Requests\n", 429, .retry),
            ("HTTP/1.1 408 Request Timeout\r\n", 408, .retry),
            ("HTTP/1.1 404 Not Found\r\n", 404, .refused),
            ("HTTP/1.1 301 Moved\r\n", 301, .refused),
        ])
    func statusLines(text: String, status: Int, outcome: WebhookResponse.Outcome) throws {
        let response = try #require(try WebhookResponse.parse(Array(text.utf8)))
        #expect(response.status == status)
        #expect(response.outcome == outcome)
    }

    @Test("an incomplete status line waits; a broken one is an error")
    func brokenAnswers() throws {
        #expect(try WebhookResponse.parse(Array("HTTP/1.1 200 O".utf8)) == nil)
        for text in ["SSH-2.0-OpenSSH_9.6\r\n", "HTTP/1.1 2x0 OK\r\n", "HTTP/2 200\r\n", "HTTP/1.1 200OK\r\n"] {
            #expect(throws: WebhookResponseError.self, "\(text)") { _ = try WebhookResponse.parse(Array(text.utf8)) }
        }
        #expect(throws: WebhookResponseError(.tooLong)) {
            _ = try WebhookResponse.parse([UInt8](repeating: 0x41, count: 5000))
        }
    }

    @Test("the oldest alert goes first and is retried with doubling back-off until it is out of attempts")
    func retries() {
        var settings = WebhookQueue.Settings()
        settings.attempts = 3
        settings.firstBackoff = 1
        settings.maxBackoff = 3
        var queue = WebhookQueue(settings: settings)
        let start = Date(timeIntervalSince1970: 1_000_000)
        queue.enqueue("a")
        queue.enqueue("b")
        #expect(queue.next(at: start) == "a")
        queue.record(.failed, at: start)
        #expect(queue.next(at: start.addingTimeInterval(0.5)) == nil, "in its back-off")
        #expect(queue.due == start.addingTimeInterval(1))
        #expect(queue.next(at: start.addingTimeInterval(1)) == "a")
        queue.record(.failed, at: start.addingTimeInterval(1))
        #expect(queue.due == start.addingTimeInterval(3), "the back-off doubled")
        queue.record(.failed, at: start.addingTimeInterval(3))
        #expect(queue.next(at: start.addingTimeInterval(3)) == "b", "a is out of attempts")
        queue.record(.delivered, at: start.addingTimeInterval(3))
        #expect(queue.isEmpty)
        #expect(queue.counts.delivered == 1)
        #expect(queue.counts.abandoned == 1)
        #expect(queue.counts.failedAttempts == 3)
        #expect(queue.counts.lost == 1)
        #expect(queue.backoff(afterFailures: 1) == 1)
        #expect(queue.backoff(afterFailures: 2) == 2)
        #expect(queue.backoff(afterFailures: 9) == 3, "capped")
    }

    @Test("a refused alert is not retried; a full queue drops its oldest; the rest can be abandoned")
    func refusedDroppedAbandoned() {
        var settings = WebhookQueue.Settings()
        settings.capacity = 2
        var queue = WebhookQueue(settings: settings)
        let now = Date(timeIntervalSince1970: 0)
        queue.enqueue("a")
        queue.record(.refused, at: now)
        #expect(queue.isEmpty)
        #expect(queue.counts.refused == 1)
        for body in ["b", "c", "d"] { queue.enqueue(body) }
        #expect(queue.count == 2)
        #expect(queue.counts.dropped == 1)
        #expect(queue.next(at: now) == "c", "b was the oldest")
        #expect(queue.abandonAll() == 2)
        #expect(queue.isEmpty)
        #expect(queue.counts.lost == 4)
    }

    @Test("a long stream through a small queue keeps the newest, in order")
    func longStream() {
        var settings = WebhookQueue.Settings()
        settings.capacity = 100
        var queue = WebhookQueue(settings: settings)
        let now = Date(timeIntervalSince1970: 0)
        var delivered: [String] = []
        for n in 0..<1000 {
            queue.enqueue("\(n)")
            if n % 3 == 0, let body = queue.next(at: now) {
                delivered.append(body)
                queue.record(.delivered, at: now)
            }
        }
        while let body = queue.next(at: now) {
            delivered.append(body)
            queue.record(.delivered, at: now)
        }
        let numbers = delivered.compactMap { Int($0) }
        #expect(numbers == numbers.sorted())
        #expect(numbers.last == 999)
        #expect(queue.counts.delivered + queue.counts.dropped == 1000)
        #expect(queue.counts.dropped > 0)
    }
}
