import Foundation

/// A network namespace that a test creates and removes, so that traffic never leaves the
/// sandbox: loopback inside it is the test's own, and veth peers have no route out.
///
/// Tests that need it carry the ``Testing/Trait/needsNetworkNamespaces`` trait, so that without root
/// or `ip` the runner reports them as skipped with ``NetworkNamespace/unavailableReason``.
public final class NetworkNamespace: @unchecked Sendable {
    // @unchecked: the only mutable state is `removed`, guarded by `lock`.
    public let name: String
    private var removed = false
    private let lock = NSLock()

    /// Why namespaces cannot be used here, or `nil` when they can.
    public static var unavailableReason: String? {
        if getuid() != 0 {
            return "needs root: network namespaces can only be created by root (run scripts/test-all.sh as root)"
        }
        if Shell.which("ip") == nil {
            return "needs the ip command (iproute2) for network namespaces: apt-get install -y iproute2"
        }
        return nil
    }

    /// Creates a namespace named `pwt-<prefix>-<random>` with its loopback up.
    public init(prefix: String) throws {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        name = "pwt-\(prefix)-\(suffix)"
        try Shell.run("ip", "netns", "add", name)
        do {
            try Shell.run("ip", "-n", name, "link", "set", "lo", "up")
        } catch {
            _ = try? Shell.run("ip", "netns", "del", name)
            throw error
        }
    }

    deinit { remove() }

    /// Deletes the namespace (also its veth ends); safe to call twice. Processes started in it
    /// with ``spawn(_:)`` should be ended by the caller first; whatever still runs in it then (a
    /// daemon's own helpers, such as the Erlang port mapper RabbitMQ starts) is killed, since
    /// deleting a namespace ends none of its processes.
    public func remove() {
        lock.lock()
        defer { lock.unlock() }
        guard !removed else { return }
        removed = true
        if let listed = try? Shell.run(["ip", "netns", "pids", name], allowFailure: true) {
            for pid in listed.stdout.split(whereSeparator: \.isNewline).compactMap({ pid_t($0) }) where pid != getpid()
            {
                kill(pid, SIGKILL)
            }
        }
        _ = try? Shell.run("ip", "netns", "del", name)
    }

    /// Runs a command inside the namespace and waits for it.
    @discardableResult
    public func run(_ arguments: String..., input: String? = nil) throws -> Shell.Result {
        try Shell.run(["ip", "netns", "exec", name] + arguments, input: input)
    }

    /// Runs a command inside the namespace and waits for it.
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil, allowFailure: Bool = false) throws -> Shell.Result {
        try Shell.run(["ip", "netns", "exec", name] + arguments, input: input, allowFailure: allowFailure)
    }

    /// Starts a long-running command inside the namespace (a listener, a daemon). End it with
    /// `kill(pid, SIGKILL)`: it inherits the test runner's signal mask, in which SIGTERM may be
    /// blocked, so `Process.terminate()` can leave it running.
    public func spawn(_ arguments: [String]) throws -> Process {
        try Shell.spawn(["ip", "netns", "exec", name] + arguments)
    }

    /// Connects this namespace to a new one over a veth pair: `localAddress` on this side,
    /// `peerAddress` on the other, both in `prefixLength`. Returns the peer namespace.
    public func addPeer(
        prefix: String, localAddress: String, peerAddress: String, prefixLength: Int
    ) throws
        -> NetworkNamespace
    {
        let peer = try NetworkNamespace(prefix: prefix)
        let a = "pw\(String(UInt32.random(in: 0...0xFFFFFF), radix: 36))a"
        let b = String(a.dropLast()) + "b"
        try Shell.run("ip", "link", "add", a, "netns", name, "type", "veth", "peer", "name", b, "netns", peer.name)
        try Shell.run("ip", "-n", name, "addr", "add", "\(localAddress)/\(prefixLength)", "dev", a)
        try Shell.run("ip", "-n", peer.name, "addr", "add", "\(peerAddress)/\(prefixLength)", "dev", b)
        try Shell.run("ip", "-n", name, "link", "set", a, "up")
        try Shell.run("ip", "-n", peer.name, "link", "set", b, "up")
        return peer
    }
}

/// Small wrappers around `Process` for tests.
public enum Shell {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public let command: [String]
        public let result: Result
        public var description: String {
            "\(command.joined(separator: " ")) exited \(result.status): \(result.stderr)\(result.stdout)"
        }
    }

    /// The full path of an executable on PATH, or `nil`.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        for dir in directories {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    @discardableResult
    public static func run(_ arguments: String...) throws -> Result {
        try run(arguments)
    }

    /// Runs a command to completion, capturing its output; throws ``Failure`` on a non-zero exit
    /// unless `allowFailure`.
    ///
    /// The child is started with `posix_spawn`, its pipes are drained with `poll` on this thread and
    /// it is reaped with `waitpid`: Foundation's `Process.waitUntilExit` could miss the exit of a
    /// script that leaves daemons behind (scripts/lab), and a test then hung with a zombie child.
    @discardableResult
    public static func run(_ arguments: [String], input: String? = nil, allowFailure: Bool = false) throws -> Result {
        let path = which(arguments[0]) ?? arguments[0]
        let output = try ChildProcess.run(path: path, arguments: arguments, input: input.map { Array($0.utf8) })
        let result = Result(
            status: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
            stderr: String(decoding: output.stderr, as: UTF8.self))
        if result.status != 0, !allowFailure { throw Failure(command: arguments, result: result) }
        return result
    }

    /// Starts a command in the background with output discarded.
    public static func spawn(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: which(arguments[0]) ?? arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// A value behind a lock, for handing data between a reader thread and the test.
final class LockedBox<Value>: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func set(_ newValue: Value) {
        lock.lock()
        value = newValue
        lock.unlock()
    }
    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Where the built products are, for end-to-end tests that run the `portwarden` binary.
public enum BuiltProducts {
    /// The build folder holding the test bundle (and so the `portwarden` executable).
    public static var directory: URL {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // The test bundle may be a directory (…/PortwardenPackageTests.xctest/…) on some platforms.
        while dir.path != "/", !FileManager.default.fileExists(atPath: dir.appendingPathComponent("portwarden").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    /// The path of the built `portwarden` binary; `nil` when it was not built.
    public static var portwarden: String? {
        let path = directory.appendingPathComponent("portwarden").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}
