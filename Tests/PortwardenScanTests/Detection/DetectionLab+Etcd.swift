import PortwardenCore

@testable import PortwardenScan

/// etcd in the detection lab: once as installed (no authentication) on 127.0.0.1:2379, once with
/// authentication turned on through its own API on ``DetectionLab/secondAddress``:2379.
extension DetectionLab {
    static let etcdServers: [LabServer] = [
        LabServer(
            name: "etcd without authentication", binary: "/usr/bin/etcd", ports: [2379],
            command: etcd(name: "open", address: "127.0.0.1")),
        LabServer(
            name: "etcd with authentication", binary: "/usr/bin/etcd", ports: [2379],
            command: etcd(name: "auth", address: "127.0.0.2"), address: secondAddress, setup: enableEtcdAuthentication),
    ]

    static func etcd(name: String, address: String) -> [String] {
        [
            "/usr/bin/etcd", "--name", name, "--data-dir", "{dir}/etcd-\(name)", "--listen-client-urls",
            "http://\(address):2379", "--advertise-client-urls", "http://\(address):2379", "--listen-peer-urls",
            "http://\(address):2380", "--initial-advertise-peer-urls", "http://\(address):2380",
            "--initial-cluster", "\(name)=http://\(address):2380", "--log-level", "error",
        ]
    }

    /// Adds the `root` user (a lab password nobody guesses), grants it the `root` role and turns
    /// authentication on, through the v3 gateway: each call must be answered 200.
    @Sendable static func enableEtcdAuthentication(_ address: IPAddress) -> Bool {
        let client = PortProbe(host: address, port: 2379, configuration: labConfiguration)
        let calls = [
            ("/v3/auth/user/add", #"{"name":"root","password":"lab-secret-not-guessed"}"#),
            ("/v3/auth/role/add", #"{"name":"root"}"#),
            ("/v3/auth/user/grant", #"{"user":"root","role":"root"}"#),
            ("/v3/auth/enable", "{}"),
        ]
        return calls.allSatisfy { client.httpPost($0.0, json: $0.1)?.status == 200 }
    }
}
