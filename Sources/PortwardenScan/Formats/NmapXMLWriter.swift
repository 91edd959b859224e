import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes observations as nmap XML (`-oX`, xmloutputversion 1.05) so that ndiff, Zenmap,
/// Metasploit, IVRE and other nmap-XML consumers accept Portwarden's scans.
///
/// Layout follows nmap 7.93: one `host` per target with `status` and `address` first, the
/// dominant non-open states collapsed into `extraports` (with `extrareasons` carrying `proto` and a
/// `ports` range list) before the `port` elements, every `state` with `reason` and `reason_ttl`,
/// `times` last; `runstats` with `finished` (`time`, `elapsed`) and `hosts` (`up`, `down`, `total`).
/// With `ScanRunInfo.scanner` set to `"nmap"` the output validates against nmap's DTD; the
/// default, `"portwarden"`, is honest about the producer but fails strict DTD validation (as
/// masscan's output does).
public enum NmapXMLWriter {
    /// Renders a complete XML document.
    /// - Parameters:
    ///   - observations: the per-port observations of the scan; several hosts and transports may mix.
    ///   - run: how the scan was run (args, times, ports scanned, down hosts, timing).
    /// - Returns: the document text, UTF-8, ending with a newline.
    public static func render(_ observations: [Observation], run: ScanRunInfo) -> String {
        var byHost: [IPAddress: [Observation]] = [:]
        for observation in observations { byHost[observation.host, default: []].append(observation) }
        let down = Set(run.downHosts).subtracting(byHost.keys)
        var out = header(run: run)
        for host in Set(byHost.keys).union(down).sorted() {
            if let hostObservations = byHost[host] {
                out += upHost(host, hostObservations, run: run)
            } else {
                out += downHost(host)
            }
        }
        return out + footer(up: byHost.count, down: down.count, run: run)
    }

    /// The document up to the first host: XML declaration, comment, `nmaprun`, `scaninfo`, `verbose`, `debugging`.
    public static func header(run: ScanRunInfo) -> String {
        let startText = timeText(run.start)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n"
        out += "<!-- \(XMLEscaping.comment(displayName(run.scanner))) \(XMLEscaping.comment(run.version)) "
        out += "scan initiated \(startText) as: \(XMLEscaping.comment(run.args)) -->\n"
        out += "<nmaprun scanner=\"\(XMLEscaping.attribute(run.scanner))\" args=\"\(XMLEscaping.attribute(run.args))\""
        out +=
            " start=\"\(epoch(run.start))\" startstr=\"\(startText)\" version=\"\(XMLEscaping.attribute(run.version))\""
        out += " xmloutputversion=\"1.05\">\n"
        for transport in run.portsScanned.keys.sorted() {
            let ports = run.portsScanned[transport] ?? []
            let type = run.scanTypes[transport] ?? (transport == .tcp ? "connect" : "udp")
            let count = Set(ports.flatMap { $0.lower...$0.upper }).count
            out += "<scaninfo type=\"\(XMLEscaping.attribute(type))\" protocol=\"\(transport.rawValue)\""
            out +=
                " numservices=\"\(count)\" services=\"\(NmapPortList.format(ports.flatMap { $0.lower...$0.upper }))\"/>\n"
        }
        out += "<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n"
        return out
    }

    /// A host that was not up: `status state="down"` and its address.
    public static func downHost(_ host: IPAddress, reason: String = "no-response") -> String {
        let out = "<host><status state=\"down\" reason=\"\(XMLEscaping.attribute(reason))\" reason_ttl=\"0\"/>\n"
        return out + "<address addr=\"\(host)\" addrtype=\"\(host.isIPv4 ? "ipv4" : "ipv6")\"/>\n</host>\n"
    }

    /// `runstats` and the closing `nmaprun` tag.
    public static func footer(up: Int, down: Int, run: ScanRunInfo) -> String {
        runStats(up: up, down: down, run: run) + "</nmaprun>\n"
    }

    private static func upHost(_ host: IPAddress, _ observations: [Observation], run: ScanRunInfo) -> String {
        let times = observations.map(\.time)
        return hostElement(
            host, start: times.min() ?? run.start, end: times.max() ?? run.end, ports: ports(observations, run: run),
            run: run)
    }

    /// A `host` element around an already rendered `ports` element.
    static func hostElement(_ host: IPAddress, start: Date, end: Date, ports: String, run: ScanRunInfo) -> String {
        var out = "<host starttime=\"\(epoch(start))\" endtime=\"\(epoch(end))\">"
        out += "<status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/>\n"
        out += "<address addr=\"\(host)\" addrtype=\"\(host.isIPv4 ? "ipv4" : "ipv6")\"/>\n"
        out += "<hostnames>\n</hostnames>\n"
        out += ports
        if let timing = run.timing[host] {
            out += "<times srtt=\"\(timing.srtt)\" rttvar=\"\(timing.rttvar)\" to=\"\(timing.timeout)\"/>\n"
        }
        return out + "</host>\n"
    }

    private static func runStats(up: Int, down: Int, run: ScanRunInfo) -> String {
        let endText = timeText(run.end)
        let elapsed = elapsedText(run.end.timeIntervalSince(run.start))
        let total = up + down
        let summary =
            "\(displayName(run.scanner)) done at \(endText); \(total) IP address\(total == 1 ? "" : "es") "
            + "(\(up) host\(up == 1 ? "" : "s") up) scanned in \(elapsed) seconds"
        var out = "<runstats><finished time=\"\(epoch(run.end))\" timestr=\"\(endText)\""
        out += " summary=\"\(XMLEscaping.attribute(summary))\" elapsed=\"\(elapsed)\" exit=\"success\"/>"
        out += "<hosts up=\"\(up)\" down=\"\(down)\" total=\"\(total)\"/>\n</runstats>\n"
        return out
    }

    private static func displayName(_ scanner: String) -> String {
        scanner == "nmap" ? "Nmap" : scanner == "portwarden" ? "Portwarden" : scanner
    }
}
