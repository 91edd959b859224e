/// etcd's HTTP API (the v3 gRPC gateway): the `GET /version` body and the answer to a count-only
/// range read, the two things the probe asks.
enum EtcdReply {
    /// The server and cluster versions of a `/version` body: `{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}`.
    static func version(_ body: [UInt8]) -> (server: String, cluster: String?)? {
        guard let server = stringField("etcdserver", in: body), !server.isEmpty else { return nil }
        return (server, stringField("etcdcluster", in: body))
    }

    /// What a count-only range read of one key showed.
    enum RangeResult: Equatable, Sendable {
        /// Answered with a response header: the read needed no credentials.
        case served
        /// Refused for want of a user or token: authentication is enabled.
        case authenticationRequired(String)
        /// Anything else.
        case unknown
    }

    /// The request body for a count-only range read of the key `portwarden-probe`: no value is
    /// returned even where the key exists.
    static let rangeRequest = #"{"key":"cG9ydHdhcmRlbi1wcm9iZQ==","count_only":true}"#

    /// The gateway's errors that mean "authentication is enabled and this request carried none".
    static let authenticationErrors = [
        "user name is empty", "invalid auth token", "permission denied", "authentication failed",
    ]

    /// Judges the gateway's reply (status and body) to ``rangeRequest``.
    static func range(status: Int, body: [UInt8]) -> RangeResult {
        if status == 200, DetectionText.contains(body, "\"header\"") { return .served }
        if status == 400 || status == 401 || status == 403,
            let message = stringField("error", in: body) ?? stringField("message", in: body),
            authenticationErrors.contains(where: { DetectionText.contains(Array(message.utf8), $0) })
        {
            return .authenticationRequired(DetectionText.printable(message.utf8, limit: 80))
        }
        return .unknown
    }

    /// The value of the first `"name":"value"` in a flat JSON body, printable ASCII only, at most
    /// 80 characters; `nil` when absent. Escapes end the value (the fields read here have none).
    static func stringField(_ name: String, in body: [UInt8]) -> String? {
        let needle = Array("\"\(name)\"".utf8)
        guard body.count >= needle.count else { return nil }
        var index = 0
        while index + needle.count <= body.count {
            if body[index..<(index + needle.count)].elementsEqual(needle) {
                var cursor = index + needle.count
                while cursor < body.count, body[cursor] == UInt8(ascii: " ") { cursor += 1 }
                guard cursor < body.count, body[cursor] == UInt8(ascii: ":") else { return nil }
                cursor += 1
                while cursor < body.count, body[cursor] == UInt8(ascii: " ") { cursor += 1 }
                guard cursor < body.count, body[cursor] == UInt8(ascii: "\"") else { return nil }
                let start = cursor + 1
                var end = start
                while end < body.count, body[end] != UInt8(ascii: "\""), body[end] != UInt8(ascii: "\\") { end += 1 }
                guard end < body.count else { return nil }
                return DetectionText.printable(body[start..<end], limit: 80)
            }
            index += 1
        }
        return nil
    }
}
