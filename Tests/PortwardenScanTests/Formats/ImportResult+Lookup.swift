import Foundation
import PortwardenCore
import PortwardenScan

extension ImportResult {
    /// The observation of `host` `transport`/`port`, if imported.
    func observation(_ host: String, _ transport: Transport, _ port: UInt16) -> Observation? {
        observations.first { $0.host == IPAddress(host) && $0.transport == transport && $0.port == port }
    }

    /// How many observations of `host` have `state`.
    func count(_ host: String, _ state: PortState) -> Int {
        observations.filter { $0.host == IPAddress(host) && $0.state == state }.count
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
