/// The HTTP/1.1 request that posts one alert to a webhook: `POST PATH`, the finding's JSON object as the
/// body, `Connection: close` (one request per connection, so that a receiver's keep-alive rules never
/// matter), and `X-Portwarden-Delivery`, the same for every attempt of one alert, by which a receiver
/// recognises a repeat.
public enum WebhookRequest {
    /// The request's bytes.
    /// - Parameters:
    ///   - url: the receiver.
    ///   - body: one JSON object (a trailing newline is left out).
    ///   - userAgent: the `User-Agent` value (`portwarden/0.1.0`).
    ///   - delivery: the `X-Portwarden-Delivery` value (`deliveryID`), or `nil` for none.
    public static func bytes(_ url: WebhookURL, body: String, userAgent: String, delivery: String? = nil) -> [UInt8] {
        var payload = Array(body.utf8)
        while let last = payload.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { payload.removeLast() }
        let head =
            "POST \(url.path) HTTP/1.1\r\nHost: \(url.authority)\r\nUser-Agent: \(userAgent)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n"
            + (delivery.map { "X-Portwarden-Delivery: \($0)\r\n" } ?? "") + "Connection: close\r\n\r\n"
        return Array(head.utf8) + payload
    }

    /// `QUEUE-ALERT`: the queue's random id in 16 hexadecimal digits and the alert's id in decimal.
    public static func deliveryID(queueID: UInt64, alert: UInt64) -> String {
        let hex = String(queueID, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-\(alert)"
    }
}
