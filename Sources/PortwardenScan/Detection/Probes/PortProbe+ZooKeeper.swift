/// ZooKeeper's client port: a session opened without credentials, then one getChildren of `/`.
/// Served: anyone who reaches the port reads (and, with the default `world:anyone` ACL, writes)
/// the tree, no authentication at all (`INS-ZOOKEEPER-ANON`, 8.3.1). Refused with NoAuth: the
/// root's ACL wants credentials, and the digest ones travel readably in AddAuth on this
/// cleartext port (`INS-ZOOKEEPER-CLEAR`, 8.3.2). The session is closed after the reply; nothing
/// is created, set or deleted. The `srvr` four-letter word, on its own connection, names the
/// version where the server allows it.
extension PortProbe {
    /// Opens the session and lists `/`; true when a ConnectResponse came back (the service is
    /// ZooKeeper).
    mutating func probeZooKeeper(on connection: ProbeConnection) -> Bool {
        guard connection.send(ZooKeeperSession.connectRequest) else { return false }
        let answer = connection.receive { ZooKeeperSession.parseConnect($0) != .incomplete }
        guard case .connected(let session) = ZooKeeperSession.parseConnect(answer),
            let used = ZooKeeperSession.connectResponseLength(answer)
        else { return false }
        result.identify("zookeeper")
        if !session.refused, connection.send(ZooKeeperSession.listRootRequest) {
            let xid = ZooKeeperSession.listXid
            let reply = connection.receive(appendingTo: Array(answer.dropFirst(used))) {
                ZooKeeperSession.parseReply($0, xid: xid) != .incomplete
            }
            if case .reply(let header) = ZooKeeperSession.parseReply(reply, xid: xid) {
                recordZooKeeper(header)
            }
            connection.send(ZooKeeperSession.closeRequest)
        }
        // A refused session or another answer proves ZooKeeper, not how it authenticates: both
        // rules stay unjudged.
        connection.close()
        if let software = zooKeeperVersion() { result.identify("zookeeper", software: software) }
        return true
    }

    private mutating func recordZooKeeper(_ reply: ZooKeeperSession.Reply) {
        let detail = ZooKeeperSession.describe(reply)
        if reply.error == 0 {
            result.record(Self.zooKeeperAnonymousRule, .confirmed, detail: detail)
            // No credential was seen to cross: the cleartext-credential rule is not evidenced.
            result.record(Self.zooKeeperCleartextRule, .notMatched, detail: detail)
        } else if reply.error == ZooKeeperSession.noAuth {
            result.record(Self.zooKeeperAnonymousRule, .notMatched, detail: detail)
            result.record(Self.zooKeeperCleartextRule, .confirmed, detail: detail)
        }
    }

    /// The product and version `srvr` names on a fresh connection, or `nil` (the word is not
    /// allowed, or no answer).
    private func zooKeeperVersion() -> ProductVersion? {
        guard let connection = connect() else { return nil }
        defer { connection.close() }
        guard connection.send("srvr") else { return nil }
        return ProductVersion.zooKeeper(connection.receiveLine())
    }

    static let zooKeeperAnonymousRule = "INS-ZOOKEEPER-ANON"
    static let zooKeeperCleartextRule = "INS-ZOOKEEPER-CLEAR"
}
