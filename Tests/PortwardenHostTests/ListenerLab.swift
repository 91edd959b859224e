import Foundation
import PortwardenCore
import PortwardenHost
import PortwardenTestSupport

/// A network namespace with real listeners in it: addresses 10.77.0.1 and fd00:77::1 on its own
/// loopback device, python3 and socat processes started and stopped by the test.
final class ListenerLab {
    let namespace: NetworkNamespace
    private(set) var processes: [String: Process] = [:]
    let script: URL

    /// The python3 program: each argument `kind:address:port` opens one socket, then it sleeps.
    static let program = """
        import socket, sys, signal
        keep = []
        for spec in sys.argv[1:]:
            kind, rest = spec.split(":", 1)
            address, port = rest.rsplit(":", 1)
            port = int(port)
            if kind in ("tcp4", "tcp6"):
                s = socket.socket(socket.AF_INET if kind == "tcp4" else socket.AF_INET6, socket.SOCK_STREAM)
                if kind == "tcp6": s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((address, port)); s.listen(16)
            elif kind in ("udp4", "udp6"):
                s = socket.socket(socket.AF_INET if kind == "udp4" else socket.AF_INET6, socket.SOCK_DGRAM)
                if kind == "udp6": s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((address, port))
            elif kind == "udpconnected":
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind((address, port)); s.connect(("127.0.0.1", 9))
            elif kind == "udpclient":
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.sendto(b"x", (address, port))
            keep.append(s)
        signal.pause()
        """

    init() throws {
        namespace = try NetworkNamespace(prefix: "inv")
        script = FileManager.default.temporaryDirectory.appendingPathComponent("pw-listen-\(UUID().uuidString).py")
        do {
            try namespace.run("ip", "addr", "add", "10.77.0.1/32", "dev", "lo")
            try namespace.run("ip", "addr", "add", "fd00:77::1/128", "dev", "lo", "nodad")
            try Data(Self.program.utf8).write(to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: script.path)
        } catch {
            namespace.remove()
            throw error
        }
    }

    /// Stops every process and removes the namespace and the script.
    func tearDown() {
        for process in processes.values { stop(process) }
        processes = [:]
        namespace.remove()
        try? FileManager.default.removeItem(at: script)
    }

    /// The real python3 binary (not a pyenv shim), so that the child can run as `nobody` too.
    static var python: String {
        let candidates = ["/usr/bin/python3"] + (Shell.which("python3").map { [$0] } ?? [])
        for candidate in candidates {
            let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
            if FileManager.default.isExecutableFile(atPath: resolved), !resolved.contains("/shims/") { return resolved }
        }
        return "python3"
    }

    /// Starts `arguments` in the namespace under `key`, as root or as `nobody` (uid 65534).
    func start(_ key: String, asNobody: Bool = false, _ arguments: [String]) throws {
        let drop = asNobody ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        processes[key] = try namespace.spawn(drop + arguments)
    }

    func startPython(_ key: String, asNobody: Bool = false, _ specs: [String]) throws {
        try start(key, asNobody: asNobody, [Self.python, script.path] + specs)
    }

    /// Stops one process and waits for it.
    func stop(_ key: String) {
        if let process = processes.removeValue(forKey: key) { stop(process) }
    }

    /// SIGKILL, because children of the test process inherit its blocked-signal mask (SIGTERM
    /// blocked by the dispatch threads), so `terminate()` would never end them.
    private func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func pid(_ key: String) -> Int32? { processes[key]?.processIdentifier }

    /// `/proc/<pid>/exe` of a started process: the binary the kernel really runs.
    func executable(_ key: String) -> String? {
        guard let pid = pid(key) else { return nil }
        return try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    }

    /// `ss -H -ltunp` in the namespace, parsed (the oracle).
    func ss() throws -> [Listener] {
        let output = try namespace.run("ss", "-H", "-ltunp").stdout
        return SSListenerImporter().parse(output).listeners
    }

    /// Polls `ss` until every `(transport, port)` in `expected` is listening, or gives up after
    /// 200 polls; returns whether they all appeared. Not a timed assertion: the caller checks content.
    func waitForPorts(_ expected: Set<String>) throws -> Bool {
        for _ in 0..<200 {
            let present = Set(try ss().map { "\($0.transport.rawValue)/\($0.port)" })
            if expected.isSubset(of: present) { return true }
            usleep(50_000)
        }
        return false
    }

    /// This namespace's listeners in a host-wide inventory.
    func inventory(seenBefore: [Listener] = []) -> (InventoryReport, [Listener]) {
        let report = ListenerInventory(options: InventoryOptions(allNamespaces: true, seenBefore: seenBefore)).collect()
        return (report, report.listeners.filter { $0.namespace.name == namespace.name })
    }
}
