@testable import PortwardenScan

/// etcd's gateway replies: the `/version` body and the count-only range answer (the first two bytes
/// pick the status: 200, 400, 401, 403 or 404).
enum DetectionEtcdTarget: FuzzTarget {
    static let name = "detection-etcd"

    static func run(_ input: [UInt8]) {
        guard input.count >= 2 else { return }
        let status = [200, 400, 401, 403, 404][Int(input[0]) % 5]
        let body = Array(input.dropFirst(2))
        if let version = EtcdReply.version(body) {
            FuzzCheck.require(!version.server.isEmpty && version.server.count <= 80, "version \(version.server)")
        }
        if case .authenticationRequired(let message) = EtcdReply.range(status: status, body: body) {
            FuzzCheck.require(status != 200 && message.count <= 80, "refusal from status \(status)")
        }
        _ = EtcdReply.stringField(input[1] % 2 == 0 ? "error" : "message", in: body)
    }
}
