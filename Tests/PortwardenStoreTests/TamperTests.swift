import Foundation
import PortwardenCore
import PortwardenStore
import Testing

/// 1,000 random mutations of database rows (evidence tables, the chain, checkpoints) and archive bytes:
/// change, delete, insert, swap, truncate. `log verify` must detect every one and name where it is.
@Suite struct TamperTests {
    @Test func everyMutationIsDetectedAndLocated() throws {
        var generator = SplitMix64(seed: 2026)
        var undetected: [String] = []
        var unlocated: [String] = []
        var kinds: [String: Int] = [:]
        for index in 0..<1000 {
            let directory = try TamperFixture.copy()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let mutation = try Mutator(directory: directory).apply(&generator)
            kinds[mutation.kind, default: 0] += 1
            let location = try StoreLocation.resolve(db: directory + "/portwarden.sqlite", dataDirectory: directory)
            let store = try StoreOpener.open(location, forWriting: false)
            let report = try ChainVerifier(store: store).verify()
            try store.close()
            if report.isIntact {
                undetected.append("#\(index) \(mutation)")
            } else if !report.issues.contains(where: mutation.expects) {
                unlocated.append("#\(index) \(mutation): \(report.issues.prefix(3).map(\.description))")
            }
        }
        #expect(undetected.isEmpty, "undetected: \(undetected.prefix(10))")
        #expect(unlocated.isEmpty, "detected elsewhere: \(unlocated.prefix(10))")
        // Every kind of mutation was exercised.
        #expect(Set(kinds.keys).isSuperset(of: Mutator.allKinds), "\(kinds)")
    }

    @Test func anIntactCopyVerifies() throws {
        let directory = try TamperFixture.copy()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let location = try StoreLocation.resolve(db: directory + "/portwarden.sqlite", dataDirectory: directory)
        let store = try StoreOpener.open(location, forWriting: false)
        defer { try? store.close() }
        let report = try ChainVerifier(store: store).verify()
        #expect(report.isIntact, "\(report.issues)")
        #expect(report.archives > 0)
        #expect(report.archivedRecords > 0)
    }
}
