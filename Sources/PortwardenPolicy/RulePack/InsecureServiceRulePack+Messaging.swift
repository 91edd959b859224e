import PortwardenCore

extension InsecureServiceRulePack {
    /// Message brokers in plaintext (`insecure-services.md` §0 item 10: "MQTT/AMQP/Kafka/ZooKeeper in
    /// plaintext"). MQTT and ZooKeeper are split as VNC is (§0 item 5): a broker that lets a client in without
    /// credentials is 8.3.1 (no authentication at all); one that wants credentials on the cleartext
    /// port makes them cross readably, 8.3.2; so does an AMQP broker offering PLAIN or AMQPLAIN on its
    /// cleartext port. Every row carries 2.2.5 and 1.2.6 (§0 item 1).
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
        // No host process: RabbitMQ runs as Erlang's beam.smp, which proves no product.
        InsecureServiceRule(
            id: "INS-AMQP-CLEAR", name: "AMQP without TLS", ports: ports("tcp/5672"), defaultSeverity: .medium,
            cdeSeverity: .high, requirements: plus("8.3.2"),
            why:
                "AMQP on the cleartext port carries the PLAIN or AMQPLAIN login's user name and password, and every "
                + "message, readably.",
            remediation:
                "Serve AMQP over TLS (5671) only and close the cleartext listener (RabbitMQ: listeners.tcp = none).",
            handshake:
                "AMQP 0-9-1 protocol header on the cleartext port: a Connection.Start offering PLAIN or AMQPLAIN "
                + "(the client's password itself crosses the connection) matches; one offering neither is not-matched.",
            mitigationsAllowed: ["tls-wrapped", "tunnelled-ipsec", "source-restricted"], basis: .verify,
            configurationDependent: true),
        // ZooKeeper is split the same way; the pack's table has no row, so ids, severities and
        // requirements are ours, as for MQTT. Its client port is the data plane of the systems that
        // coordinate through it, as a broker's is (the AdminServer and JMX are other ports), so
        // 2.2.7 is not claimed. No process: the server is a `java` process like any other.
        InsecureServiceRule(
            id: "INS-ZOOKEEPER-ANON", name: "ZooKeeper serving its tree without credentials",
            ports: ports("tcp/2181"), defaultSeverity: .high, cdeSeverity: .critical, requirements: plus("8.3.1"),
            why:
                "A ZooKeeper whose root is readable by a session that presented no credentials lets anyone who "
                + "reaches it read the coordination data of the systems that use it (and, with the default "
                + "world:anyone ACL, change it): no authentication at all.",
            remediation:
                "Put ACLs that require authentication (SASL, or digest over TLS) on / and every application "
                + "node, serve clients on the TLS secureClientPort only, and close the cleartext clientPort.",
            handshake:
                "ZooKeeper ConnectRequest without credentials on the cleartext port, then getChildren of /: "
                + "error 0 (served) matches.",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], basis: .verify, reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-ZOOKEEPER-CLEAR", name: "ZooKeeper without TLS", ports: ports("tcp/2181"),
            defaultSeverity: .medium, cdeSeverity: .high, requirements: plus("8.3.2"),
            why:
                "ZooKeeper's cleartext client port carries the digest scheme's user name and password in AddAuth, "
                + "and every node's data, readably.",
            remediation:
                "Serve clients on the TLS secureClientPort only (or SASL with Kerberos) and close the cleartext "
                + "clientPort.",
            handshake:
                "ZooKeeper ConnectRequest without credentials on the cleartext port, then getChildren of /: error "
                + "-102 NoAuth (the root's ACL wants credentials, which this port would carry in cleartext) matches.",
            mitigationsAllowed: ["tls-wrapped", "tunnelled-ipsec", "source-restricted"], basis: .verify,
            configurationDependent: true),
    ]
}
