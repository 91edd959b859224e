import Foundation
import PortwardenCore
import PortwardenTestSupport
import Testing

@testable import PortwardenScan

/// A lab for one daemon that takes seconds to listen (a Java or Erlang runtime), too slow for the
/// shared ``DetectionLab``'s 15-s wait: a namespace of its own, the daemon on the namespace's
/// ``DetectionLab/address`` and, as every such lab's negative case, a socat server on
/// ``DetectionLab/secondAddress`` at the same port that answers the first byte with an HTTP error.
/// Both are waited for up to ``listenSeconds``, the probe runs on the namespace's own thread, and
/// everything started is killed and the namespace removed, also when the setup fails.
struct SlowDaemonLab {
    /// What a lab run came to: the probe's value, a reason the lab cannot run on this machine (the
    /// tests skip with it), or a setup that failed where it should have worked (the tests fail).
    enum Outcome<Value: Sendable>: Sendable {
        case ran(Value)
        case unavailable(String)
        case failed(String)

        /// The value; skips the calling test when the lab cannot run, fails it when the setup did.
        func value() throws -> Value {
            switch self {
            case .ran(let value): return value
            case .unavailable(let reason): try Test.cancel(Comment(rawValue: reason))
            case .failed(let message): throw SetupFailure(description: message)
            }
        }
    }

    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The namespace prefix and the scratch directory's name (`pw-NAME-…`).
    var name: String
    var port: UInt16
    /// Files the lab needs besides `ip` and socat (executables, a jar), and the packages that bring them.
    var needs: [String]
    var packages: String
    /// A boot under a full test run can take far longer than on an idle machine.
    var listenSeconds = 120

    static let socat = "/usr/bin/socat"

    /// Why this lab cannot run here (not root, no `ip`, a missing executable), or `nil`.
    var unavailableReason: String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        let missing = (needs + [Self.socat]).filter { !FileManager.default.fileExists(atPath: $0) }
        return missing.isEmpty ? nil : "needs \(missing.joined(separator: ", ")) (apt-get install -y \(packages) socat)"
    }

    /// Runs the lab once.
    /// - Parameters:
    ///   - prepare: writes the daemon's files into the scratch directory.
    ///   - daemon: the daemon's command line, given the scratch directory.
    ///   - log: what to show when the daemon never listened (its log's tail), given the directory.
    ///   - probe: inside the namespace, once both servers listen; `.failure` is a setup failure.
    func run<Value: Sendable>(
        prepare: (_ directory: String) throws -> Void, daemon: (_ directory: String) -> [String],
        log: @escaping @Sendable (_ directory: String) -> String = { _ in "" },
        probe: @escaping @Sendable () -> Result<Value, SetupFailure>
    ) -> Outcome<Value> {
        if let reason = unavailableReason { return .unavailable(reason) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(name)-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try prepare(directory)
            try Self.notThisProtocol.write(toFile: "\(directory)/not-\(name).sh", atomically: true, encoding: .utf8)
            let namespace = try NetworkNamespace(prefix: name)
            // remove() also ends what the daemon started on its own (Erlang's epmd, for one).
            defer { namespace.remove() }
            var processes: [Process] = []
            defer {
                // SIGKILL: children inherit the test thread's blocked signal mask (`DetectionLab`).
                for process in processes { kill(process.processIdentifier, SIGKILL) }
                for process in processes { _ = waitpid(process.processIdentifier, nil, 0) }
            }
            processes.append(try namespace.spawn(daemon(directory)))
            processes.append(
                try namespace.spawn([
                    Self.socat, "TCP-LISTEN:\(port),bind=\(DetectionLab.secondAddress),fork,reuseaddr",
                    "SYSTEM:/bin/sh \(directory)/not-\(name).sh",
                ]))
            let (port, seconds, name) = (port, listenSeconds, name)
            let result = try namespace.runOnThread { () -> Result<Value, SetupFailure> in
                for host in [DetectionLab.address, DetectionLab.secondAddress]
                where !DetectionLab.waitForListener(host: host, port: port, seconds: seconds) {
                    let tail = log(directory).suffix(2000)
                    return .failure(
                        SetupFailure(
                            description: "\(name): nothing listened on \(host):\(port) within \(seconds) s"
                                + (tail.isEmpty ? "" : "; the daemon's log ends:\n\(tail)")))
                }
                return probe()
            }
            switch result {
            case .success(let value): return .ran(value)
            case .failure(let failure): return .failed(failure.description)
            }
        } catch {
            return .failed("\(name) lab setup failed: \(error)")
        }
    }

    /// The negative server's script: it reads one byte and answers with an HTTP error.
    static let notThisProtocol = """
        head -c 1 >/dev/null
        printf 'HTTP/1.0 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n'

        """
}
