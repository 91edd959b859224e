import PortwardenCore

/// A plain-HTTP response head and the start of its body, parsed leniently.
struct HTTPResponse: Equatable, Sendable {
    /// The status code (`200`, `301`, `401`, …).
    var status: Int
    /// Header names lower-cased, values trimmed; a repeated header keeps every value.
    var headers: [(name: String, value: String)]
    /// The body bytes received (possibly truncated).
    var body: [UInt8]

    static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    /// Parses `HTTP/1.x NNN …` and the header block; `nil` when the bytes are not an HTTP response.
    static func parse(_ bytes: [UInt8]) -> HTTPResponse? {
        guard bytes.starts(with: Array("HTTP/".utf8)), bytes.count >= 12,
            let status = DetectionText.decimal(bytes[9..<12])
        else { return nil }
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd = bytes.endIndex
        var bodyStart = bytes.endIndex
        if bytes.count >= 4 {
            for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual(separator) {
                headEnd = index
                bodyStart = index + 4
                break
            }
        }
        var headers: [(name: String, value: String)] = []
        for line in DetectionText.lines(Array(bytes[..<headEnd])).dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...]).trimmingSpaces()))
        }
        return HTTPResponse(status: status, headers: headers, body: Array(bytes[bodyStart...]))
    }

    /// Every value of the header `name` (lower case).
    func values(_ name: String) -> [String] { headers.filter { $0.name == name }.map(\.value) }

    /// The product named by the `Server` header.
    var server: String? { values("server").first }

    /// `WWW-Authenticate: Basic` or `Digest`: credentials would cross the wire in the clear (Basic)
    /// or on an unencrypted channel (Digest).
    var asksForPassword: Bool {
        values("www-authenticate").contains { value in
            let lower = value.lowercased()
            return lower.hasPrefix("basic") || lower.hasPrefix("digest")
        }
    }

    /// A login form in the body: a password input field.
    var hasLoginForm: Bool {
        DetectionText.contains(body, "type=\"password\"") || DetectionText.contains(body, "type='password'")
            || DetectionText.contains(body, "type=password")
    }

    /// A redirect whose target is an `https://` URL.
    var redirectsToHTTPS: Bool {
        (300..<400).contains(status) && values("location").contains { $0.lowercased().hasPrefix("https://") }
    }

    /// Whether the whole response has arrived: head complete and `Content-Length` bytes of body
    /// (or the connection closed, which the caller handles).
    static func isComplete(_ bytes: [UInt8]) -> Bool {
        guard DetectionText.contains(bytes, "\r\n\r\n"), let response = parse(bytes) else { return false }
        guard let length = response.values("content-length").first.flatMap({ Int($0) }) else { return false }
        return response.body.count >= length
    }
}
