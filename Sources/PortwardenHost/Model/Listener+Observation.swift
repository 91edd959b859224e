import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Listener {
    /// The listener as host-view evidence for the evaluator: state `open`, reason `listening`,
    /// with the owner's executable, user, unit and container, the bind scope and address, and the
    /// device the socket is bound to (`0.0.0.0%virbr0`) as detail `bind.device`.
    /// - Parameters:
    ///   - at: when the inventory was taken.
    ///   - host: the host's address; `nil` uses the bind address.
    ///   - vantage: the zone the host belongs to, when known.
    ///   - source: `.host` for a live inventory, `.import` for imported osquery/ss output.
    public func observation(
        at time: Date, host: IPAddress?, vantage: String?, source: ObservationSource = .host
    ) -> Observation {
        let owner = primaryOwner
        return Observation(
            time: time, host: host ?? address, transport: transport, port: port, state: .open, reason: "listening",
            source: source, vantage: vantage, process: owner?.executable, bind: bind, bindAddress: address,
            namespace: namespace.description, user: owner?.user ?? owner?.uid.map { String($0) }, unit: owner?.unit,
            container: owner?.container, details: device.map { ["bind.device": $0] })
    }
}
