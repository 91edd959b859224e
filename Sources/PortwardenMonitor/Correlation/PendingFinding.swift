import PortwardenCore
import PortwardenPolicy

/// A finding whose identity (the fields its fingerprint is made of) is known at once and whose text is built
/// only when needed: most events that match a rule repeat an alert inside its throttle, and for those only the
/// count moves, so building their messages would be wasted work on the hot path.
struct PendingFinding: Sendable {
    let rule: String
    let zone: String?
    let host: IPAddress?
    let transport: Transport?
    let port: UInt16?
    let subject: String?
    /// Builds the finding from this identity.
    private let make: @Sendable (PendingFinding) -> Finding

    init(
        rule: String, zone: String?, host: IPAddress?, transport: Transport? = nil, port: UInt16? = nil,
        subject: String?, make: @escaping @Sendable (PendingFinding) -> Finding
    ) {
        self.rule = rule
        self.zone = zone
        self.host = host
        self.transport = transport
        self.port = port
        self.subject = subject
        self.make = make
    }

    /// A finding built already (rules that fire rarely).
    init(_ finding: Finding) {
        self.init(
            rule: finding.rule, zone: finding.zone, host: finding.host, transport: finding.transport,
            port: finding.port, subject: finding.subject, make: { _ in finding })
    }

    /// `Finding.fingerprint` of the identity: what the built finding's fingerprint will be.
    var fingerprint: String {
        Finding.fingerprint(rule: rule, zone: zone, host: host, transport: transport, port: port, subject: subject)
    }

    func build() -> Finding { make(self) }
}
