/// A product and its version as a handshake named them (`OpenSSH` `9.2p1`, `nginx` `1.22.1`).
///
/// The parsers are pure functions over what the server sent, so that they can be fuzzed; none of
/// them trusts the peer's text beyond printable ASCII.
struct ProductVersion: Equatable, Sendable {
    var product: String
    var version: String?

    init(_ product: String, _ version: String? = nil) {
        self.product = product
        self.version = version.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Products whose greetings carry a version after their name, with the name nmap uses.
    private static let greetingProducts: [(word: String, product: String)] = [
        ("vsFTPd", "vsftpd"), ("ProFTPD", "ProFTPD"), ("Pure-FTPd", "Pure-FTPd"), ("FileZilla Server", "FileZilla"),
        ("Exim", "Exim"), ("Postfix", "Postfix"), ("Sendmail", "Sendmail"), ("OpenSMTPD", "OpenSMTPD"),
        ("Dovecot", "Dovecot"), ("Cyrus", "Cyrus"), ("Courier", "Courier"),
    ]

    /// The product in an FTP/SMTP `220` greeting or an IMAP/POP3 `OK` greeting, with the version
    /// that follows its name (`220 (vsFTPd 3.0.3)`, `220 mail ESMTP Exim 4.96 …`).
    static func greeting(_ line: String) -> ProductVersion? {
        for (word, product) in greetingProducts {
            guard let range = line.firstRange(of: word) else { continue }
            let rest = line[range.upperBound...].drop { $0 == " " || $0 == "/" }
            let token = rest.prefix { !" ,;()[]".contains($0) }
            return ProductVersion(product, isVersion(token) ? String(token) : nil)
        }
        return nil
    }

    /// The product of an HTTP `Server` header: its first `name/version` token (`nginx/1.22.1`,
    /// `Apache/2.4.57 (Debian)`); a bare name has no version.
    static func httpServer(_ header: String) -> ProductVersion? {
        guard let token = header.split(separator: " ").first else { return nil }
        let parts = token.split(separator: "/", maxSplits: 1)
        guard let name = parts.first, !name.isEmpty else { return nil }
        let version = parts.count > 1 && isVersion(parts[1]) ? String(parts[1]) : nil
        return ProductVersion(String(name.prefix(64)), version)
    }

    /// memcached's reply to `version`: `VERSION 1.6.18`.
    static func memcached(_ bytes: [UInt8]) -> ProductVersion? {
        guard DetectionText.starts(bytes, with: "VERSION ") else { return nil }
        let text = DetectionText.firstLine(Array(bytes.dropFirst(8))) ?? ""
        return ProductVersion("memcached", isVersion(Substring(text)) ? text : nil)
    }

    /// The server version a MySQL/MariaDB greeting carries (`8.0.36`, `10.11.6-MariaDB-0+deb12u1`).
    static func mysql(serverVersion: String) -> ProductVersion {
        if let range = serverVersion.firstRange(of: "-MariaDB") {
            var version = serverVersion[..<range.lowerBound]
            // MariaDB 10 announced itself as 5.5.5-10.x to old clients.
            if version.hasPrefix("5.5.5-") { version = version.dropFirst(6) }
            return ProductVersion("MariaDB", String(version))
        }
        let version = serverVersion.prefix { $0 != "-" }
        return ProductVersion("MySQL", isVersion(version) ? String(version) : nil)
    }

    /// `redis_version:` from the reply to `INFO server` (a RESP bulk string); only whole lines count.
    static func redisInfo(_ bytes: [UInt8]) -> ProductVersion? {
        guard bytes.first == UInt8(ascii: "$"), let lastNewline = bytes.lastIndex(of: 10) else { return nil }
        for line in DetectionText.lines(Array(bytes[...lastNewline])) where line.hasPrefix("redis_version:") {
            let version = line.dropFirst("redis_version:".count)
            return ProductVersion("Redis", isVersion(version) ? String(version) : nil)
        }
        return nil
    }

    /// The release in the first line of ZooKeeper's `srvr` answer (`Zookeeper version:
    /// 3.8.0-${mvngit.commit.id}, built on …` from Debian's 3.8.0): what follows the first `-` names
    /// the build's commit, not the release.
    static func zooKeeper(_ bytes: [UInt8]) -> ProductVersion? {
        guard DetectionText.starts(bytes, with: "Zookeeper version: ") else { return nil }
        let text = DetectionText.firstLine(Array(bytes.dropFirst(19))) ?? ""
        let release = text.prefix { $0 != "-" && $0 != "," && $0 != " " }
        return ProductVersion("ZooKeeper", isVersion(release) ? String(release) : nil)
    }

    /// A version-looking token: starts with a digit, at most 40 characters of digits, letters, `.-+_~`.
    static func isVersion(_ token: Substring) -> Bool {
        guard let first = token.first, first.isASCII, first.isNumber, token.count <= 40 else { return false }
        return token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-+_~".contains($0)) }
    }
}
