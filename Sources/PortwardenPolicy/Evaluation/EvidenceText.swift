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
        if let address = observation.sourceAddress {
            text += " (source "
            text += address.description
            text += ")"
        }
        text += " saw "
        text += observation.transport.rawValue
        text += "/"
        text += String(observation.port)
        text += " "
        text += observation.state.rawValue
        if let reason = observation.reason {
            text += " ("
            text += reason
            text += ")"
        }
        if let service = observation.service {
            text += ", service "
            text += service
        }
        if let process = observation.process {
            text += ", process "
            text += process
        }
        if let bind = observation.bind {
            text += ", bound \(bind.rawValue)"
            if let address = observation.bindAddress { text += " \(address)" }
        }
        if let tls = observation.tls, !tls.isEmpty { text += ", TLS \(tls.joined(separator: " "))" }
        if let product = observation.product {
            text += ", product \(product)"
            if let version = observation.version { text += " \(version)" }
        }
        return FindingEvidence(
            kind: "observation", summary: text, time: observation.time, source: observation.source,
            vantage: observation.vantage)
    }

    /// Evidence for up to `limit` observations, plus one entry counting the rest, with room for
    /// `extra` entries the caller appends (so that appending does not grow the array again).
    static func evidence(
        _ indices: [Int32], in observations: [Observation], limit: Int, extra: Int = 0
    ) -> [FindingEvidence] {
        var result: [FindingEvidence] = []
        result.reserveCapacity(min(indices.count, limit) + (indices.count > limit ? 1 : 0) + extra)
        // Through the buffer, each observation is lent to `evidence(_:)` rather than copied (a copy
        // retains and releases every string it holds).
        observations.withUnsafeBufferPointer { buffer in
            for index in indices.prefix(limit) { result.append(evidence(buffer[Int(index)])) }
        }
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

    /// Where denied probes came from: `zone corp (source 10.0.0.7)`, `source 192.0.2.1 (no declared
    /// zone)`, `zone corp` or `an unknown vantage`; distinct and sorted.
    static func sources(_ items: [(zone: String?, observation: Observation)]) -> [String] {
        var out: Set<String> = []
        for (zone, observation) in items {
            switch (zone, observation.sourceAddress) {
            case (let zone?, let source?): out.insert("zone \(zone) (source \(source))")
            case (let zone?, nil): out.insert("zone \(zone)")
            case (nil, let source?): out.insert("source \(source) (no declared zone)")
            case (nil, nil):
                out.insert(observation.vantage.map { "vantage \($0) (not a declared zone)" } ?? "an unknown vantage")
            }
        }
        return out.sorted()
    }

    /// The sentence a finding without requirement ids carries: why no PCI DSS claim is made.
    static func hygiene(_ kind: ZoneKind?) -> String {
        guard let kind else {
            return " The host lies outside every declared zone, so its scope is unknown: no PCI DSS requirement is "
                + "claimed (hygiene)."
        }
        return " Its zone is of kind \(kind.rawValue), outside the PCI DSS scope the policy declares: no requirement "
            + "is claimed (hygiene)."
    }
}
