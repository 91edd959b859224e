import Foundation
import PortwardenCore
import PortwardenPolicy

/// A small policy and observation builders shared by the evaluator tests.
enum Fixture {
    static func date(_ text: String) -> Date {
        Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0)
    }

    static func day(_ text: String) -> CalendarDay {
        CalendarDay(text) ?? CalendarDay(daysSinceEpoch: 0)
    }

    static func ip(_ text: String) -> IPAddress {
        IPAddress(text) ?? IPAddress(ipv4: 0)
    }

    static func prefix(_ text: String) -> Prefix {
        Prefix(text) ?? Prefix(host: IPAddress(ipv4: 0))
    }

    static func ports(_ specs: String...) -> [PortSpec] {
        specs.compactMap { try? PortSpec.parse($0).get() }
    }

    /// 2026-11-29T10:00:00Z, the default evaluation instant.
    static let now = date("2026-11-29T10:00:00Z")

    static let zones: [Zone] = [
        Zone(id: "cde-db", kind: .cde, prefixes: [prefix("10.20.1.0/24")], owner: "payments"),
        Zone(id: "cde-app", kind: .cde, prefixes: [prefix("10.20.2.0/24")], owner: "payments"),
        Zone(id: "corp", kind: .outOfScope, prefixes: [prefix("10.0.0.0/16")], owner: "it"),
        Zone(id: "mgmt", kind: .security, prefixes: [prefix("10.30.0.0/24")], owner: "secops"),
        Zone(id: "cde-v6", kind: .cde, prefixes: [prefix("2001:db8:20::/48")], owner: "payments"),
        Zone(id: "corp-v6", kind: .outOfScope, prefixes: [prefix("2001:db8:99::/48")], owner: "it"),
    ]

    static func service(
        _ id: String, zone: String, hosts: [String] = [], ports: [PortSpec], process: String? = nil,
        bind: BindScope? = nil, allowFrom: [String] = [], justification: String? = "Business need",
        owner: String? = "payments", approvedBy: String? = "ciso"
    ) -> Service {
        Service(
            id: id, zone: zone, hosts: hosts.map(prefix), ports: ports, process: process, bind: bind,
            allowFrom: allowFrom.map(AccessSource.init), justification: justification, owner: owner,
            approvedBy: approvedBy, approvedOn: day("2026-09-01"))
    }

    static let services: [Service] = [
        service(
            "pg-primary", zone: "cde-db", hosts: ["10.20.1.10"], ports: ports("tcp/5432"), process: "postgres",
            allowFrom: ["cde-app", "10.30.0.0/16"]),
        service("web", zone: "corp", ports: ports("tcp/443"), allowFrom: ["any"]),
        service("redis-local", zone: "cde-app", hosts: ["10.20.2.5"], ports: ports("tcp/6379"), bind: .loopback),
        service(
            "api-v6", zone: "cde-v6", hosts: ["2001:db8:20::10"], ports: ports("tcp/8443"),
            allowFrom: ["cde-app"]),
    ]

    static func telnetException(
        expires: CalendarDay?, rules: [String] = [], allowFrom: [String] = ["mgmt"]
    )
        -> PolicyException
    {
        PolicyException(
            id: "EX-7", zone: "cde-db", hosts: [prefix("10.20.1.12")], ports: ports("tcp/23"),
            allowFrom: allowFrom.map(AccessSource.init), rules: rules,
            justification: "Legacy HSM console until vendor patch", mitigations: ["source-restricted"],
            owner: "payments", approvedBy: "ciso", approvedOn: day("2026-06-01"), expires: expires)
    }

    static func policy(
        services: [Service] = Fixture.services, exceptions: [PolicyException] = [], zones: [Zone] = Fixture.zones,
        lastReview: CalendarDay? = day("2026-09-01"), every: ReviewCadence = .sixMonths
    ) -> Policy {
        Policy(
            organization: "Example Payments", review: ReviewSettings(every: every, last: lastReview), zones: zones,
            services: services, exceptions: exceptions)
    }

    static func obs(
        _ host: String, _ transport: Transport = .tcp, port: UInt16, state: PortState = .open,
        source: ObservationSource = .scan, vantage: String? = "corp", time: Date = date("2026-11-29T09:00:00Z"),
        tls: [String]? = nil, process: String? = nil, bind: BindScope? = nil, handshakes: [String: String]? = nil
    ) -> Observation {
        Observation(
            time: time, host: ip(host), transport: transport, port: port, state: state,
            reason: state == .open ? "syn-ack" : "conn-refused", source: source, vantage: vantage, tls: tls,
            process: process, bind: bind, handshakes: handshakes)
    }

    static func evaluate(
        _ observations: [Observation], policy: Policy = Fixture.policy(), at now: Date = Fixture.now,
        options: EvaluationOptions = .init()
    ) -> [Finding] {
        Evaluator(policy: policy, options: options).evaluate(observations, at: now)
    }
}

extension Array where Element == Finding {
    /// The findings of one rule.
    func rule(_ id: String) -> [Finding] { filter { $0.rule == id } }

    /// The findings about one host and port.
    func at(_ host: String, _ port: UInt16) -> [Finding] {
        filter { $0.host == IPAddress(host) && $0.port == port }
    }
}
