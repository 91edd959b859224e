import PortwardenCore

/// One per-port change between two inventories.
public struct DriftChange: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What changed.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A port that was not listening is now.
        case opened
        /// A port that was listening is not any more.
        case closed
        /// The same port is now held by another executable (or unit, or container).
        case ownerChanged = "owner-changed"
        /// The same port is now bound to another scope or address (e.g. loopback → wildcard).
        case scopeChanged = "scope-changed"
    }

    /// What changed.
    public var kind: Kind
    /// Which port.
    public var port: PortKey
    /// The port before (`nil` when opened).
    public var before: PortView?
    /// The port after (`nil` when closed).
    public var after: PortView?

    /// Creates a change.
    public init(kind: Kind, port: PortKey, before: PortView?, after: PortView?) {
        self.kind = kind
        self.port = port
        self.before = before
        self.after = after
    }

    /// `opened tcp/8080 ipv4 in net:[…]: wildcard 0.0.0.0 by /usr/bin/python3.11`.
    public var description: String {
        func bindings(_ view: PortView?) -> String {
            view?.bindings.map(\.description).joined(separator: ", ") ?? "-"
        }
        func owners(_ view: PortView?) -> String {
            guard let view, !view.owners.isEmpty else { return "unknown owner" }
            return view.owners.map(\.description).joined(separator: ", ")
        }
        switch kind {
        case .opened: return "opened \(port): \(bindings(after)) by \(owners(after))"
        case .closed: return "closed \(port): was \(bindings(before)) by \(owners(before))"
        case .ownerChanged: return "owner-changed \(port): \(owners(before)) → \(owners(after))"
        case .scopeChanged: return "scope-changed \(port): \(bindings(before)) → \(bindings(after))"
        }
    }
}
