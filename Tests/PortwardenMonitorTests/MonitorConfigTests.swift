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
                + "webhook-attempts 3\nsyslog udp://10.20.9.1:514\nwebhook-queue-bytes 65536\n"
                + "webhook-queue-file /var/lib/pw/queue # on disk\n", file: "m.conf")
        #expect(
            config.webhook == WebhookURL(address: try #require(IPAddress("fd00::9")), port: 8080, path: "/hooks/pw"))
        #expect(config.webhookTimeout == 2.5)
        #expect(config.webhookQueue == 500)
        #expect(config.webhookAttempts == 3)
        #expect(config.webhookQueueBytes == 65536)
        #expect(config.webhookQueueFile == "/var/lib/pw/queue")
        #expect(config.syslog == SyslogURL(transport: .udp, address: try #require(IPAddress("10.20.9.1")), port: 514))
    }

    @Test("syslog receivers: UDP and TCP on one port, IPv6, limits; CR LF line ends")
    func receivers() throws {
        let config = try MonitorConfig.parse(
            "input syslog udp://127.0.0.1:5514\r\ninput syslog tcp://127.0.0.1:5514\r\n"
                + "input syslog tcp://[::1]:6514  # IPv6\r\nreceiver-max-connections 8\r\nreceiver-max-message 4096\r\n",
            file: "m.conf")
        #expect(
            config.receivers.map(\.description) == ["udp://127.0.0.1:5514", "tcp://127.0.0.1:5514", "tcp://[::1]:6514"])
        #expect(config.receiverMaxConnections == 8)
        #expect(config.receiverMaxMessage == 4096)
        #expect(config.inputs.isEmpty)
    }

    @Test("the correlator's thresholds and windows; what is not set keeps its default")
    func correlator() throws {
        let config = try MonitorConfig.parse(
            "scan-distinct-targets 50\nscan-window 120\nrepeated-denies 3\ndeny-window 30\nincident-window 900\n"
                + "auth-failures 8\nauth-window 60.5\nthrottle 7200\nmax-tracked-sources 200000\nsilence-after 900\n",
            file: "m.conf")
        let settings = config.correlatorSettings
        #expect(settings.scanDistinctTargets == 50)
        #expect(settings.scanWindow == 120)
        #expect(settings.repeatedDenies == 3)
        #expect(settings.denyWindow == 30)
        #expect(settings.incidentWindow == 900)
        #expect(settings.authFailures == 8)
        #expect(settings.authWindow == 60.5)
        #expect(settings.throttle == 7200)
        #expect(settings.maxTrackedSources == 200_000)
        #expect(settings.silenceAfter == 900)
        let defaults = CorrelatorSettings()
        let partial = try MonitorConfig.parse("throttle 60\n", file: "m.conf").correlatorSettings
        #expect(partial.throttle == 60)
        #expect(partial.maxTrackedSources == defaults.maxTrackedSources)
        #expect(partial.scanDistinctTargets == defaults.scanDistinctTargets)
        #expect(partial.silenceAfter == defaults.silenceAfter)
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
            ("webhook ftp://10.0.0.1:21/\n", 1, 9, "expected http://ADDRESS:PORT/PATH or https://"),
            ("webhook https://hooks.example:443/\n", 1, 17, "the host must be an IP address"),
            ("webhook-ca\n", 1, 1, "webhook-ca takes one path"),
            ("  webhook http://hooks.example:80/\n", 1, 18, "the host must be an IP address"),
            ("webhook http://10.0.0.1:0/\n", 1, 25, "expected a port 1-65535"),
            ("webhook\n", 1, 1, "webhook takes one URL"),
            ("webhook-queue 0\n", 1, 15, "webhook-queue takes one whole number from 1 to 1000000"),
            ("webhook-queue-bytes 100\n", 1, 21, "webhook-queue-bytes takes one whole number from 4096"),
            ("webhook-queue-file\n", 1, 1, "webhook-queue-file takes one path"),
            ("webhook-queue-file /a /b\n", 1, 1, "webhook-queue-file takes one path"),
            ("webhook-attempts 2.5\n", 1, 18, "webhook-attempts takes one whole number from 1 to 100"),
            ("webhook-timeout never\n", 1, 17, "webhook-timeout takes one positive number"),
            ("input syslog http://10.0.0.1:514\n", 1, 14, "expected udp://ADDRESS:PORT or tcp://ADDRESS:PORT"),
            ("input syslog udp://logs.example:514\n", 1, 20, "the host must be an IP address"),
            ("input syslog tcp://10.0.0.1:99999\n", 1, 29, "expected a port 1-65535"),
            ("input syslog tcp://10.0.0.1\n", 1, 28, "expected a port 1-65535"),
            ("input syslog udp://10.0.0.1:514/x\n", 1, 32, "a syslog URL has no path"),
            ("input syslog udp://0.0.0.0:514\ninput syslog udp://127.0.0.1:514\n", 2, 14, "udp port 514 is already"),
            ("syslog tcp://10.0.0.1:0\n", 1, 23, "syslog tcp://10.0.0.1:0: expected a port"),
            ("receiver-max-message 100\n", 1, 22, "receiver-max-message takes one whole number from 480"),
            ("receiver-max-connections 0\n", 1, 26, "receiver-max-connections takes one whole number from 1"),
            ("# é\ninput sshd /a é\n", 2, 1, "input takes a format and a path"),
            ("input sshd /é\ninput zeek /é\n", 2, 12, "/é is already an input"),
            ("webhook-queue é\n", 1, 15, "webhook-queue takes"),
            ("input é x\n", 1, 7, "unknown format"),
            ("\u{00E9}\u{00E9} x\n", 1, 1, "unknown setting"),
            ("input sshd x\r\nfollow yes\r\n", 2, 1, "unknown setting \"follow\""),
            ("scan-distinct-targets 300\n", 1, 23, "scan-distinct-targets takes one whole number from 2 to 256"),
            ("scan-distinct-targets 1\n", 1, 23, "from 2 to 256"),
            ("max-tracked-sources 10\n", 1, 21, "max-tracked-sources takes one whole number from 100 to 10000000"),
            ("throttle 0\n", 1, 10, "throttle takes one positive number"),
            ("deny-window\n", 1, 1, "deny-window takes one positive number"),
            ("auth-failures 1e3\n", 1, 15, "auth-failures takes one whole number"),
            ("scan-windows 60\n", 1, 1, "max-tracked-sources)"),
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
