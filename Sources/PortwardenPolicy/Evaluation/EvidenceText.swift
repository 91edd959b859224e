import PortwardenCore

/// Wording shared by the rules: port labels, observation evidence, lists.
enum EvidenceText {
    /// `tcp/23`.
    static func port(_ transport: Transport, _ port: UInt16) -> String { "\(transport.rawValue)/\(port)" }

    /// One observation as evidence: `scan from corp saw tcp/23 open (syn-ack), service telnet` (the host
    /// is the finding's own).
    static func evidence(_ observation: Observation) -> FindingEvidence {
        var text = ""
        text.reserveCapacity(80)
        text += observation.source.rawValue
        if let vantage = observation.vantage {
            text += " from "
            text += vantage
        }
        text += " saw "
        text += observation.transport.rawValue
        text += "/"
        text += String(observation.port)
        text += " "
        text += observation.state.rawValue
        if let reason = observation.reason { text += " (\(reason))" }
        if let service = observation.service { text += ", service \(service)" }
        if let process = observation.process { text += ", process \(process)" }
        if let bind = observation.bind {
            text += ", bound \(bind.rawValue)"
            if let address = observation.bindAddress { text += " \(address)" }
        }
        if let tls = observation.tls, !tls.isEmpty { text += ", TLS \(tls.joined(separator: " "))" }
        return FindingEvidence(
            kind: "observation", summary: text, time: observation.time, source: observation.source,
            vantage: observation.vantage)
    }

    /// Evidence for up to `limit` observations, plus one entry counting the rest.
    static func evidence(_ indices: [Int32], in observations: [Observation], limit: Int) -> [FindingEvidence] {
        var result = indices.prefix(limit).map { evidence(observations[Int($0)]) }
        if indices.count > limit {
            result.append(
                FindingEvidence(kind: "observation", summary: "and \(indices.count - limit) more observations"))
        }
        return result
    }

    /// A policy object as evidence.
    static func policy(_ kind: String, _ summary: String) -> FindingEvidence {
        FindingEvidence(kind: kind, summary: summary)
    }

    /// `a, b and c`.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// `in zone cde-db` or `outside every declared zone`.
    static func zonePhrase(_ zone: String?) -> String {
        zone.map { "in zone \($0)" } ?? "outside every declared zone"
    }

    /// The distinct vantages of the given observations, sorted, with `unknown` for a missing one.
    static func vantages(_ indices: [Int32], in observations: [Observation]) -> [String] {
        if indices.count == 1 { return [observations[Int(indices[0])].vantage ?? "unknown"] }
        return Array(Set(indices.map { observations[Int($0)].vantage ?? "unknown" })).sorted()
    }
}
