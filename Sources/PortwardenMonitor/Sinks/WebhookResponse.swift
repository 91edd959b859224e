/// The status line of the HTTP response a webhook receiver sends, and what it means for the alert:
/// 2xx delivered; 408, 429 and 5xx worth another attempt; any other status a refusal that a retry
/// would not change.
public struct WebhookResponse: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        case delivered
        case retry
        case refused
    }

    public var status: Int

    public init(status: Int) { self.status = status }

    public var outcome: Outcome {
        switch status {
        case 200...299: return .delivered
        case 408, 429, 500...599: return .retry
        default: return .refused
        }
    }

    /// Reads the status line at the start of `bytes` (`HTTP/1.1 204 No Content\r\n…`).
    /// - Returns: `nil` while the line is not complete (no CRLF or LF yet).
    /// - Throws: `WebhookResponseError` when the bytes are not an HTTP/1.x status line.
    public static func parse(_ bytes: some Collection<UInt8>) throws(WebhookResponseError) -> WebhookResponse? {
        let line = Array(bytes.prefix(WebhookResponseError.maxLine + 2))
        guard let newline = line.firstIndex(of: UInt8(ascii: "\n")) else {
            if line.count > WebhookResponseError.maxLine { throw WebhookResponseError(.tooLong) }
            return nil
        }
        let prefix = Array("HTTP/1.".utf8)
        guard line.count >= 12, line.starts(with: prefix), line[7] >= 0x30, line[7] <= 0x39,
            line[8] == UInt8(ascii: " ")
        else { throw WebhookResponseError(.notHTTP) }
        var status = 0
        for byte in line[9..<12] {
            guard byte >= 0x30, byte <= 0x39 else { throw WebhookResponseError(.status) }
            status = status * 10 + Int(byte - 0x30)
        }
        guard status >= 100, 12 == newline || line[12] == UInt8(ascii: " ") || line[12] == UInt8(ascii: "\r") else {
            throw WebhookResponseError(.status)
        }
        return WebhookResponse(status: status)
    }
}

/// Why a receiver's answer is not an HTTP response.
public struct WebhookResponseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case notHTTP
        case status
        case tooLong
    }

    /// The longest status line read.
    static let maxLine = 1024

    public var code: Code

    public init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .notHTTP: return "the answer is not an HTTP/1.x response"
        case .status: return "the answer's status is not a three-digit code"
        case .tooLong: return "the answer's status line is longer than \(Self.maxLine) bytes"
        }
    }
}
