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

    /// Reads `path` (or standard input for `-`) in chunks of 1 MiB and hands each to `body`.
    /// - Throws: an input failure when the file cannot be opened or read.
    static func stream(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard try FileBytes.stream(path: path == "-" ? nil : path, body: body) else {
            throw CLIFailure.input("\(path): \(FileBytes.lastError(path: path))")
        }
    }

    private static func readStandardInput() -> [UInt8] {
        FileBytes.readAll(fd: 0)
    }
}

/// The `--host ADDRESS` option of `inventory` and `import`.
enum HostOption {
    /// The parsed address, `nil` when the option was not given.
    /// - Throws: an input failure when the text is not an IP address.
    static func address(_ text: String?) throws -> IPAddress? {
        guard let text else { return nil }
        guard let address = IPAddress(text) else { throw CLIFailure.input("--host \(text) is not an IP address") }
        return address
    }
}
