/// etcd's client API on 2379 over plain HTTP: `GET /version` names it, then a count-only range
/// read of one key (no value comes back) shows whether it needs credentials. Served: no
/// authentication at all (`INS-ETCD-ANON`, 8.3.1); refused for want of a user: authentication is on,
/// and its passwords and tokens cross this cleartext port (`INS-ETCD-CLEAR`, 8.3.2).
extension PortProbe {
    /// The client port etcd listens on by default.
    static let etcdClientPort: UInt16 = 2379

    /// Asks `/version`, then the range read; records both etcd rules when etcd answered.
    mutating func probeEtcd() {
        guard let connection = connect() else { return }
        defer { connection.close() }
        guard let response = httpGet("/version", on: connection) else { return }
        guard response.status == 200, let version = EtcdReply.version(response.body) else {
            result.record(Self.etcdAnonymousRule, .notMatched)
            result.record(Self.etcdCleartextRule, .notMatched)
            return
        }
        result.identify("etcd-client", software: ProductVersion("etcd", version.server))
        connection.close()
        guard let range = httpPost("/v3/kv/range", json: EtcdReply.rangeRequest) else { return }
        switch EtcdReply.range(status: range.status, body: range.body) {
        case .served:
            let detail = "count-only range read served without credentials"
            result.record(Self.etcdAnonymousRule, .confirmed, detail: detail)
            result.record(Self.etcdCleartextRule, .notMatched, detail: detail)
        case .authenticationRequired(let message):
            let detail = "range read refused: \(message)"
            result.record(Self.etcdAnonymousRule, .notMatched, detail: detail)
            result.record(Self.etcdCleartextRule, .confirmed, detail: detail)
        case .unknown:
            break
        }
    }

    /// Sends one POST with a JSON body on a fresh connection and parses the reply.
    func httpPost(_ path: String, json: String) -> HTTPResponse? {
        guard let connection = connect() else { return nil }
        defer { connection.close() }
        let body = Array(json.utf8)
        let request =
            "POST \(path) HTTP/1.0\r\nHost: \(hostHeader)\r\nUser-Agent: portwarden\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        guard connection.send(Array(request.utf8) + body) else { return nil }
        return HTTPResponse.parse(connection.receive { HTTPResponse.isComplete($0) })
    }

    static let etcdAnonymousRule = "INS-ETCD-ANON"
    static let etcdCleartextRule = "INS-ETCD-CLEAR"
}
