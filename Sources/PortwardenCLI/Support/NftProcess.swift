import Foundation

/// Runs the `nft` binary. Only `enforce verify` (read) and `enforce apply` (load) call it, on the
/// machine or namespace the user runs Portwarden in.
enum NftProcess {
    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// The path of `nft`, searched in the usual sbin folders and PATH.
    static var path: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = ["/usr/sbin", "/sbin", "/usr/local/sbin"] + path.split(separator: ":").map(String.init)
        return folders.map { "\($0)/nft" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `nft ARGS` and collects its output.
    /// - Throws: a runtime failure when nft is not installed or cannot be started.
    static func run(_ arguments: [String], input: [UInt8]? = nil) throws -> Output {
        guard let path else {
            throw CLIFailure.runtime("nft (nftables) is not installed; install the nftables package")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        do {
            try process.run()
        } catch {
            throw CLIFailure.runtime("cannot run \(path): \(error)")
        }
        if let input {
            inPipe.fileHandleForWriting.write(Data(input))
            try? inPipe.fileHandleForWriting.close()
        }
        let errorData = ErrorBuffer()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: Array(output),
            stderr: String(decoding: errorData.data, as: UTF8.self))
    }

    /// `nft -j list ruleset` of this machine (or the namespace the process runs in).
    static func listRuleset() throws -> [UInt8] {
        let result = try run(["-j", "list", "ruleset"])
        guard result.status == 0 else {
            throw CLIFailure.runtime(
                "nft -j list ruleset failed (\(result.status)): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)); reading the ruleset needs root (CAP_NET_ADMIN)"
            )
        }
        return result.stdout
    }
}

/// The stderr bytes, handed from the reader queue to the caller after `group.wait()`.
private final class ErrorBuffer: @unchecked Sendable {
    // @unchecked: written once on the reader queue before the group is left, read after the wait.
    var data = Data()
}
