import PortwardenCore

extension InsecureServiceRulePack {
    /// Message brokers in plaintext (`insecure-services.md` §0 item 10: "MQTT/AMQP/Kafka/ZooKeeper in
    /// plaintext"). MQTT is split as VNC is (§0 item 5): a broker that lets a client in without
    /// credentials is 8.3.1 (no authentication at all); one that wants credentials on the cleartext
    /// port makes them cross readably, 8.3.2. Every row carries 2.2.5 and 1.2.6 (§0 item 1).
    static let messagingRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-MQTT-ANON", name: "MQTT broker accepting clients without credentials", ports: ports("tcp/1883"),
            defaultSeverity: .high, cdeSeverity: .critical, requirements: plus("8.3.1"),
            why:
                "A broker that accepts a CONNECT without a user name or password lets anyone who reaches it read "
                + "and publish messages: no authentication at all.",
            remediation:
                "Set allow_anonymous false (Mosquitto) or the broker's equivalent, require credentials or client "
                + "certificates, and serve MQTT over TLS (8883) only.",
            handshake: "MQTT 3.1.1 CONNECT without credentials on the cleartext port: CONNACK return code 0 matches.",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], basis: .verify, reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-MQTT-CLEAR", name: "MQTT without TLS", ports: ports("tcp/1883"), defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why:
                "MQTT on the cleartext port carries the CONNECT's user name and password, and every message, "
                + "readably.",
            remediation: "Serve MQTT over TLS (8883) only and close the cleartext listener.",
            handshake:
                "MQTT 3.1.1 CONNECT without credentials on the cleartext port: CONNACK return code 4 or 5 (the "
                + "broker wants credentials, which this port would carry in cleartext) matches.",
            processes: ["mosquitto"], mitigationsAllowed: ["tls-wrapped", "tunnelled-ipsec", "source-restricted"],
            basis: .verify, configurationDependent: true),
    ]
}
