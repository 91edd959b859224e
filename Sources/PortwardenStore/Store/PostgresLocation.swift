/// Where a PostgreSQL store lives, from a `postgres://` or `postgresql://` URL:
/// `postgres://user:password@host:port/database` or, over a Unix socket,
/// `postgres://user@/database?host=/path/to/socket/dir` (the socket file is `.s.PGSQL.<port>` in it).
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// The socket file when the URL names a socket directory.
    public var socketPath: String?

    /// Parses a URL; nil when it is not a PostgreSQL URL.
    public init?(url: String) {
        let schemes = ["postgres://", "postgresql://"]
        guard let scheme = schemes.first(where: { url.hasPrefix($0) }) else { return nil }
        var rest = Substring(url.dropFirst(scheme.count))
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { parameters[String(parts[0])] = Self.unescape(String(parts[1])) }
            }
            rest = rest[..<question]
        }
        var authority = rest
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }
        var userInfo: Substring?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        user = "postgres"
        if let userInfo {
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            user = Self.unescape(String(parts[0]))
            if parts.count == 2 { password = Self.unescape(String(parts[1])) }
        }
        if let name = parameters["user"] { user = name }
        port = 5432
        host = "localhost"
        if let colon = hostPort.lastIndex(of: ":") {
            guard let number = Int(hostPort[hostPort.index(after: colon)...]) else { return nil }
            port = number
            host = String(hostPort[..<colon])
        } else if !hostPort.isEmpty {
            host = String(hostPort)
        }
        if let number = parameters["port"].flatMap(Int.init) { port = number }
        database = path.isEmpty ? user : Self.unescape(String(path))
        if let directory = parameters["host"], directory.hasPrefix("/") {
            socketPath = directory + "/.s.PGSQL.\(port)"
        }
    }

    public var description: String {
        if let socketPath { return "\(user)@\(socketPath)/\(database)" }
        return "\(user)@\(host):\(port)/\(database)"
    }

    private static func unescape(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let decoded = Hex.decode(String(decoding: [high, low], as: UTF8.self))
            {
                bytes.append(contentsOf: decoded)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
