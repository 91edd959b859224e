extension RTTEstimator {
    /// The UDP report form of the shared estimator (fed only by UDP replies: ICMP errors are rate
    /// limited and never shrink a timeout), once there is a sample.
    var udpTiming: UDPHostTiming? {
        guard samples > 0 else { return nil }
        return UDPHostTiming(srtt: Int(srtt), rttvar: Int(rttvar), timeout: Int(timeout))
    }
}
