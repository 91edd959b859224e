import PortwardenMonitor

/// The webhook sink's two readers: the receiver's status line (`WebhookResponse.parse`) and the `webhook` URL
/// (`WebhookURL.parse`); a URL that parses prints as one that parses to the same value.
enum WebhookTarget: FuzzTarget {
    static let name = "webhook"

    static func run(_ input: [UInt8]) {
        if let response = try? WebhookResponse.parse(input) {
            FuzzCheck.require((100...999).contains(response.status), "status \(response.status)")
        }
        let text = String(decoding: input, as: UTF8.self)
        if let url = try? WebhookURL.parse(text) {
            FuzzCheck.require((try? WebhookURL.parse(url.description)) == url, "round trip of \(url)")
        }
    }
}
