import PortwardenCore

/// When a host is treated as a tarpit or wildcard responder (a SYN proxy, a WAF, an nft
/// `redirect` of every port to one listener): it answers SYN-ACK on (nearly) every port, so its
/// "open" ports say nothing about the services behind it (docs/scanning.md).
///
/// The probe order is a keyed random permutation, so the first answers a host gives are a random
/// sample of its ports. Once at least ``minimumAnswers`` of the host's high ports (≥ ``highPortFloor``)
/// have answered (SYN-ACK or RST) and at least ``openPercent`` % of those answers were SYN-ACK, the
/// host is flagged and no further probes are sent to it. The rule only applies when the scan covers
/// at least ``minimumHighPorts`` high ports of the host, so that a small port list whose ports are
/// all genuinely open (`-p 8000-8099` on an application server) is never cut short.
///
/// A flagged host costs at most `minimumAnswers + maxInFlightPerHost` probes (plus retries of
/// silent probes that were already in flight).
public struct TarpitRule: Sendable, Hashable {
    /// Answered high ports needed before the rule may fire.
    public var minimumAnswers: Int
    /// The share of those answers (in percent) that must be SYN-ACK.
    public var openPercent: Int
    /// High ports of the host the scan must cover for the rule to apply at all.
    public var minimumHighPorts: Int
    /// Ports at or above this count as high ports (well-known ports are excluded from the sample).
    public var highPortFloor: UInt16

    /// Creates a rule.
    /// - Parameters:
    ///   - minimumAnswers: answered high ports needed before the rule may fire (at least 1).
    ///   - openPercent: the share of SYN-ACK among them, in percent (1–100).
    ///   - minimumHighPorts: high ports the scan must cover for the rule to apply.
    ///   - highPortFloor: the first high port.
    public init(
        minimumAnswers: Int = 64, openPercent: Int = 90, minimumHighPorts: Int = 1024, highPortFloor: UInt16 = 1024
    ) {
        self.minimumAnswers = max(1, minimumAnswers)
        self.openPercent = min(100, max(1, openPercent))
        self.minimumHighPorts = max(0, minimumHighPorts)
        self.highPortFloor = highPortFloor
    }

    /// The default: 64 answers, 90 % open, scans of at least 1 024 high ports.
    public static let `default` = TarpitRule()

    /// Whether a host with `open` SYN-ACKs among `answers` answered high ports is a tarpit.
    func fires(open: Int, answers: Int) -> Bool {
        answers >= minimumAnswers && open * 100 >= answers * openPercent
    }
}
