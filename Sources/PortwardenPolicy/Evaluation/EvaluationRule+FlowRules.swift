import PortwardenCore

extension EvaluationRule {
    /// The rules of the flow correlator (`ingest`, `monitor`, `docs/monitoring.md`), besides
    /// ``sourceNotPermitted``, which it shares with the evaluator.
    static let flowRules: [RuleDescription] = [
        RuleDescription(
            id: undeclaredFlow, name: "Undeclared flow", defaultSeverity: .high, cdeSeverity: .critical,
            requirements: reqs("1.2.5", "1.3.1", "1.3.2", "1.3.3", "1.4.2", "12.5.2"),
            summary: "Logged traffic reached a port in a declared zone that no service or exception declares. Ids "
                + "and severity by zone pair, as for PW-SOURCE-NOT-PERMITTED.",
            remediation: "Close the port or block it at the network control, or declare the service with its "
                + "justification, owner and approver.",
            raisedBy: [.flowCorrelator]),
        RuleDescription(
            id: flowExpiredException, name: "Traffic through an expired exception", defaultSeverity: .high,
            cdeSeverity: .critical, requirements: reqs("1.2.5", "1.3.1", "1.3.2", "1.3.3", "1.4.2", "12.5.2"),
            summary: "Logged traffic reached a port that only an expired exception covers. Ids and severity by zone "
                + "pair, as for PW-SOURCE-NOT-PERMITTED.",
            remediation: "Renew the exception with a new approval, or close the port and remove the exception.",
            raisedBy: [.flowCorrelator]),
        RuleDescription(
            id: portScan, name: "Port scan from inside the network", defaultSeverity: .high, cdeSeverity: .high,
            requirements: reqs("10.4.1"),
            summary: "One source touched many distinct ports or hosts within a short window (20 within 60 s by "
                + "default). Evidence for the daily log review.",
            remediation: "Find out who runs the scan; if it is an authorised scanner, list its address so that its "
                + "runs are expected.",
            raisedBy: [.flowCorrelator]),
        RuleDescription(
            id: repeatedDenies, name: "Repeated denied connections", defaultSeverity: .medium, cdeSeverity: .medium,
            requirements: reqs("10.4.1"),
            summary: "Many connections from one source into a CDE zone were denied within a window (10 within 300 s "
                + "by default): the control held, but someone keeps trying.",
            remediation: "Review the source: a misconfigured client, or an attempt to find a way into the CDE.",
            raisedBy: [.flowCorrelator]),
        RuleDescription(
            id: idsIncident, name: "IDS alert followed by CDE access", defaultSeverity: .critical,
            cdeSeverity: .critical, requirements: reqs("10.4.1"),
            summary: "An IDS alert for a source and a connection from that source into a CDE zone fell within one "
                + "window (600 s by default): one incident per source, CDE host and port, which later alerts and "
                + "connections within the window join (count and last seen) instead of raising another.",
            remediation: "Start incident response for the source and the CDE host it reached.",
            raisedBy: [.flowCorrelator]),
        RuleDescription(
            id: authFailuresThenAccess, name: "Authentication failures, then access", defaultSeverity: .high,
            cdeSeverity: .high, requirements: reqs("10.4.1"),
            summary: "Authentication failures from a source (5 by default) were followed within a window (600 s) by "
                + "a connection from it into a CDE zone.",
            remediation: "Check whether the source guessed its way in; review the accounts it tried.",
            raisedBy: [.flowCorrelator]),
        RuleDescription(
            id: logSourceSilent, name: "Log source silent", defaultSeverity: .high, cdeSeverity: .high,
            requirements: reqs("10.7.2"),
            summary: "A firewall or sensor log has written nothing for longer than its allowed silence (an hour by "
                + "default): a failed security control until shown otherwise.",
            remediation: "Check that the source still logs and that its logs still reach Portwarden.",
            raisedBy: [.flowCorrelator]),
    ]
}
