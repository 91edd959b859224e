import PortwardenCore
import PortwardenMonitor
import Testing

@Suite("monitor --config: one setting a line, located errors")
struct MonitorConfigTests {
    @Test("inputs, timers and comments")
    func settings() throws {
        let config = try MonitorConfig.parse(
            "# monitor\ninput netfilter /var/log/kern.log\n\ninput sshd -   # stdin\nsilence-after 900\n"
                + "check-every 30\ncommit-every 500\n", file: "m.conf")
        #expect(
            config.inputs == [
                MonitorInput(path: "/var/log/kern.log", format: .netfilter), MonitorInput(path: "-", format: .sshd),
            ])
        #expect(config.silenceAfter == 900)
        #expect(config.checkEvery == 30)
        #expect(config.commitEvery == 500)
        #expect(config.webhook == nil)
    }

    @Test("the webhook sink's URL, timeout, queue and attempts")
    func webhook() throws {
        let config = try MonitorConfig.parse(
            "webhook http://[fd00::9]:8080/hooks/pw  # receiver\nwebhook-timeout 2.5\nwebhook-queue 500\n"
                + "webhook-attempts 3\nsyslog udp://10.20.9.1:514\n", file: "m.conf")
        #expect(
            config.webhook == WebhookURL(address: try #require(IPAddress("fd00::9")), port: 8080, path: "/hooks/pw"))
        #expect(config.webhookTimeout == 2.5)
        #expect(config.webhookQueue == 500)
        #expect(config.webhookAttempts == 3)
        #expect(config.syslog == "udp://10.20.9.1:514")
    }

    @Test(
        "a bad line names its line and column",
        arguments: [
            ("input pcap /tmp/x\n", 1, 7, "unknown format \"pcap\""),
            ("input netfilter /a\n  input zeek /a\n", 2, 14, "/a is already an input"),
            ("silence-after soon\n", 1, 15, "silence-after takes one positive number"),
            ("check-every -1\n", 1, 13, "check-every takes one positive number"),
            ("input netfilter\n", 1, 1, "input takes a format and a path"),
            ("\n\nfollow yes\n", 3, 1, "unknown setting \"follow\""),
            ("webhook https://10.0.0.1:443/\n", 1, 9, "https is not supported"),
            ("  webhook http://hooks.example:80/\n", 1, 18, "the host must be an IP address"),
            ("webhook http://10.0.0.1:0/\n", 1, 25, "expected a port 1-65535"),
            ("webhook\n", 1, 1, "webhook takes one URL"),
            ("webhook-queue 0\n", 1, 15, "webhook-queue takes one whole number from 1 to 1000000"),
            ("webhook-attempts 2.5\n", 1, 18, "webhook-attempts takes one whole number from 1 to 100"),
            ("webhook-timeout never\n", 1, 17, "webhook-timeout takes one positive number"),
        ])
    func located(text: String, line: Int, column: Int, message: String) {
        #expect {
            _ = try MonitorConfig.parse(text, file: "m.conf")
        } throws: { error in
            guard let diagnostic = error as? Diagnostic else { return false }
            return diagnostic.line == line && diagnostic.column == column && diagnostic.message.contains(message)
        }
    }
}
