import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Gathers imported observations: merges repeated reports of one (host, transport, port) (masscan
/// writes a status record and later banner records for the same port), counts hosts, caps the
/// total so that a small hostile file cannot expand into billions of observations, and keeps the
/// problems.
struct ObservationCollector {
    struct Key: Hashable {
        let host: IPAddress
        let transport: Transport
        let port: UInt16
    }

    let file: String
    let vantage: String?
    let maxObservations: Int
    private(set) var observations: [Observation] = []
    private(set) var problems: [Diagnostic] = []
    private var index: [Key: Int] = [:]
    private var hosts: Set<IPAddress> = []
    private var capReported = false

    init(file: String, vantage: String?, maxObservations: Int) {
        self.file = file
        self.vantage = vantage
        self.maxObservations = maxObservations
    }

    /// Records a port. A `nil` state means only a service name is known (a banner record): it
    /// names the service of an already recorded port, or records the port as open.
    mutating func record(
        host: IPAddress, transport: Transport, port: UInt16, state: PortState?, reason: String?, service: String?,
        time: Date, line: Int?
    ) {
        hosts.insert(host)
        let key = Key(host: host, transport: transport, port: port)
        if let existing = index[key] {
            if let state {
                observations[existing].state = state
                observations[existing].reason = reason
                observations[existing].time = max(observations[existing].time, time)
                observations[existing].service = service ?? observations[existing].service
            } else if observations[existing].service == nil {
                observations[existing].service = service
            }
            return
        }
        guard observations.count < maxObservations else {
            if !capReported {
                capReported = true
                problem(
                    .limitExceeded, line: line, column: nil,
                    message: "more than \(maxObservations) observations; the rest of the input is not imported")
            }
            return
        }
        index[key] = observations.count
        observations.append(
            Observation(
                time: time, host: host, transport: transport, port: port, state: state ?? .open,
                reason: state == nil ? "banner" : reason, source: .import, vantage: vantage, service: service))
    }

    /// Counts a host that was reported up, even when none of its ports were listed.
    mutating func noteHost(_ host: IPAddress) { hosts.insert(host) }

    /// Whether the observation cap has been reached.
    var isFull: Bool { observations.count >= maxObservations }

    mutating func problem(
        _ code: Diagnostic.Code, line: Int?, column: Int?, message: String, level: Diagnostic.Level = .error
    ) {
        problems.append(
            Diagnostic(
                file: file, line: line ?? 0, column: column ?? 0, level: level, code: code, message: message))
    }

    func result() -> ImportResult {
        ImportResult(observations: observations, problems: problems, hosts: hosts.count)
    }
}
