import Foundation

/// The message brokers of the detection lab: Mosquitto on 1883 once letting anonymous clients in
/// (127.0.0.1) and once wanting credentials (``DetectionLab/secondAddress``).
extension DetectionLab {
    static let brokerServers: [LabServer] = [
        LabServer(
            name: "mosquitto anonymous", binary: "/usr/sbin/mosquitto", ports: [1883],
            command: ["/usr/sbin/mosquitto", "-c", "{dir}/mosquitto-anonymous.conf"]),
        LabServer(
            name: "mosquitto credentials required", binary: "/usr/sbin/mosquitto", ports: [1883],
            command: ["/usr/sbin/mosquitto", "-c", "{dir}/mosquitto-credentials.conf"], address: secondAddress),
    ]

    /// Writes the brokers' configuration files into `dir`.
    static func prepareBrokers(dir: String) throws {
        for (name, address, anonymous) in [("anonymous", "127.0.0.1", true), ("credentials", "127.0.0.2", false)] {
            let config = """
                listener 1883 \(address)
                allow_anonymous \(anonymous)
                persistence false
                log_dest none

                """
            try config.write(toFile: "\(dir)/mosquitto-\(name).conf", atomically: true, encoding: .utf8)
        }
    }
}
