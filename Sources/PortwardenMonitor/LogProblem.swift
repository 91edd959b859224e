import PortwardenCore

/// Why a parser could not use a line: the column (0-based offset into the line) and a message.
public struct LogLineError: Error, Hashable, Sendable {
    public var offset: Int
    public var message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }
}
