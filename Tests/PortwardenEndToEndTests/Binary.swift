import Foundation
import PortwardenTestSupport
import Testing

/// Runs the built `portwarden` binary the way a user does.
enum Binary {
    /// Why the binary cannot be run here, or `nil`.
    static var unavailableReason: String? {
        BuiltProducts.portwarden == nil
            ? "the portwarden binary is not built next to the tests (run swift build --build-tests first)" : nil
    }

    static func path() throws -> String {
        try #require(BuiltProducts.portwarden, "portwarden binary not built")
    }

    /// Runs `portwarden ARGS` on this machine (only for commands that send no traffic).
    static func run(_ arguments: [String], input: String? = nil, directory: URL? = nil) throws -> Shell.Result {
        try Shell.run([try path()] + arguments, input: input, allowFailure: true)
    }

    /// Runs `portwarden ARGS` inside a network namespace the test created.
    static func run(in namespace: NetworkNamespace, _ arguments: [String]) throws -> Shell.Result {
        try namespace.run([try path()] + arguments, allowFailure: true)
    }
}

/// A scratch directory removed when the test ends.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pw-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Real TCP listeners inside a namespace: one python3 process holding every port until it is killed.
final class Listeners {
    let process: Process

    /// - Parameter asNobody: run python3 as nobody (setpriv execs it, so SIGKILL still ends it); ports
    ///   must then be 1024 or above.
    init(in namespace: NetworkNamespace, address: String, ports: [Int], asNobody: Bool = false) throws {
        let script = """
            import socket, sys, time
            family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
            held = []
            for p in sys.argv[2:]:
                s = socket.socket(family, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((sys.argv[1], int(p)))
                s.listen(64)
                held.append(s)
            time.sleep(600)
            """
        let user = asNobody ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        process = try namespace.spawn(user + ["/usr/bin/python3", "-c", script, address] + ports.map(String.init))
        // Wait until every port is listening (ss inside the namespace is the oracle).
        for _ in 0..<100 {
            let listening = try namespace.run(["ss", "-H", "-ltn"]).stdout
            if ports.allSatisfy({ listening.contains(":\($0) ") }) { return }
            usleep(50_000)
        }
        kill(process.processIdentifier, SIGKILL)
        throw SetupError(message: "listeners on \(address) ports \(ports) did not start within 5 s")
    }

    deinit {
        // SIGKILL: children inherit the test runner's blocked SIGTERM, so terminate() would not end them.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct SetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
