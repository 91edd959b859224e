import Foundation
import PortwardenCore
import PortwardenHost

/// Reading and writing the drift files of `inventory` (snapshots and debounce state) as JSON.
enum DriftFiles {
    static func loadSnapshot(_ path: String) throws -> ListenerSnapshot {
        let bytes = try InputFile.read(path)
        do {
            return try JSONDecoder().decode(ListenerSnapshot.self, from: Data(bytes))
        } catch {
            throw CLIFailure.input("\(path): not an inventory snapshot: \(describe(error))")
        }
    }

    /// The tracker saved at `path`, or a new one when the file does not exist yet.
    static func loadTracker(_ path: String) throws -> DriftTracker {
        guard FileManager.default.fileExists(atPath: path) else { return DriftTracker() }
        let bytes = try InputFile.read(path)
        do {
            return try JSONDecoder().decode(DriftTracker.self, from: Data(bytes))
        } catch {
            throw CLIFailure.input("\(path): not a drift state file: \(describe(error))")
        }
    }

    static func encode(_ value: some Encodable, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + (pretty ? "\n" : "")
    }

    /// A decoding error as a sentence with the JSON path where it happened.
    static func describe(_ error: any Error) -> String {
        (error as? DecodingError).map(DecodingText.describe) ?? "\(error)"
    }
}
