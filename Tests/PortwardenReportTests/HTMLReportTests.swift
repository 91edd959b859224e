import Foundation
import PortwardenCore
import PortwardenPolicy
import PortwardenReport
import Testing

@Suite("HTML report")
struct HTMLReportTests {
    @Test func isSelfContainedAndAccessible() {
        let html = HTMLReport.render(ReportFixtures.context())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<style>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src=\""))
        // The only URL allowed is the SVG namespace, which is a name, not a resource that loads.
        let withoutNamespace = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!withoutNamespace.contains("http://"))
        #expect(!withoutNamespace.contains("https://"))
        #expect(!withoutNamespace.contains("url("))
        #expect(html.contains("<th scope=\"col\">Severity</th>"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(html.contains("role=\"img\""))
        #expect(html.hasSuffix("</html>\n"))
    }

    /// The rules section explains every rule of the findings from the rule table, and each finding
    /// links to its rule.
    @Test func explainsTheRulesOfTheFindings() {
        let context = ReportFixtures.context()
        let html = HTMLReport.render(context)
        #expect(html.contains("<section id=\"rules\""))
        for id in Set(context.findings.map(\.rule)) {
            #expect(html.contains("<code id=\"rule-\(id)\">"), "\(id)")
            #expect(html.contains("<a href=\"#rule-\(id)\">"), "\(id)")
            #expect(html.contains(EvaluationRule.description(of: id)?.name ?? "\(id) is not in the rule table"))
        }
    }

    @Test func neverSaysCompensatingControl() {
        let html = HTMLReport.render(ReportFixtures.context()).lowercased()
        #expect(!html.contains("compensating"))
        #expect(html.contains("exception"))
    }

    @Test func escapesEveryInterpolatedString() {
        var policy = ReportFixtures.policy
        policy.organization = "Evil <Corp> & \"Sons\""
        policy.services[0].justification = "<img src=x onerror=alert(1)>"
        let finding = Finding(
            rule: "PW-<b>", severity: .high, requirements: [Requirement("1.2.5")], zone: "z'\"",
            subject: "<svc>", message: "<script>alert(\"pwned\")</script> it's", remediation: "use </td> & more")
        var context = ReportFixtures.context(findings: [finding])
        context.policy = policy
        context.policyPath = "a\"><script>.yaml"
        context.toolVersion = "<v>"
        let html = HTMLReport.render(context)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<svc>"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<v>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; it&#39;s"))
        #expect(html.contains("Evil &lt;Corp&gt; &amp; &quot;Sons&quot;"))
        #expect(html.contains("use &lt;/td&gt; &amp; more"))
        #expect(html.contains("a&quot;&gt;&lt;script&gt;.yaml"))
    }

    @Test func findingsTableIsMostSevereFirst() throws {
        let html = HTMLReport.render(ReportFixtures.context(findings: ReportFixtures.findings.reversed()))
        let positions = try ["sev-critical\">", "sev-high\">", "sev-medium\">", "sev-low\">", "sev-info\">"].map {
            try #require(html.range(of: $0)).lowerBound
        }
        #expect(positions == positions.sorted())
        #expect(html.contains("<th scope=\"col\">Fix</th>"))
    }

    @Test func servicesTableShowsThe125Columns() throws {
        let html = HTMLReport.render(ReportFixtures.context())
        for header in [
            "ID", "Kind", "Zone", "Hosts", "Protocol", "Ports", "Allow from", "Justification", "Owner", "Approved by",
            "Approved on", "Ticket", "Insecure per pack", "Security features", "Expires", "Last seen listening",
        ] {
            #expect(html.contains("<th scope=\"col\">\(header)</th>"))
        }
        let services = try #require(Self.section("services", in: html))
        let pg = try #require(Self.row(containing: "<code>pg-primary</code>", in: services))
        #expect(pg.contains("<td>ciso</td><td>2026-09-01</td>"))
        #expect(pg.contains("CHG-1042"))
        #expect(pg.contains("10.20.1.10/32"), "hosts as CIDRs")
        #expect(pg.contains("2026-12-10T09:00:00Z"), "the latest open observation, not the older one")
        let web = try #require(Self.row(containing: "<code>web-api</code>", in: services))
        #expect(web.contains("<td class=\"missing\">missing</td>"), "no justification")
        #expect(web.contains("<td>no</td>"), "insecure per the pack (443, 8443 are in no row), not per findings")
        #expect(web.contains("all hosts of the zone"))
        let dns = try #require(Self.row(containing: "<code>dns</code>", in: services))
        #expect(dns.contains("not observed"))
        #expect(dns.contains("<td>udp</td>"), "the protocol column")
    }

    /// Exceptions are rows of the 1.2.5 table too, with their features, expiry and approval.
    @Test func servicesTableListsExceptionsWithFeaturesAndExpiry() throws {
        let services = try #require(Self.section("services", in: HTMLReport.render(ReportFixtures.context())))
        let ex7 = try #require(Self.row(containing: "<code>EX-7</code>", in: services))
        #expect(ex7.contains("<td>exception</td>"))
        #expect(ex7.contains("source-restricted, extra-logging"))
        #expect(ex7.contains("2026-12-31"))
        #expect(ex7.contains("yes: INS-TELNET"), "tcp/23 is in the pack's Telnet row")
        #expect(ex7.contains("<td class=\"missing\">missing</td>"), "no approval date")
        #expect(ex7.contains("2026-12-10T09:01:00Z"), "telnet was seen open on the excepted host")
        let ex10 = try #require(Self.row(containing: "<code>EX-10</code>", in: services))
        #expect(ex10.contains("<td class=\"nowrap\">none</td>"), "no expiry")
        #expect(ex10.contains("not observed"))
    }

    @Test(arguments: [
        ("EX-7", "valid"), ("EX-3", "expired"), ("EX-9", "valid"), ("EX-10", "no expiry"),
    ])
    func exceptionStatusRelativeToGeneration(id: String, status: String) throws {
        let exceptions = try #require(Self.section("exceptions", in: HTMLReport.render(ReportFixtures.context())))
        let row = try #require(Self.row(containing: "<code>\(id)</code>", in: exceptions))
        #expect(row.contains(">\(status)</td></tr>"))
    }

    /// EX-7 expires on 2026-12-31; "expiring" uses the evaluator's PW-EXCEPTION-EXPIRING window (14 days).
    @Test(arguments: [
        ("2026-12-31T23:59:59Z", "expiring"), ("2027-01-01T00:00:00Z", "expired"), ("2026-12-17T00:00:00Z", "expiring"),
        ("2026-12-16T23:59:59Z", "valid"),
    ])
    func exceptionExpiryBoundaries(time: String, status: String) throws {
        var context = ReportFixtures.context()
        context.generatedAt = ReportFixtures.date(time)
        let exceptions = try #require(Self.section("exceptions", in: HTMLReport.render(context)))
        let row = try #require(Self.row(containing: "<code>EX-7</code>", in: exceptions))
        #expect(row.contains(">\(status)</td></tr>"))
    }

    @Test func inventoryListsOnlyOpenPorts() throws {
        let html = HTMLReport.render(ReportFixtures.context())
        let start = try #require(html.range(of: "<section id=\"inventory\""))
        let inventory = html[start.lowerBound...]
        #expect(inventory.contains("tcp/21"))
        #expect(inventory.contains("/usr/sbin/nginx") == false)
        #expect(inventory.contains("<td>host</td>"))
        #expect(!inventory.contains("tcp/22<"), "closed ports are not in the inventory")
        #expect(!inventory.contains("udp/161"), "open|filtered is not a confirmed open port")
        #expect(inventory.components(separatedBy: "<tr><td").count - 1 == 5)
    }

    @Test func emptyRunStillRendersEverySection() {
        let context = AuditContext(
            policy: Policy(), policyPath: "p.yaml", generatedAt: ReportFixtures.generatedAt, toolVersion: "1")
        let html = HTMLReport.render(context)
        #expect(html.contains("No findings."))
        #expect(html.contains("The policy declares no services and no exceptions."))
        #expect(html.contains("The policy has no exceptions."))
        #expect(html.contains("No open ports were observed."))
        #expect(html.contains("Nothing at or above high (exit 0)."))
        #expect(!html.contains("PASS") && !html.lowercased().contains("compliant"))
        #expect(html.contains("Generated by portwarden 1 at"))
    }

    /// The `<tr>…</tr>` holding `marker`.
    /// The markup of the report section with this id.
    static func section(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\""),
            let end = html[start.upperBound...].range(of: "</section>")
        else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func row(containing marker: String, in html: String) -> String? {
        guard let hit = html.range(of: marker),
            let start = html[..<hit.lowerBound].range(of: "<tr>", options: .backwards),
            let end = html[hit.upperBound...].range(of: "</tr>")
        else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }
}
