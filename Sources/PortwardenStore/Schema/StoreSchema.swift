/// The chained tables of the evidence store. docs/store.md describes each column.
public enum StoreSchema {
    public static let scans = TableSchema(
        code: 1, name: "scans",
        columns: [
            Column("started", .integer), Column("finished", .integer, nullable: true),
            Column("operator", .text), Column("source_address", .text, nullable: true),
            Column("vantage", .text, nullable: true), Column("targets", .text), Column("ports", .text),
            Column("parameters", .text), Column("tool_version", .text), Column("policy_hash", .text, nullable: true),
            Column("kind", .text), Column("observation_count", .integer),
        ],
        indexes: ["started"])

    /// Per-host coverage of a scan: what was probed on each host and what came of it.
    public static let scanHosts = TableSchema(
        code: 2, name: "scan_hosts",
        columns: [
            Column("scan_id", .integer), Column("host", .blob), Column("status", .text),
            Column("tcp_ports", .text), Column("udp_ports", .text), Column("probed", .integer),
            Column("answered", .integer), Column("note", .text, nullable: true),
        ],
        indexes: ["scan_id", "host"])

    /// Port state as intervals: one row per run of ports in one state, from first to last seen.
    public static let portIntervals = TableSchema(
        code: 3, name: "port_intervals",
        columns: [
            Column("host", .blob), Column("transport", .text), Column("vantage", .text),
            Column("port_low", .integer), Column("port_high", .integer), Column("state", .text),
            Column("service", .text, nullable: true), Column("product", .text, nullable: true),
            Column("version", .text, nullable: true), Column("reason", .text, nullable: true),
            Column("source_address", .text, nullable: true), Column("first_seen", .integer),
            Column("last_seen", .integer), Column("ended", .integer, nullable: true),
            Column("first_scan", .integer), Column("last_scan", .integer),
        ],
        indexes: ["host, transport, port_low", "state, first_seen", "ended"])

    /// Host listener state with owner intervals.
    public static let listenerIntervals = TableSchema(
        code: 4, name: "listener_intervals",
        columns: [
            Column("host", .blob), Column("namespace", .text), Column("transport", .text), Column("port", .integer),
            Column("bind", .text), Column("bind_address", .text, nullable: true),
            Column("process", .text, nullable: true), Column("unit", .text, nullable: true),
            Column("container", .text, nullable: true), Column("user_name", .text, nullable: true),
            Column("first_seen", .integer), Column("last_seen", .integer), Column("ended", .integer, nullable: true),
        ],
        indexes: ["host, transport, port", "ended"])

    /// Findings by fingerprint with their lifecycle state.
    public static let findings = TableSchema(
        code: 5, name: "findings",
        columns: [
            Column("fingerprint", .text), Column("rule", .text), Column("severity", .text),
            Column("zone", .text, nullable: true), Column("host", .text, nullable: true),
            Column("transport", .text, nullable: true), Column("port", .integer, nullable: true),
            Column("subject", .text, nullable: true), Column("message", .text), Column("status", .text),
            Column("status_reason", .text, nullable: true), Column("status_by", .text, nullable: true),
            Column("first_seen", .integer), Column("last_seen", .integer), Column("updated", .integer),
        ],
        indexes: ["status"], unique: ["fingerprint"])

    /// Every lifecycle transition of a finding.
    public static let findingEvents = TableSchema(
        code: 6, name: "finding_events",
        columns: [
            Column("fingerprint", .text), Column("time", .integer), Column("status", .text),
            Column("actor", .text, nullable: true), Column("reason", .text, nullable: true),
        ],
        indexes: ["fingerprint"])

    /// Exceptions and their lifecycle (requested, approved, revoked, expired).
    public static let exceptions = TableSchema(
        code: 7, name: "exceptions",
        columns: [
            Column("exception_id", .text), Column("zone", .text), Column("hosts", .text), Column("ports", .text),
            Column("justification", .text), Column("requested_by", .text), Column("requested", .integer),
            Column("expires", .text), Column("status", .text), Column("approved_by", .text, nullable: true),
            Column("approved_on", .text, nullable: true), Column("revoked_by", .text, nullable: true),
            Column("revoked", .integer, nullable: true), Column("revoke_reason", .text, nullable: true),
            Column("ticket", .text, nullable: true),
        ],
        unique: ["exception_id"])

    /// Reviews of a zone's rule set (PCI DSS 1.2.7).
    public static let reviews = TableSchema(
        code: 8, name: "reviews",
        columns: [
            Column("zone", .text), Column("reviewer", .text), Column("started", .integer),
            Column("signed", .integer, nullable: true), Column("signed_by", .text, nullable: true),
            Column("statement", .text, nullable: true),
        ],
        indexes: ["zone, signed"])

    /// Keep / modify / remove decisions of a review, one per service.
    public static let reviewDecisions = TableSchema(
        code: 9, name: "review_decisions",
        columns: [
            Column("review_id", .integer), Column("service", .text), Column("decision", .text),
            Column("note", .text, nullable: true), Column("decided", .integer),
        ],
        indexes: ["review_id"])

    /// Change records (PCI DSS 6.5.1).
    public static let changeRecords = TableSchema(
        code: 10, name: "change_records",
        columns: [
            Column("change_id", .text), Column("time", .integer), Column("reason", .text),
            Column("description", .text), Column("security_impact", .text), Column("approved_by", .text),
            Column("test_evidence", .text), Column("back_out", .text), Column("recorded_by", .text),
            Column("policy_version", .integer, nullable: true), Column("kind", .text),
        ],
        indexes: ["change_id"])

    /// Policy versions: the whole file, its hash and its diff from the previous version.
    public static let policyVersions = TableSchema(
        code: 11, name: "policy_versions",
        columns: [
            Column("time", .integer), Column("path", .text), Column("sha256", .text), Column("content", .text),
            Column("diff", .text), Column("change_id", .text),
        ])

    /// Reserved for flow events (monitoring).
    public static let flowEvents = TableSchema(
        code: 12, name: "flow_events",
        columns: [
            Column("time", .integer), Column("source", .text), Column("src", .blob), Column("dst", .blob),
            Column("transport", .text), Column("port", .integer), Column("action", .text),
            Column("detail", .text, nullable: true),
        ],
        indexes: ["time"])

    /// Alerts of the monitor by fingerprint: a repeat moves `last_seen` and adds to `count` (schema version 3;
    /// versions 1 and 2 reserved the table with other columns and nothing wrote it).
    public static let alerts = TableSchema(
        code: 13, name: "alerts",
        columns: [
            Column("fingerprint", .text), Column("rule", .text), Column("severity", .text),
            Column("requirements", .text), Column("zone", .text, nullable: true), Column("host", .text, nullable: true),
            Column("transport", .text, nullable: true), Column("port", .integer, nullable: true),
            Column("subject", .text, nullable: true), Column("message", .text), Column("input", .text, nullable: true),
            Column("first_seen", .integer), Column("last_seen", .integer), Column("count", .integer),
            Column("delivered", .integer, nullable: true),
        ],
        indexes: ["last_seen"], unique: ["fingerprint"], since: 3)

    /// Cold-tier archives: one immutable compressed file per month, its hash and the chain span it holds.
    public static let archives = TableSchema(
        code: 14, name: "archives",
        columns: [
            Column("month", .text), Column("file", .text), Column("sha256", .text), Column("first_seq", .integer),
            Column("last_seq", .integer), Column("last_hash", .blob), Column("records", .integer),
            Column("rows_moved", .integer), Column("created", .integer), Column("deleted", .integer, nullable: true),
        ],
        unique: ["month"])

    /// Runs of the retention job (itself evidence, PCI DSS 10.5.1).
    public static let retentionRuns = TableSchema(
        code: 15, name: "retention_runs",
        columns: [
            Column("time", .integer), Column("hot_days", .integer), Column("keep_days", .integer),
            Column("archived_months", .text), Column("deleted_months", .text), Column("rows_moved", .integer),
        ])

    /// Segmentation tests (`segment-test`, PCI DSS 11.4.5 / 11.4.6): who, when, from where, against what,
    /// the counts, the tester as given, and the whole evidence document (matrix, every result including the
    /// filtered ones, findings) with its SHA-256.
    public static let segmentationTests = TableSchema(
        code: 16, name: "segmentation_tests",
        columns: [
            Column("started", .integer), Column("finished", .integer), Column("operator", .text),
            Column("vantage", .text), Column("vantage_kind", .text), Column("source_address", .text),
            Column("entity", .text), Column("targets", .text), Column("tcp_ports", .text), Column("udp_ports", .text),
            Column("probes", .integer), Column("breaches", .integer), Column("blocked", .integer),
            Column("policy_hash", .text), Column("tool_version", .text), Column("tester_name", .text, nullable: true),
            Column("tester_organization", .text, nullable: true),
            Column("tester_qualification", .text, nullable: true),
            Column("independence_statement", .text, nullable: true), Column("next_due", .text),
            Column("evidence", .text), Column("evidence_sha256", .text),
        ],
        indexes: ["vantage, finished"], since: 2)

    /// Loads of an nftables ruleset (`enforce apply`): the previous and new file's SHA-256, the diff, who,
    /// when, and whether it held or was rolled back.
    public static let rulesetLoads = TableSchema(
        code: 17, name: "ruleset_loads",
        columns: [
            Column("time", .integer), Column("file", .text), Column("operator", .text),
            Column("previous_sha256", .text, nullable: true), Column("new_sha256", .text),
            Column("diff_summary", .text), Column("diff", .text), Column("outcome", .text),
            Column("detail", .text, nullable: true), Column("backup", .text, nullable: true),
            Column("change_id", .text, nullable: true), Column("reason", .text, nullable: true),
            Column("segmentation_change", .integer),
        ],
        indexes: ["time"], since: 2)

    /// Changes to a segmentation rule (a changed ruleset loaded, a policy version that changes the zones or
    /// the edges between them): each makes the next segmentation test due at once (11.4.5 "after any change").
    public static let segmentationChanges = TableSchema(
        code: 18, name: "segmentation_changes",
        columns: [
            Column("time", .integer), Column("origin", .text), Column("reference", .text),
            Column("change_id", .text, nullable: true), Column("summary", .text),
        ],
        indexes: ["time"], since: 2)

    /// Use of each declared service and exception seen in traffic (PCI DSS 1.2.7 "last seen traffic"):
    /// hits, first and last seen, and up to `ServiceUsageRecord.sourceLimit` distinct sources.
    public static let serviceUsage = TableSchema(
        code: 19, name: "service_usage",
        columns: [
            Column("kind", .text), Column("object_id", .text), Column("hits", .integer), Column("first_seen", .integer),
            Column("last_seen", .integer), Column("sources", .text), Column("more_sources", .integer),
        ],
        unique: ["kind, object_id"], since: 3)

    /// How far each log input has been read: the file's identity (device, inode, a hash of its first bytes),
    /// the byte offset and line number after the last line whose events are committed, and the counts so far.
    public static let logOffsets = TableSchema(
        code: 20, name: "log_offsets",
        columns: [
            Column("input", .text), Column("format", .text), Column("device", .integer), Column("inode", .integer),
            Column("head_length", .integer), Column("head_sha256", .text), Column("byte_offset", .integer),
            Column("line", .integer), Column("flows", .integer), Column("security_events", .integer),
            Column("problems", .integer), Column("updated", .integer),
        ],
        unique: ["input"], since: 3)

    /// Daily log reviews (PCI DSS 10.4.1): the day reviewed, who acknowledged its summary and when, what it
    /// counted, and the SHA-256 of the summary as shown.
    public static let dailyReviews = TableSchema(
        code: 21, name: "daily_reviews",
        columns: [
            Column("day", .text), Column("reviewer", .text), Column("acknowledged", .integer),
            Column("note", .text, nullable: true), Column("alerts", .integer), Column("summary_sha256", .text),
        ],
        unique: ["day"], since: 4)

    /// Every chained table, in code order.
    public static let tables: [TableSchema] = [
        scans, scanHosts, portIntervals, listenerIntervals, findings, findingEvents, exceptions, reviews,
        reviewDecisions, changeRecords, policyVersions, flowEvents, alerts, archives, retentionRuns,
        segmentationTests, rulesetLoads, segmentationChanges, serviceUsage, logOffsets, dailyReviews,
    ]

    /// The tables a store at schema `version` has.
    public static func tables(upTo version: Int64) -> [TableSchema] { tables.filter { $0.since <= version } }

    /// The table with the code, if any.
    public static func table(code: Int) -> TableSchema? { tables.first { $0.code == code } }

    /// The table with the name, if any.
    public static func table(named name: String) -> TableSchema? { tables.first { $0.name == name } }
}
