import Foundation
import PortwardenCore
import PortwardenStore
import PortwardenTestSupport
import Testing

/// A writer killed with SIGKILL at 20 random moments leaves a store that opens, a chain that verifies, and
/// every scan it acknowledged.
@Suite struct CrashTests {
    static var writer: String? {
        let path = BuiltProducts.directory.appendingPathComponent("portwarden-store-crash-writer").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    @Test(
        .enabled(if: CrashTests.writer != nil, "portwarden-store-crash-writer is not built (swift build --build-tests)")
    )
    func killedWriterLosesNothingAcknowledged() throws {
        let writer = try #require(Self.writer)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pwt-store-crash-\(UUID().uuidString.prefix(8))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let location = try StoreLocation.resolve(db: directory + "/portwarden.sqlite", dataDirectory: directory)
        try StoreOpener.create(location).store.close()
        var generator = SplitMix64(seed: 99)
        var acknowledged: [Int] = []
        for round in 0..<20 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: writer)
            process.arguments = [directory, String(round * 100_000)]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            usleep(UInt32(300_000 + generator.next() % 1_200_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            acknowledged += text.split(separator: "\n").compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil }
            let store = try StoreOpener.open(location)
            defer { try? store.close() }
            let report = try ChainVerifier(store: store).verify()
            #expect(report.isIntact, "round \(round): \(report.issues.prefix(5))")
            let operators = Set(try store.scans(limit: 1_000_000).compactMap { $0[3].text })
            let lost = acknowledged.filter { !operators.contains("crash-\($0)") }
            #expect(lost.isEmpty, "round \(round): acknowledged but not stored: \(lost.prefix(5))")
        }
        #expect(acknowledged.count >= 5, "the writer acknowledged only \(acknowledged.count) scans")
    }
}
