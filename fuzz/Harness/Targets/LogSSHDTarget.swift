import PortwardenMonitor

/// sshd authentication lines in syslog framing through `LogLineReader`; every problem names a line of the input.
enum LogSSHDTarget: FuzzTarget {
    static let name = "log-sshd"

    static func run(_ input: [UInt8]) {
        LogTargetCheck.read(input, format: .sshd)
    }
}
