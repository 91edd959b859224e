import PortwardenMonitor

/// Suricata EVE JSON lines through `LogLineReader`; every problem names a line of the input.
enum LogSuricataTarget: FuzzTarget {
    static let name = "log-suricata"

    static func run(_ input: [UInt8]) {
        LogTargetCheck.read(input, format: .suricata)
    }
}
