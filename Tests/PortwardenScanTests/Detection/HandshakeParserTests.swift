import Testing

@testable import PortwardenScan

@Suite("Product, SSH and NetBIOS parsers over captured and hand-built replies")
struct HandshakeParserTests {
    @Test(
        arguments: [
            ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "2.0", "OpenSSH", "9.2p1"),
            ("SSH-2.0-dropbear_2022.83\r\n", "2.0", "Dropbear sshd", "2022.83"),
            ("SSH-1.99-Cisco-1.25\r\n", "1.99", "Cisco", "1.25"),
            ("SSH-1.5-OpenSSH_2.3.0\n", "1.5", "OpenSSH", "2.3.0"),
        ] as [(String, String, String, String?)])
    func sshBanners(_ line: String, _ protocolVersion: String, _ product: String, _ version: String?) throws {
        let banner = try #require(SSHBanner.parse(Array(line.utf8)))
        #expect(banner.protocolVersion == protocolVersion)
        #expect(banner.productVersion == ProductVersion(product, version))
        #expect(banner.offersSSH1 == protocolVersion.hasPrefix("1."))
    }

    @Test func sshBannerGarbage() {
        #expect(SSHBanner.parse(Array("HTTP/1.1 200 OK\r\n".utf8)) == nil)
        #expect(SSHBanner.parse(Array("SSH-\r\n".utf8)) == nil)
        #expect(SSHBanner.parse([]) == nil)
    }

    /// A KEXINIT packet offering `lists` (kex, hostkey, enc×2, mac×2, comp×2, lang×2).
    static func kexinit(_ lists: [String]) -> [UInt8] {
        var payload: [UInt8] = [20] + [UInt8](repeating: 7, count: 16)
        for list in lists {
            let bytes = Array(list.utf8)
            payload += [0, 0, UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
        }
        payload += [0, 0, 0, 0, 0]
        let padding = 8 - (payload.count + 5) % 8 + 4
        let length = payload.count + padding + 1
        return [0, 0, UInt8(length >> 8), UInt8(length & 0xFF), UInt8(padding)] + payload
            + [UInt8](repeating: 0, count: padding)
    }

    static let weakLists = [
        "curve25519-sha256,diffie-hellman-group1-sha1", "ssh-ed25519,ssh-dss", "aes128-ctr,3des-cbc",
        "aes128-ctr,arcfour",
        "hmac-sha2-256,hmac-md5", "hmac-sha2-256", "none", "none", "", "",
    ]

    @Test func kexinitListsAndWeakAlgorithms() throws {
        guard case .kexinit(let offered) = SSHKeyExchangeInit.parse(Self.kexinit(Self.weakLists)) else {
            Issue.record("not parsed")
            return
        }
        #expect(offered.keyExchange == ["curve25519-sha256", "diffie-hellman-group1-sha1"])
        #expect(offered.ciphers == ["aes128-ctr", "3des-cbc", "arcfour"])
        #expect(
            offered.weakAlgorithms == [
                "kex diffie-hellman-group1-sha1", "hostkey ssh-dss", "cipher 3des-cbc", "cipher arcfour",
                "mac hmac-md5",
            ])
    }

    @Test func kexinitStrongListHasNoWeakAlgorithm() throws {
        let lists = [
            "curve25519-sha256", "ssh-ed25519", "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com",
            "hmac-sha2-512-etm@openssh.com,hmac-sha1", "umac-128-etm@openssh.com", "none", "none", "", "",
        ]
        guard case .kexinit(let offered) = SSHKeyExchangeInit.parse(Self.kexinit(lists)) else {
            Issue.record("not parsed")
            return
        }
        #expect(offered.weakAlgorithms.isEmpty)
    }

    @Test func kexinitTruncationsAndGarbage() {
        let packet = Self.kexinit(Self.weakLists)
        for length in 0..<packet.count {
            #expect(SSHKeyExchangeInit.parse(Array(packet.prefix(length))) == .incomplete, "prefix \(length)")
        }
        var wrongType = packet
        wrongType[5] = 21
        #expect(SSHKeyExchangeInit.parse(wrongType) == .invalid)
        #expect(SSHKeyExchangeInit.parse([0xFF, 0xFF, 0xFF, 0xFF, 4]) == .invalid)
        var overlong = packet
        overlong[24] = 0xFF  // the first name-list claims more bytes than the packet holds
        #expect(SSHKeyExchangeInit.parse(overlong) == .invalid)
    }

    @Test(arguments: [
        ("220 (vsFTPd 3.0.3)", ProductVersion("vsftpd", "3.0.3")),
        ("220 ProFTPD 1.3.8 Server (Debian) [::ffff:10.0.0.5]", ProductVersion("ProFTPD", "1.3.8")),
        ("220 mail.example.test ESMTP Exim 4.96 Tue, 01 Dec 2026 09:00:00 +0000", ProductVersion("Exim", "4.96")),
        ("220 mail.example.test ESMTP Postfix (Debian/GNU)", ProductVersion("Postfix")),
        ("* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot (Debian) ready.", ProductVersion("Dovecot")),
    ])
    func greetings(_ line: String, _ expected: ProductVersion) {
        #expect(ProductVersion.greeting(line) == expected)
    }

    @Test func greetingWithoutAKnownProduct() {
        #expect(ProductVersion.greeting("220 Portwarden lab file service") == nil)
    }

    @Test(arguments: [
        ("nginx/1.22.1", ProductVersion("nginx", "1.22.1")),
        ("Apache/2.4.57 (Debian)", ProductVersion("Apache", "2.4.57")),
        ("nginx", ProductVersion("nginx")),
        ("CUPS/2.4 IPP/2.1", ProductVersion("CUPS", "2.4")),
        ("Docker/24.0.7 (linux)", ProductVersion("Docker", "24.0.7")),
    ])
    func httpServerHeaders(_ header: String, _ expected: ProductVersion) {
        #expect(ProductVersion.httpServer(header) == expected)
    }

    @Test func redisMemcachedAndMySQL() {
        let info = Array("$60\r\n# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n\r\n".utf8)
        #expect(ProductVersion.redisInfo(info) == ProductVersion("Redis", "7.0.15"))
        #expect(ProductVersion.redisInfo(Array("$60\r\n# Server\r\nredis_version:7.0".utf8)) == nil)
        #expect(ProductVersion.redisInfo(Array("-NOAUTH Authentication required.\r\n".utf8)) == nil)
        #expect(ProductVersion.memcached(Array("VERSION 1.6.18\r\n".utf8)) == ProductVersion("memcached", "1.6.18"))
        #expect(ProductVersion.memcached(Array("ERROR\r\n".utf8)) == nil)
        #expect(ProductVersion.mysql(serverVersion: "8.0.36") == ProductVersion("MySQL", "8.0.36"))
        #expect(
            ProductVersion.mysql(serverVersion: "5.5.5-10.11.6-MariaDB-0+deb12u1")
                == ProductVersion("MariaDB", "10.11.6"))
    }

    @Test func netbiosSessionRequestAndAnswers() {
        let request = NetBIOSSession.request
        #expect(request.count == 72)
        #expect(Array(request.prefix(4)) == [0x81, 0, 0, 68])
        // "*SMBSERVER" starts C K F D E N ... in first-level encoding: '*' = 0x2A → "CK".
        #expect(Array(request[4..<7]) == [0x20, UInt8(ascii: "C"), UInt8(ascii: "K")])
        #expect(NetBIOSSession.parse([0x82, 0, 0, 0]) == .positive)
        #expect(NetBIOSSession.parse([0x83, 0, 0, 1, 0x82]) == .negative(0x82))
        #expect(NetBIOSSession.parse([0x83, 0, 0, 1]) == .incomplete)
        #expect(NetBIOSSession.parse([0x82]) == .incomplete)
        #expect(NetBIOSSession.parse([]) == .incomplete)
        #expect(NetBIOSSession.parse([0x00, 0, 0, 0x55]) == .invalid)
        #expect(NetBIOSSession.parse(Array("SSH-2.0-x\r\n".utf8)) == .invalid)
    }
}
