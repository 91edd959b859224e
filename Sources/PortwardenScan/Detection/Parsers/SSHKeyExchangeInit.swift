/// The server's `SSH_MSG_KEXINIT` (RFC 4253 section 7.1): the algorithms it is willing to use,
/// sent in the clear right after the identification strings.
struct SSHKeyExchangeInit: Equatable, Sendable {
    var keyExchange: [String]
    var hostKeys: [String]
    /// Ciphers, client to server and server to client merged (order kept, duplicates dropped).
    var ciphers: [String]
    var macs: [String]
    var compression: [String]

    /// The outcome of reading the bytes after the identification line.
    enum Reply: Equatable, Sendable {
        case kexinit(SSHKeyExchangeInit)
        case incomplete
        case invalid
    }

    /// The largest packet RFC 4253 section 6.1 obliges an implementation to accept.
    static let maximumPacket = 35_000

    /// Parses the first binary packet in `bytes` (the data after the server's `SSH-` line).
    /// Never traps: short input is `.incomplete`, anything else that is not a KEXINIT is `.invalid`.
    static func parse(_ bytes: [UInt8]) -> Reply {
        var reader = ByteReader(bytes)
        guard let length = reader.uint32() else { return .incomplete }
        guard length >= 2, length <= maximumPacket else { return .invalid }
        guard let padding = reader.uint8() else { return .incomplete }
        guard Int(padding) < Int(length) - 1 else { return .invalid }
        guard let packet = reader.bytes(Int(length) - 1) else { return .incomplete }
        var body = ByteReader(packet.prefix(Int(length) - 1 - Int(padding)))
        guard body.uint8() == 20, body.bytes(16) != nil else { return .invalid }
        var lists: [[String]] = []
        for _ in 0..<10 {
            guard let size = body.uint32(), size <= length, let text = body.bytes(Int(size)) else { return .invalid }
            lists.append(text.split(separator: UInt8(ascii: ",")).map { DetectionText.printable($0, limit: 100) })
        }
        return .kexinit(
            SSHKeyExchangeInit(
                keyExchange: lists[0], hostKeys: lists[1], ciphers: merged(lists[2], lists[3]),
                macs: merged(lists[4], lists[5]), compression: merged(lists[6], lists[7])))
    }

    /// Whether the packet is whole (or proven not to be one).
    static func isFinal(_ bytes: [UInt8]) -> Bool { parse(bytes) != .incomplete }

    private static func merged(_ first: [String], _ second: [String]) -> [String] {
        var seen = Set<String>()
        return (first + second).filter { seen.insert($0).inserted }
    }

    /// Key exchanges on SHA-1 or a 1024-bit group, or RSA key transport with a 1024-bit key.
    static let weakKeyExchange: Set<String> = [
        "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1",
        "rsa1024-sha1", "gss-group1-sha1-toWM5Slw5Ew8Mqkay+al2g==", "gss-gex-sha1-toWM5Slw5Ew8Mqkay+al2g==",
        "gss-group14-sha1-toWM5Slw5Ew8Mqkay+al2g==",
    ]
    /// DSA keys (1024-bit by definition) and RSA signatures over SHA-1.
    static let weakHostKeys: Set<String> = ["ssh-dss", "ssh-rsa", "ssh-dss-cert-v01@openssh.com"]
    /// No encryption, 64-bit block ciphers, RC4, and CBC modes (plaintext recovery, CVE-2008-5161).
    static let weakCiphers: Set<String> = [
        "none", "des-cbc", "3des-cbc", "blowfish-cbc", "cast128-cbc", "idea-cbc", "arcfour", "arcfour128",
        "arcfour256", "aes128-cbc", "aes192-cbc", "aes256-cbc", "rijndael-cbc@lysator.liu.se",
        "twofish-cbc", "twofish128-cbc", "twofish256-cbc", "serpent128-cbc", "serpent256-cbc",
    ]
    /// No integrity, MD5, and MACs truncated to 96 bits.
    static let weakMACs: Set<String> = [
        "none", "hmac-md5", "hmac-md5-96", "hmac-sha1-96", "hmac-md5-etm@openssh.com",
        "hmac-md5-96-etm@openssh.com", "hmac-sha1-96-etm@openssh.com", "hmac-ripemd160-96",
    ]

    /// The offered algorithms that are weak, as `kex NAME`, `hostkey NAME`, `cipher NAME`, `mac NAME`.
    var weakAlgorithms: [String] {
        keyExchange.filter(Self.weakKeyExchange.contains).map { "kex \($0)" }
            + hostKeys.filter(Self.weakHostKeys.contains).map { "hostkey \($0)" }
            + ciphers.filter(Self.weakCiphers.contains).map { "cipher \($0)" }
            + macs.filter(Self.weakMACs.contains).map { "mac \($0)" }
    }
}
