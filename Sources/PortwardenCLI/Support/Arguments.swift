import ArgumentParser
import PortwardenCore

extension Severity: ExpressibleByArgument {}

/// Output formats of `check`.
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit
}

/// Output formats of `scan`.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, xml
}

/// Output formats of `inventory`.
enum InventoryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Reads a whole file as bytes, turning I/O errors into input errors that name the file.
enum InputFile {
    static let maximumSize = 512 << 20

    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return readStandardInput() }
        guard let bytes = FileBytes.read(path: path, limit: maximumSize) else {
            throw CLIFailure.input("\(path): \(FileBytes.lastError(path: path))")
        }
        return bytes
    }

    private static func readStandardInput() -> [UInt8] {
        FileBytes.readAll(fd: 0)
    }
}
