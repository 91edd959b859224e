import Logging
import PortwardenCore

extension ConnectEngine {
    /// Logs that the scheduler flagged `host` as a tarpit (``TarpitRule``): no further probes go to it.
    func warnTarpit(host: Int) {
        let evidence = scheduler.tarpitEvidence(host: host)
        let text =
            "\(hosts[host]) answered SYN-ACK on \(evidence.open) of \(evidence.answers) sampled high "
            + "ports: flagged as a tarpit/wildcard responder; its remaining ports are not probed (filtered, tarpit)"
        logger.warning("\(text)")
    }
}
