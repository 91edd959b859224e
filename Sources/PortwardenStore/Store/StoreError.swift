/// An error from the evidence store, with what went wrong and the context a person needs to act on it.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// The database could not be opened, read or written.
        case backend
        /// A `--db` location or URL that cannot be used.
        case location
        /// No store has been initialised at the location.
        case notInitialized
        /// The store was made by a newer Portwarden (its schema version is higher than this one knows).
        case schemaTooNew
        /// The signing key is missing, unreadable or does not match the store.
        case signingKey
        /// A request that breaks a lifecycle rule (approver = requester, unknown id, wrong state).
        case lifecycle
        /// A retention setting below the PCI DSS minimum, or an archive that cannot be written or read.
        case retention
        /// Input that cannot be stored (a value out of range, a missing field).
        case input
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
