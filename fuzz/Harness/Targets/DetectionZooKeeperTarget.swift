@testable import PortwardenScan

/// ZooKeeper's client packets (byte 0 picks the reader: ConnectResponse, the getChildren reply
/// with xid 1, or the `srvr` answer's release). A reading decided on a prefix is the whole input's,
/// and what rules a prefix out rules out every longer input.
enum DetectionZooKeeperTarget: FuzzTarget {
    static let name = "detection-zookeeper"

    static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let bytes = Array(input.dropFirst())
        switch selector % 3 {
        case 0: connect(bytes)
        case 1: reply(bytes)
        default:
            if let version = ProductVersion.zooKeeper(bytes)?.version {
                FuzzCheck.require(ProductVersion.isVersion(Substring(version)), "release \(version)")
            }
        }
    }

    private static func connect(_ bytes: [UInt8]) {
        let reading = ZooKeeperSession.parseConnect(bytes)
        switch reading {
        case .connected:
            let length = ZooKeeperSession.connectResponseLength(bytes) ?? 0
            FuzzCheck.require((24...41).contains(length) && length <= bytes.count, "ConnectResponse of \(length)")
            FuzzCheck.require(
                ZooKeeperSession.parseConnect(Array(bytes.prefix(length))) == reading, "bytes past the packet counted")
        case .incomplete:
            FuzzCheck.require(bytes.count < 8 || bytes.count < 4 + Int(bytes[3]), "incomplete after the packet")
        case .notZooKeeper:
            FuzzCheck.require(
                ZooKeeperSession.parseConnect(bytes + [0]) == .notZooKeeper, "a longer input undid a refusal")
        case .reply:
            FuzzCheck.require(false, "a reply header read as a ConnectResponse")
        }
    }

    private static func reply(_ bytes: [UInt8]) {
        let reading = ZooKeeperSession.parseReply(bytes, xid: ZooKeeperSession.listXid)
        switch reading {
        case .reply(let header):
            let decisive = header.error == 0 ? 24 : 20
            FuzzCheck.require(
                ZooKeeperSession.parseReply(Array(bytes.prefix(decisive)), xid: ZooKeeperSession.listXid) == reading,
                "bytes past the header and count changed the reading")
            FuzzCheck.require(header.xid == ZooKeeperSession.listXid, "a reply to another xid")
            let text = ZooKeeperSession.describe(header)
            FuzzCheck.require(text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "evidence text with unprintable bytes")
        case .incomplete:
            FuzzCheck.require(bytes.count < 24, "incomplete after the header and count")
        case .notZooKeeper:
            FuzzCheck.require(
                ZooKeeperSession.parseReply(bytes + [0], xid: ZooKeeperSession.listXid) == .notZooKeeper,
                "a longer input undid a refusal")
        case .connected:
            FuzzCheck.require(false, "a ConnectResponse read as a reply")
        }
    }
}
