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
