import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("Scope guard")
struct ScopeGuardTests {
    private let zones = [
        Zone(id: "cde-db", kind: .cde, prefixes: [Prefix("10.20.1.0/24")!]),
        Zone(id: "lab", kind: .outOfScope, prefixes: [Prefix("fd00:1::/64")!, Prefix("8.8.8.0/29")!]),
    ]

    private func addresses(_ texts: String...) -> [IPAddress] { texts.compactMap { IPAddress($0) } }

    @Test(arguments: [
        "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.1.1", "100.64.0.1",
        "198.18.0.1", "198.19.255.255", "192.0.2.1", "198.51.100.1", "203.0.113.1", "::1", "fd00::1", "fc00::1",
        "fe80::1", "2001:db8::1", "::ffff:10.0.0.1",
    ])
    func nonPublicAddresses(text: String) throws {
        #expect(!ScopeGuard.isPublic(try #require(IPAddress(text))))
    }

    @Test(arguments: ["8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"])
    func publicAddresses(text: String) throws {
        #expect(ScopeGuard.isPublic(try #require(IPAddress(text))))
    }

    @Test func zoneTargetsPassWithoutBeingExplicit() throws {
        let guardian = ScopeGuard(zones: zones, allowPublic: false)
        try guardian.check(addresses("10.20.1.10", "10.20.1.255", "fd00:1::5"), explicit: false)
    }

    @Test func derivedTargetsOutsideZonesAreRefused() throws {
        let guardian = ScopeGuard(zones: zones, allowPublic: false)
        let error = #expect(throws: ScopeError.self) {
            try guardian.check(self.addresses("10.20.1.10", "10.20.2.1", "192.168.0.1"), explicit: false)
        }
        #expect(error?.code == .outsideZones)
        #expect(error?.count == 2)
        #expect(error?.addresses.map(\.description) == ["10.20.2.1", "192.168.0.1"])
        #expect(error?.description.contains("name them explicitly") == true)
        try guardian.check(addresses("10.20.2.1", "192.168.0.1"), explicit: true)
    }

    @Test func publicTargetsNeedTheFlagEvenInsideZonesOrExplicit() throws {
        let strict = ScopeGuard(zones: zones, allowPublic: false)
        for explicit in [true, false] {
            let error = #expect(throws: ScopeError.self) {
                try strict.check(self.addresses("8.8.8.1"), explicit: explicit)
            }
            #expect(error?.code == .publicAddress)
            #expect(error?.description.contains("--allow-public") == true)
        }
        let lenient = ScopeGuard(zones: zones, allowPublic: true)
        try lenient.check(addresses("8.8.8.1"), explicit: false)
        try lenient.check(addresses("1.1.1.1"), explicit: true)
        #expect(throws: ScopeError.self) { try lenient.check(self.addresses("1.1.1.1"), explicit: false) }
    }
}
