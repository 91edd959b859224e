import PortwardenMonitor

/// Zeek conn.log (TSV with #fields headers, and JSON) through `LogLineReader`; every problem names a line of the input.
enum LogZeekTarget: FuzzTarget {
    static let name = "log-zeek"

    static func run(_ input: [UInt8]) {
        LogTargetCheck.read(input, format: .zeek)
    }
}
