import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What ``NmapXMLWriter`` needs to know about a scan besides its observations: how it was run,
/// when, what it covered, and per-host timing.
public struct ScanRunInfo: Hashable, Sendable {
    /// Round-trip timing of one host, in microseconds, as nmap's `<times srtt rttvar to>`.
    public struct HostTiming: Hashable, Sendable {
        /// Smoothed round-trip time.
        public var srtt: Int
        /// Round-trip time variance.
        public var rttvar: Int
        /// The probe timeout used.
        public var timeout: Int

        /// Creates timing values, all in microseconds.
        public init(srtt: Int, rttvar: Int, timeout: Int) {
            self.srtt = srtt
            self.rttvar = rttvar
            self.timeout = timeout
        }
    }

    /// The `nmaprun/@scanner` value. Portwarden's name by default; set `"nmap"` when the file must
    /// validate against nmap's DTD (which allows only `nmap`) or be accepted by tools that check it.
    public var scanner: String
    /// The scanner version written as `nmaprun/@version`.
    public var version: String
    /// The command line, written as `nmaprun/@args` and in the leading comment.
    public var args: String
    /// When the scan started and ended.
    public var start: Date
    public var end: Date
    /// The `scaninfo/@type` per transport: `connect` for TCP connect scans, `udp` for UDP.
    public var scanTypes: [Transport: String]
    /// The ports scanned per transport, each written as `scaninfo/@services` (a range list such as
    /// `1-1000,8443`) so that readers can tell collapsed ports from unscanned ones.
    public var portsScanned: [Transport: [PortRange]]
    /// Targets that did not answer: written as hosts with status `down`.
    public var downHosts: [IPAddress]
    /// Per-host timing, written as `<times>` when present.
    public var timing: [IPAddress: HostTiming]
    /// Whether service detection ran. A service name is written `method="probed"` only where the
    /// observation shows that a probe identified it; every other name is the port-number table's
    /// guess (`method="table" conf="3"`), whether detection ran or not.
    public var serviceDetection: Bool
    /// A non-open state is collapsed into `extraports` when at least this many ports of a host have
    /// it (nmap collapses at more than 25).
    public var collapseThreshold: Int

    /// Creates run information; `portsScanned` maps each scanned transport to its port ranges.
    public init(
        scanner: String = "portwarden", version: String = "0.1", args: String, start: Date, end: Date,
        scanTypes: [Transport: String] = [.tcp: "connect", .udp: "udp"], portsScanned: [Transport: [PortRange]],
        downHosts: [IPAddress] = [], timing: [IPAddress: HostTiming] = [:], serviceDetection: Bool = false,
        collapseThreshold: Int = 26
    ) {
        self.scanner = scanner
        self.version = version
        self.args = args
        self.start = start
        self.end = end
        self.scanTypes = scanTypes
        self.portsScanned = portsScanned
        self.downHosts = downHosts
        self.timing = timing
        self.serviceDetection = serviceDetection
        self.collapseThreshold = collapseThreshold
    }
}
