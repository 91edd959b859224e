/// MQTT: a CONNECT without credentials on the cleartext connection; the CONNACK's return code says
/// whether the broker lets anyone in (`INS-MQTT-ANON`, 8.3.1) or wants credentials, which then
/// cross this connection readably (`INS-MQTT-CLEAR`, 8.3.2).
extension PortProbe {
    /// Sends the credential-free CONNECT; true when a CONNACK came back (the service is MQTT).
    mutating func probeMQTT(on connection: ProbeConnection) -> Bool {
        guard connection.send(MQTTConnAck.connect) else { return false }
        let reply = connection.receive { MQTTConnAck.parse($0) != .incomplete }
        guard case .connAck(let code) = MQTTConnAck.parse(reply) else { return false }
        result.identify("mqtt")
        let detail = MQTTConnAck.describe(code)
        if code == MQTTConnAck.accepted {
            connection.send(MQTTConnAck.disconnect)
            result.record(Self.mqttAnonymousRule, .confirmed, detail: detail)
            // No credential was seen to cross: the cleartext-credential rule is not evidenced.
            result.record(Self.mqttCleartextRule, .notMatched, detail: detail)
        } else if MQTTConnAck.credentialsRequired.contains(code) {
            result.record(Self.mqttAnonymousRule, .notMatched, detail: detail)
            result.record(Self.mqttCleartextRule, .confirmed, detail: detail)
        }
        // Other codes prove MQTT, not how it authenticates: both rules stay unjudged.
        return true
    }

    static let mqttAnonymousRule = "INS-MQTT-ANON"
    static let mqttCleartextRule = "INS-MQTT-CLEAR"
}
