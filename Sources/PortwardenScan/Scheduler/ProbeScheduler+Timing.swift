import PortwardenCore

extension ProbeScheduler {
    /// The scheduler's counters with the transport's, the tarpit hosts and each host's final
    /// estimator (`hosts[i]` names host `i`).
    func finalStatistics(hosts: [IPAddress], transport counters: ScanStatistics, interrupted: Bool) -> ScanStatistics {
        var result = statistics
        result.merge(transport: counters)
        result.interrupted = interrupted
        result.tarpitHosts = tarpitHosts.map { hosts[$0] }
        result.perHost = hostTimings(hosts)
        return result
    }

    /// Each host's final estimator, for the report (`hosts[i]` names host `i`).
    func hostTimings(_ addresses: [IPAddress]) -> [HostTiming] {
        addresses.indices.map { hosts[$0].estimator.timing(of: addresses[$0], timeout: timeout(host: $0)) }
    }
}

extension ScanStatistics {
    /// Adds the counters only a transport keeps (the scheduler keeps the rest).
    mutating func merge(transport counters: ScanStatistics) {
        addressNotAvailable += counters.addressNotAvailable
        outOfDescriptors += counters.outOfDescriptors
        selfConnects += counters.selfConnects
        lateICMPErrors += counters.lateICMPErrors
        localPolicyDrops += counters.localPolicyDrops
        noRouteProbes += counters.noRouteProbes
        unroutableHosts += counters.unroutableHosts
        elapsed = counters.elapsed
    }
}
