import PortwardenCore

extension InsecureServiceRulePack {
    /// Cluster control planes without TLS (`insecure-services.md` §0 item 10: "Kubernetes API /
    /// kubelet / etcd without TLS or auth"). etcd holds a Kubernetes cluster's whole state, secrets
    /// included: its API is administrative access, so 2.2.7 as for `INS-DOCKER-API` (pci-dss.md:
    /// 2.2.7 covers browser UIs and APIs). Split as VNC is (§0 item 5): no authentication at all is
    /// 8.3.1; authentication on the cleartext port is 8.3.2. Every row carries 2.2.5 and 1.2.6.
    static let controlPlaneRules: [InsecureServiceRule] = [
        InsecureServiceRule(
            id: "INS-ETCD-ANON", name: "etcd API without TLS and without authentication", ports: ports("tcp/2379"),
            defaultSeverity: .critical, cdeSeverity: .critical, requirements: plus("2.2.7", "8.3.1"),
            why:
                "Whoever reaches an etcd client port that needs no credentials reads and writes the cluster's "
                + "whole state, Kubernetes secrets included, in cleartext.",
            remediation:
                "Serve the client API over TLS with client certificates (--client-cert-auth, --cert-file, "
                + "--key-file, --trusted-ca-file) and enable authentication.",
            handshake:
                "GET /version over plain HTTP names etcd; a count-only range read of one key (no value returned) "
                + "answered with a response header matches.",
            mitigationsAllowed: ["source-restricted", "tunnelled-ipsec"], basis: .verify, reportsPortOnly: false),
        InsecureServiceRule(
            id: "INS-ETCD-CLEAR", name: "etcd API without TLS", ports: ports("tcp/2379"), defaultSeverity: .high,
            cdeSeverity: .critical, requirements: plus("2.2.7", "8.3.2"),
            why:
                "etcd's client API on plain HTTP carries the user passwords and tokens of its authentication, and "
                + "every key, readably.",
            remediation:
                "Serve the client API over TLS only (https client URLs, --client-cert-auth) and close the "
                + "cleartext listener.",
            handshake:
                "GET /version over plain HTTP names etcd; a count-only range read refused for want of a user or "
                + "token (authentication on, over cleartext) matches.",
            processes: ["etcd"], mitigationsAllowed: ["tls-wrapped", "tunnelled-ipsec", "source-restricted"],
            basis: .verify, configurationDependent: true),
    ]
}
