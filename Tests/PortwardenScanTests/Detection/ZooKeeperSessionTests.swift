import Testing

@testable import PortwardenScan

/// ZooKeeper's jute packets: what the probe sends, and the replies Debian's ZooKeeper 3.8.0 sent
/// to it in the lab (`ZooKeeperLab.swift`).
@Suite("ZooKeeper client packets")
struct ZooKeeperSessionTests {
    /// The ConnectResponse: version 0, timeout 10000 ms, session id, a 16-byte password, readOnly false.
    static let connectResponse: [UInt8] =
        [0x00, 0x00, 0x00, 0x25, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x27, 0x10]
        + [0x01, 0x00, 0x00, 0x20, 0x61, 0x6E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10]
        + [0x50, 0xAB, 0x79, 0x7D, 0x9D, 0x02, 0x0D, 0xD7, 0xAE, 0xF6, 0x9F, 0x77, 0xAE, 0xA4, 0xC6, 0x88, 0x00]
    /// getChildren of `/` served: xid 1, zxid 1, error 0, one child `zookeeper`.
    static let childrenServed: [UInt8] =
        [0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]
        + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09] + Array("zookeeper".utf8)
    /// getChildren of `/` refused by the digest ACL: xid 1, zxid 6, error -102 (NoAuth).
    static let childrenRefused: [UInt8] = [
        0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06,
        0xFF, 0xFF, 0xFF, 0x9A,
    ]

    @Test func requestsAreWellFormed() {
        // Length 29: version 0, last zxid 0, timeout, session 0, empty password, readOnly false.
        #expect(
            ZooKeeperSession.connectRequest
                == [0, 0, 0, 29, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + [0, 0, 0x27, 0x10]
                + [UInt8](repeating: 0, count: 8) + [0, 0, 0, 0, 0])
        // xid 1, op code 8 (getChildren), path "/", no watch.
        #expect(ZooKeeperSession.listRootRequest == [0, 0, 0, 14, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 1, 0x2F, 0])
        // xid 2, op code -11 (closeSession).
        #expect(ZooKeeperSession.closeRequest == [0, 0, 0, 8, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xF5])
    }

    @Test func connectResponseIsRead() {
        let session = ZooKeeperSession.Session(
            timeoutMilliseconds: 10_000, sessionID: 0x0100_0020_616E_0000, readOnly: false)
        #expect(ZooKeeperSession.parseConnect(Self.connectResponse) == .connected(session))
        #expect(!session.refused)
        #expect(ZooKeeperSession.connectResponseLength(Self.connectResponse + [0, 0]) == 41)
        // Every proper prefix is incomplete; bytes after the packet do not change the reading.
        for length in 0..<Self.connectResponse.count {
            #expect(
                ZooKeeperSession.parseConnect(Array(Self.connectResponse.prefix(length))) == .incomplete, "\(length)")
        }
        #expect(ZooKeeperSession.parseConnect(Self.connectResponse + Self.childrenServed) == .connected(session))
        // Without the read-only flag (servers before 3.4), and a refused session (timeout and id 0).
        var old = Array(Self.connectResponse.dropLast())
        old[3] = 0x24
        #expect(
            ZooKeeperSession.parseConnect(old)
                == .connected(.init(timeoutMilliseconds: 10_000, sessionID: 0x0100_0020_616E_0000)))
        var refused = Self.connectResponse
        for index in 8..<20 { refused[index] = 0 }
        guard case .connected(let expired) = ZooKeeperSession.parseConnect(refused) else {
            Issue.record("a refused session is still a ConnectResponse")
            return
        }
        #expect(expired.refused)
    }

    @Test func repliesAreRead() {
        let served = ZooKeeperSession.Reply(xid: 1, zxid: 1, error: 0, childCount: 1)
        #expect(ZooKeeperSession.parseReply(Self.childrenServed, xid: 1) == .reply(served))
        #expect(ZooKeeperSession.describe(served) == "getChildren of / served without credentials (1 child)")
        let refused = ZooKeeperSession.Reply(xid: 1, zxid: 6, error: -102)
        #expect(ZooKeeperSession.parseReply(Self.childrenRefused, xid: 1) == .reply(refused))
        #expect(ZooKeeperSession.describe(refused) == "getChildren of / refused: NoAuth (-102)")
        // The header and count decide: every shorter prefix is incomplete.
        for length in 0..<24 {
            #expect(
                ZooKeeperSession.parseReply(Array(Self.childrenServed.prefix(length)), xid: 1) == .incomplete,
                "\(length)")
        }
        for length in 0..<Self.childrenRefused.count {
            #expect(
                ZooKeeperSession.parseReply(Array(Self.childrenRefused.prefix(length)), xid: 1) == .incomplete,
                "\(length)")
        }
        // A reply to another request is not the one asked for.
        #expect(ZooKeeperSession.parseReply(Self.childrenServed, xid: 2) == .notZooKeeper)
    }

    @Test(arguments: [
        Array("HTTP/1.0 400 Bad Request\r\n".utf8), [0x15, 0x03, 0x01, 0x00, 0x02],  // HTTP, a TLS alert
        [0x00, 0x00, 0x00, 0x13],  // too short for a ConnectResponse
        [0x00, 0x00, 0x00, 0x25, 0x00, 0x00, 0x00, 0x01],  // protocol version 1
        [0x00, 0x00, 0x01, 0x00],  // 256 bytes is no ConnectResponse
    ])
    func notAConnectResponse(bytes: [UInt8]) {
        #expect(ZooKeeperSession.parseConnect(bytes) == .notZooKeeper)
    }

    @Test func malformedConnectResponsesAreRefused() {
        var password = Self.connectResponse
        password[23] = 0x11  // longer than the 16 bytes ZooKeeper's passwords have
        #expect(ZooKeeperSession.parseConnect(password) == .notZooKeeper)
        var flag = Self.connectResponse
        flag[40] = 2
        #expect(ZooKeeperSession.parseConnect(flag) == .notZooKeeper)
        var timeout = Self.connectResponse
        timeout[8] = 0x80
        #expect(ZooKeeperSession.parseConnect(timeout) == .notZooKeeper)
    }

    @Test(arguments: [
        Array("HTTP/1.0 400 Bad Request\r\n\r\n".utf8),
        [0x00, 0x00, 0x00, 0x0F],  // shorter than a reply header
        // NoAuth with a body after the header.
        [0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0x9A],
        // Error -512, no ZooKeeper code.
        [0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFE, 0x00],
        // Two children in no bytes.
        [0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2],
    ])
    func notAReply(bytes: [UInt8]) {
        #expect(ZooKeeperSession.parseReply(bytes, xid: 1) == .notZooKeeper)
    }

    @Test func srvrNamesTheRelease() {
        let srvr = Array("Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\nLatency".utf8)
        #expect(ProductVersion.zooKeeper(srvr) == ProductVersion("ZooKeeper", "3.8.0"))
        let refused = Array("srvr is not executed because it is not in the whitelist.\n".utf8)
        #expect(ProductVersion.zooKeeper(refused) == nil)
        #expect(ProductVersion.zooKeeper(Array("Zookeeper version: ${x}\n".utf8)) == ProductVersion("ZooKeeper"))
    }
}
