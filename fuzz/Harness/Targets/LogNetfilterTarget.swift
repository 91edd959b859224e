import PortwardenMonitor

/// netfilter (kernel LOG) lines in syslog framing through `LogLineReader`; every problem names a line of the input.
enum LogNetfilterTarget: FuzzTarget {
    static let name = "log-netfilter"

    static func run(_ input: [UInt8]) {
        LogTargetCheck.read(input, format: .netfilter)
    }
}
