import PortwardenCore

extension ProbeScheduler {
    /// Each host's final estimator, for the report (`hosts[i]` names host `i`).
    func hostTimings(_ addresses: [IPAddress]) -> [HostTiming] {
        addresses.indices.map { host in
            let estimator = hosts[host].estimator
            let sampled = estimator.samples > 0
            return HostTiming(
                host: addresses[host], srtt: sampled ? .microseconds(estimator.srtt) : nil,
                rttvar: sampled ? .microseconds(estimator.rttvar) : nil, timeout: .microseconds(timeout(host: host)),
                samples: estimator.samples)
        }
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
