/// What the pipeline tells its caller while it runs (the CLI prints these on stderr).
public enum ScanEvent: Sendable, Hashable {
    /// A phase started or ended (`discovery: 256 addresses …`, `3 up (2 icmp-echo, 1 arp), 253 down`).
    case notice(String)
    /// Something the operator should act on (`10.0.0.9 answers on (nearly) every port: tarpit`).
    case warning(String)
    /// Progress of the TCP port scan, about four times a second.
    case progress(ScanProgress)
    /// The progress line is done (clear it).
    case progressEnd
}
