/// AMQP 0-9-1: the protocol header on tcp/5672. The broker's `Connection.Start` names its product and
/// version and the SASL mechanisms it offers; PLAIN and AMQPLAIN carry the client's password itself,
/// so on this cleartext port it crosses readably (`INS-AMQP-CLEAR`, 8.3.2). The probe reads the offer
/// and closes before `Connection.Start-Ok`: nothing is authenticated.
extension PortProbe {
    /// Sends the header; true when the reply is AMQP (a `Connection.Start` or a protocol header).
    mutating func probeAMQP(on connection: ProbeConnection) -> Bool {
        guard connection.send(AMQPConnectionStart.header) else { return false }
        let reply = connection.receive { AMQPConnectionStart.parse($0) != .incomplete }
        switch AMQPConnectionStart.parse(reply) {
        case .start(let start):
            result.identify(
                "amqp", software: start.properties["product"].map { ProductVersion($0, start.properties["version"]) })
            result.details["amqp.mechanisms"] = start.mechanisms.joined(separator: " ")
            let cleartext = start.mechanisms.contains { AMQPConnectionStart.cleartextMechanisms.contains($0) }
            result.record(
                Self.amqpCleartextRule, cleartext ? .confirmed : .notMatched,
                detail: AMQPConnectionStart.describe(start))
            return true
        case .protocolHeader(let version):
            // Another AMQP version (1.0, or its SASL layer): AMQP, but how it authenticates is not read.
            result.identify("amqp")
            result.details["amqp.protocol-header"] = version.map { String($0) }.joined(separator: ".")
            return true
        case .incomplete, .notAMQP:
            return false
        }
    }

    static let amqpCleartextRule = "INS-AMQP-CLEAR"
}
