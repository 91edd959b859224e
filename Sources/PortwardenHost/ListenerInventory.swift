import PortwardenCore

/// Every listening socket on the host, from `/proc`, with its owning processes.
///
/// Tables come from `/proc/<pid>/net/{tcp,tcp6,udp,udp6}` of one process per network namespace
/// (no `setns`), owners from the `socket:[inode]` links in `/proc/<pid>/fd`. TCP sockets count
/// when in LISTEN; UDP sockets when unconnected (state 07, remote address 0) and either outside
/// `ip_local_port_range` or seen before (``InventoryOptions/seenBefore``), because an unconnected
/// UDP socket on an ephemeral port is usually a client that called `sendto()`.
public struct ListenerInventory: Sendable {
    /// What to read.
    public let options: InventoryOptions

    /// Creates an inventory with the given options.
    public init(options: InventoryOptions = InventoryOptions()) {
        self.options = options
    }

    /// Reads everything once. Never throws: what could not be read is in ``InventoryReport/problems``.
    public func collect() -> InventoryReport {
        var problems: [Diagnostic] = []
        let pids = processIDs(problems: &problems)
        let names = namespaceNames()
        let sources = namespaceSources(pids: pids, names: names, problems: &problems)
        let range = ephemeralRange(problems: &problems)
        let seen = Set(options.seenBefore.map(SeenKey.init))

        var listeners: [Listener] = []
        var ephemeral: [Listener] = []
        var readNamespaces: [NamespaceRef] = []
        for source in sources {
            guard let found = readTables(source, problems: &problems) else { continue }
            readNamespaces.append(source.ref)
            for listener in found {
                if listener.transport == .udp, range.contains(listener.port), !seen.contains(SeenKey(listener)) {
                    ephemeral.append(listener)
                } else {
                    listeners.append(listener)
                }
            }
        }

        let ownership = SocketOwnership.scan(procRoot: options.procRoot, pids: pids, wanted: listeners + ephemeral)
        let reader = ProcessReader(procRoot: options.procRoot, passwd: PasswdFile.load(options.etcPasswd))
        let attributed = ownership.attribute(listeners: listeners, ephemeral: ephemeral, reader: reader)
        problems += reader.passwd.problems + ownership.problems(exited: attributed.exited)

        let withoutOwner = attributed.listeners.filter { $0.owners.isEmpty }.count
        if withoutOwner > 0 {
            let why = ownership.unreadableDirectories > 0 ? "not root?" : "held by the kernel or an exited process"
            problems.append(
                Diagnostic.inventory(
                    .ownersUnknown,
                    message: "owners unknown for \(Diagnostic.counted(withoutOwner, "socket")) (\(why))")
            )
        }
        return InventoryReport(
            listeners: attributed.listeners.sorted(), problems: problems,
            unprivileged: ownership.unreadableDirectories > 0, socketsWithoutOwner: withoutOwner,
            ephemeralUDP: attributed.ephemeral.sorted(), namespaces: readNamespaces.sorted())
    }

    /// The numeric entries of the proc root.
    private func processIDs(problems: inout [Diagnostic]) -> [Int32] {
        switch SystemCalls.listDirectory(options.procRoot) {
        case .success(let names):
            return names.compactMap { Int32($0) }.filter { $0 > 0 }.sorted()
        case .failure(let error):
            problems.append(Diagnostic.inventory(.unreadableFile, file: options.procRoot, message: error.message))
            return []
        }
    }

    /// inode → name of the namespaces that `ip netns` named.
    private func namespaceNames() -> [UInt64: String] {
        guard case .success(let names) = SystemCalls.listDirectory(options.netnsDirectory) else { return [:] }
        var byInode: [UInt64: String] = [:]
        for name in names.sorted() {
            if let inode = SystemCalls.inode(of: "\(options.netnsDirectory)/\(name)"), byInode[inode] == nil {
                byInode[inode] = name
            }
        }
        return byInode
    }

    /// A namespace and the process directories through which its tables can be read.
    struct NamespaceSource {
        var ref: NamespaceRef
        var readers: [String]
    }

    private func namespaceSources(
        pids: [Int32], names: [UInt64: String], problems: inout [Diagnostic]
    )
        -> [NamespaceSource]
    {
        let root = options.procRoot
        guard options.allNamespaces else {
            let inode = namespaceInode("\(root)/self").flatMap { try? $0.get() } ?? 0
            return [NamespaceSource(ref: NamespaceRef(inode: inode, name: names[inode]), readers: ["\(root)/self"])]
        }
        var readers: [UInt64: [String]] = [:]
        var unknown = 0
        for pid in pids {
            switch namespaceInode("\(root)/\(pid)") {
            case .success(let inode): readers[inode, default: []].append("\(root)/\(pid)")
            case .failure(let error) where !error.isGone: unknown += 1
            default: break
            }
        }
        if unknown > 0 {
            problems.append(
                Diagnostic.inventory(
                    .namespaceUnknown, file: "\(root)/<pid>/ns/net",
                    message:
                        "cannot read the network namespace of \(unknown) processes; their namespaces may be missing"))
        }
        return readers.keys.sorted().map {
            NamespaceSource(ref: NamespaceRef(inode: $0, name: names[$0]), readers: readers[$0] ?? [])
        }
    }

    /// The inode of `<processDirectory>/ns/net`, or `nil` for an unexpected link target.
    private func namespaceInode(_ processDirectory: String) -> Result<UInt64, SystemError>? {
        switch SystemCalls.readLink("\(processDirectory)/ns/net") {
        case .success(let bytes): return SocketLink.namespaceInode(bytes).map { .success($0) }
        case .failure(let error): return .failure(error)
        }
    }

    /// Reads the four tables of a namespace through the first of its processes that is still there.
    private func readTables(_ source: NamespaceSource, problems: inout [Diagnostic]) -> [Listener]? {
        for reader in source.readers {
            let tcpPath = "\(reader)/net/tcp"
            switch SystemCalls.readFile(tcpPath) {
            case .failure(let error) where error.isGone:
                continue  // that process exited; try the next one in the namespace
            case .failure(let error):
                problems.append(Diagnostic.inventory(.unreadableFile, file: tcpPath, message: error.message))
                return nil
            case .success(let tcp):
                var found: [Listener] = []
                for (file, transport, ipv6) in SocketTable.all {
                    let path = "\(reader)/net/\(file)"
                    let bytes: [UInt8]
                    if file == "tcp" {
                        bytes = tcp
                    } else {
                        switch SystemCalls.readFile(path) {
                        case .success(let read): bytes = read
                        case .failure(let error) where error.isGone: continue  // no IPv6 in this kernel
                        case .failure(let error):
                            problems.append(Diagnostic.inventory(.unreadableFile, file: path, message: error.message))
                            continue
                        }
                    }
                    let malformed = ProcNetTable.parse(bytes, ipv6: ipv6) { entry in
                        if let listener = SocketTable.listener(entry, transport: transport, namespace: source.ref) {
                            found.append(listener)
                        }
                    }
                    problems += malformed.map {
                        Diagnostic.inventory(
                            .malformedLine, file: path, line: $0, message: "not a socket table row; skipped")
                    }
                }
                return found
            }
        }
        return nil
    }

    /// `net.ipv4.ip_local_port_range` (read in this process's namespace; applied to all).
    private func ephemeralRange(problems: inout [Diagnostic]) -> ClosedRange<UInt16> {
        let path = "\(options.procRoot)/sys/net/ipv4/ip_local_port_range"
        let fallback: ClosedRange<UInt16> = 32768...60999
        guard case .success(let bytes) = SystemCalls.readFile(path) else { return fallback }
        let numbers = String(decoding: bytes, as: UTF8.self).split(whereSeparator: {
            $0 == " " || $0 == "\t" || $0 == "\n"
        })
        .compactMap { UInt16($0) }
        guard numbers.count == 2, numbers[0] <= numbers[1] else {
            problems.append(
                Diagnostic.inventory(
                    .malformedLine, file: path, line: 1, message: "expected two port numbers; using 32768-60999"))
            return fallback
        }
        return numbers[0]...numbers[1]
    }
}

/// What makes an ephemeral-range UDP socket "seen before".
private struct SeenKey: Hashable {
    var namespace: String
    var transport: Transport
    var address: IPAddress
    var port: UInt16

    init(_ listener: Listener) {
        namespace = listener.namespace.description
        transport = listener.transport
        address = listener.address
        port = listener.port
    }
}
