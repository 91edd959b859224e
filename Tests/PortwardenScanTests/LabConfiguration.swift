import Foundation
import PortwardenCore
import PortwardenScan

extension ScanConfiguration {
    /// The timing of the namespace labs (a veth or a namespace's loopback: sub-millisecond RTT):
    /// 300 ms initial, 100–500 ms timeouts, a fixed seed so a failing order can be replayed.
    static func lab(
        window: Int, perHost: Int, retries: Int = 2, seed: UInt64, vantage: String? = "lab"
    )
        -> ScanConfiguration
    {
        var configuration = ScanConfiguration()
        configuration.maxInFlight = window
        configuration.maxInFlightPerHost = perHost
        configuration.initialTimeout = .milliseconds(300)
        configuration.minTimeout = .milliseconds(100)
        configuration.maxTimeout = .milliseconds(500)
        configuration.maxRetries = retries
        configuration.seed = seed
        configuration.vantage = vantage
        return configuration
    }
}
