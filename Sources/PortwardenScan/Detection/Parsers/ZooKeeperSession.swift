/// ZooKeeper's client protocol on tcp/2181: jute-encoded records (big-endian integers, strings and
/// buffers as a 4-byte length and their bytes), each packet preceded by its length as a 4-byte
/// big-endian integer. The probe opens a session with a ConnectRequest, lists the children of `/`
/// once without credentials (getChildren checks the node's READ permission), and closes the
/// session; it never creates, sets or deletes anything.
enum ZooKeeperSession: Equatable, Sendable {
    /// A ConnectResponse: the server's answer to the ConnectRequest.
    case connected(Session)
    /// A reply header to the request with the expected xid.
    case reply(Reply)
    /// Fewer bytes than the packet so far, and nothing yet says it is not one.
    case incomplete
    /// Not ZooKeeper.
    case notZooKeeper

    /// What a ConnectResponse says.
    struct Session: Equatable, Sendable {
        /// The negotiated session timeout in milliseconds; 0 when the server refused the session.
        var timeoutMilliseconds: Int32
        var sessionID: Int64
        /// Whether the server only serves reads (absent from servers before 3.4: `nil`).
        var readOnly: Bool?

        /// A server that cannot give this client a session answers with timeout and id 0.
        var refused: Bool { timeoutMilliseconds <= 0 || sessionID == 0 }
    }

    /// What a reply header says, and for a served getChildren the number of children.
    struct Reply: Equatable, Sendable {
        var xid: Int32
        var zxid: Int64
        /// 0 OK; negative codes as `KeeperException.Code` names them (-102 NoAuth).
        var error: Int32
        /// The length of the served children list (`nil` for a refused request).
        var childCount: Int?
    }

    /// ZooKeeper's error code for a request the node's ACL does not allow this session.
    static let noAuth: Int32 = -102
    /// The session timeout the probe asks for, in milliseconds.
    static let requestedTimeout: Int32 = 10_000
    /// The xid of the getChildren request and of the closeSession request.
    static let listXid: Int32 = 1
    static let closeXid: Int32 = 2
    /// The longest ConnectResponse: 4-byte version and timeout, 8-byte session id, the password
    /// buffer (16 bytes from every ZooKeeper release) and the read-only flag.
    static let connectResponseLimit = 4 + 4 + 8 + 4 + 16 + 1

    /// A ConnectRequest: protocol version 0, last zxid seen 0, the requested timeout, session id 0
    /// (a new session), an empty password and readOnly false.
    static var connectRequest: [UInt8] {
        packet(int32(0) + int64(0) + int32(requestedTimeout) + int64(0) + int32(0) + [0])
    }

    /// getChildren (op code 8) of `/` without a watch.
    static var listRootRequest: [UInt8] {
        packet(int32(listXid) + int32(8) + int32(1) + Array("/".utf8) + [0])
    }

    /// closeSession (op code -11): ends the session the probe opened.
    static var closeRequest: [UInt8] { packet(int32(closeXid) + int32(-11)) }

    /// Parses the server's first packet after the ConnectRequest. A reading is decided by the
    /// packet alone (its length prefix and the bytes it announces); never traps.
    static func parseConnect(_ bytes: [UInt8]) -> ZooKeeperSession {
        // Length 20 + password (0...16) + optional read-only flag, then protocol version 0.
        let fixed: [(Int, ClosedRange<UInt8>)] = [
            (0, 0...0), (1, 0...0), (2, 0...0), (3, 20...UInt8(connectResponseLimit)), (4, 0...0), (5, 0...0),
            (6, 0...0), (7, 0...0),
        ]
        for (offset, allowed) in fixed {
            guard offset < bytes.count else { return .incomplete }
            guard allowed.contains(bytes[offset]) else { return .notZooKeeper }
        }
        let length = Int(bytes[3])
        guard bytes.count >= 4 + length else { return .incomplete }
        var reader = ByteReader(bytes[8..<(4 + length)])
        guard let timeout = reader.int32(), let session = reader.int64(), let passwordLength = reader.int32(),
            (0...16).contains(passwordLength), timeout >= 0
        else { return .notZooKeeper }
        let flag = reader.remaining - Int(passwordLength)
        guard flag == 0 || flag == 1, reader.bytes(Int(passwordLength)) != nil else { return .notZooKeeper }
        var readOnly: Bool?
        if flag == 1 {
            guard let byte = reader.uint8(), byte <= 1 else { return .notZooKeeper }
            readOnly = byte == 1
        }
        return .connected(Session(timeoutMilliseconds: timeout, sessionID: session, readOnly: readOnly))
    }

    /// Parses the reply to the getChildren request with `xid`: a 16-byte reply header (xid, zxid,
    /// error), then for error 0 the children as a vector of strings, of which only the count is
    /// read. A reading is decided by the length prefix, the header and the count; never traps.
    static func parseReply(_ bytes: [UInt8], xid: Int32) -> ZooKeeperSession {
        var header = ByteReader(bytes)
        guard bytes.count >= 4 else {
            // No packet a server sends here is 16 MiB or more: a nonzero first byte rules it out.
            return (bytes.first ?? 0) == 0 ? .incomplete : .notZooKeeper
        }
        guard let length = header.int32(), (16...0x00FF_FFFF).contains(length) else { return .notZooKeeper }
        guard bytes.count >= 20 else { return .incomplete }
        guard let replyXid = header.int32(), let zxid = header.int64(), let error = header.int32() else {
            return .incomplete
        }
        guard replyXid == xid, zxid >= 0, (-130...0).contains(error) else { return .notZooKeeper }
        guard error == 0 else {
            // A refused request carries the header alone.
            return length == 16 ? .reply(Reply(xid: replyXid, zxid: zxid, error: error)) : .notZooKeeper
        }
        guard length >= 20 else { return .notZooKeeper }
        guard let count = header.int32() else { return .incomplete }
        // Each child is at least its 4-byte length: the vector fits in the packet (-1 is a null list).
        guard count >= -1, Int(count) * 4 <= Int(length) - 20 else { return .notZooKeeper }
        return .reply(Reply(xid: replyXid, zxid: zxid, error: error, childCount: max(Int(count), 0)))
    }

    /// The number of bytes of a complete ConnectResponse at the start of `bytes` (what follows
    /// belongs to the next packet), or `nil` when there is none.
    static func connectResponseLength(_ bytes: [UInt8]) -> Int? {
        guard case .connected = parseConnect(bytes) else { return nil }
        return 4 + Int(bytes[3])
    }

    /// A refusal's name as ZooKeeper's `KeeperException.Code` spells it, for evidence.
    static func errorName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            0: "OK", -4: "ConnectionLoss", -101: "NoNode", -102: "NoAuth", -112: "SessionExpired",
            -115: "AuthFailed", -122: "RequestTimeout", -124: "SessionClosedRequireSaslAuth", -127: "Throttled",
        ]
        return "\(names[code] ?? "error") (\(code))"
    }

    /// What the reply to the getChildren of `/` says, for evidence: `getChildren of / served
    /// without credentials (1 child)`, `getChildren of / refused: NoAuth (-102)`.
    static func describe(_ reply: Reply) -> String {
        guard reply.error == 0 else { return "getChildren of / refused: \(errorName(reply.error))" }
        let count = reply.childCount ?? 0
        return "getChildren of / served without credentials (\(count) \(count == 1 ? "child" : "children"))"
    }

    private static func packet(_ body: [UInt8]) -> [UInt8] { int32(Int32(body.count)) + body }

    private static func int32(_ value: Int32) -> [UInt8] {
        let bits = UInt32(bitPattern: value)
        return [UInt8(bits >> 24), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
    }

    private static func int64(_ value: Int64) -> [UInt8] {
        int32(Int32(truncatingIfNeeded: value >> 32)) + int32(Int32(truncatingIfNeeded: value))
    }
}
