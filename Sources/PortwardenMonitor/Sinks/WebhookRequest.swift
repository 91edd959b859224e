/// The HTTP/1.1 request that posts one alert to a webhook: `POST PATH`, the finding's JSON object as the
/// body, `Connection: close` (one request per connection, so that a receiver's keep-alive rules never
/// matter).
public enum WebhookRequest {
    /// The request's bytes.
    /// - Parameters:
    ///   - url: the receiver.
    ///   - body: one JSON object (a trailing newline is left out).
    ///   - userAgent: the `User-Agent` value (`portwarden/0.1.0`).
    public static func bytes(_ url: WebhookURL, body: String, userAgent: String) -> [UInt8] {
        var payload = Array(body.utf8)
        while let last = payload.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { payload.removeLast() }
        let head =
            "POST \(url.path) HTTP/1.1\r\nHost: \(url.authority)\r\nUser-Agent: \(userAgent)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + payload
    }
}
