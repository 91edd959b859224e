import PortwardenCore

/// Reads `ss -H -ltunp` output (docs/formats.md) into listeners.
///
/// Handles the Netid column present or absent, `*`, `[::]`, `%dev` suffixes, several owners per
/// socket, quoted process names with spaces or parentheses, and a missing `users:` field. UDP
/// sockets on a port in the ephemeral range are skipped as client binds (counted).
public struct SSListenerImporter: Sendable {
    /// The namespace the `ss` output was taken in.
    public var namespace: NamespaceRef
    /// UDP ports treated as client-side ephemeral binds (`nil` keeps every UDP socket).
    public var ephemeralRange: ClosedRange<UInt16>?

    /// Creates an importer.
    public init(namespace: NamespaceRef = NamespaceRef(inode: 0), ephemeralRange: ClosedRange<UInt16>? = 32768...60999)
    {
        self.namespace = namespace
        self.ephemeralRange = ephemeralRange
    }

    /// What an import produced.
    public struct Result: Sendable {
        /// The listeners, in input order.
        public var listeners: [Listener]
        /// Lines that could not be parsed (with line numbers); the rest were read.
        public var problems: [InventoryProblem]
        /// UDP sockets skipped as ephemeral client binds.
        public var skippedEphemeral: Int
    }

    /// Parses the whole output; `file` names it in problems.
    public func parse(_ text: String, file: String = "ss") -> Result {
        var result = Result(listeners: [], problems: [], skippedEphemeral: 0)
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            switch parseLine(line) {
            case .success(let listener):
                if listener.transport == .udp, let range = ephemeralRange, range.contains(listener.port) {
                    result.skippedEphemeral += 1
                } else {
                    result.listeners.append(listener)
                }
            case .failure(let reason):
                result.problems.append(
                    InventoryProblem(.malformedLine, file: file, line: lineNumber, message: reason.text))
            }
        }
        return result
    }

    struct Reason: Error { var text: String }

    /// Parses one line: `[Netid] State Recv-Q Send-Q Local:Port Peer:Port [users:(…)]`.
    func parseLine(_ line: Substring) -> Swift.Result<Listener, Reason> {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        func token() -> Substring? {
            guard !rest.isEmpty else { return nil }
            let end = rest.firstIndex { $0 == " " || $0 == "\t" } ?? rest.endIndex
            let value = rest[..<end]
            rest = rest[end...].drop { $0 == " " || $0 == "\t" }
            return value
        }
        guard var first = token() else { return .failure(Reason(text: "empty line")) }
        var transport: Transport?
        if first != "LISTEN", first != "UNCONN" {
            guard let netid = Transport(rawValue: first.lowercased()) else {
                return .failure(Reason(text: "\"\(first)\" is neither tcp/udp nor a state (LISTEN, UNCONN)"))
            }
            transport = netid
            guard let state = token() else { return .failure(Reason(text: "missing state")) }
            first = state
        }
        guard first == "LISTEN" || first == "UNCONN" else {
            return .failure(Reason(text: "state \"\(first)\" is not LISTEN or UNCONN (not a listener)"))
        }
        let resolved = transport ?? (first == "LISTEN" ? .tcp : .udp)
        guard let recvQ = token(), let sendQ = token(), UInt64(recvQ) != nil, UInt64(sendQ) != nil else {
            return .failure(Reason(text: "Recv-Q and Send-Q must be numbers"))
        }
        guard let local = token(), let endpoint = Self.endpoint(local) else {
            return .failure(Reason(text: "local address is not address:port"))
        }
        guard token() != nil else { return .failure(Reason(text: "missing peer address")) }
        let owners: [ProcessOwner]
        if rest.isEmpty {
            owners = []
        } else {
            var field = rest
            while let last = field.last, last == " " || last == "\r" || last == "\t" { field = field.dropLast() }
            guard let parsed = Self.users(field) else {
                return .failure(Reason(text: "process field is not users:((\"name\",pid=N,fd=M),…)"))
            }
            owners = parsed
        }
        return .success(
            Listener(
                transport: resolved, address: endpoint.address, port: endpoint.port, namespace: namespace,
                owners: owners, device: endpoint.device))
    }

    /// `0.0.0.0:80`, `*:22`, `[::1]:6379`, `0.0.0.0%lo:8125`, `[fe80::1]%eth0:53`.
    static func endpoint(_ text: Substring) -> (address: IPAddress, port: UInt16, device: String?)? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        var host = text[..<colon]
        var device: String?
        if let percent = host.lastIndex(of: "%"), !host[percent...].contains("]") {
            device = String(host[host.index(after: percent)...])
            host = host[..<percent]
        }
        if host == "*" { return (IPAddress(ipv6: 0), port, device) }
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard let address = IPAddress(host) else { return nil }
        return (address, port, device)
    }

    /// `users:(("nginx",pid=1204,fd=6),("a (b) c",pid=1,fd=2))`.
    static func users(_ text: Substring) -> [ProcessOwner]? {
        guard text.hasPrefix("users:("), text.hasSuffix(")") else { return nil }
        var rest = text.dropFirst("users:(".count).dropLast()
        var owners: [ProcessOwner] = []
        while !rest.isEmpty {
            guard rest.hasPrefix("(\"") else { return nil }
            rest = rest.dropFirst(2)
            guard let nameEnd = rest.firstRange(of: "\",pid=") else { return nil }
            let name = String(rest[..<nameEnd.lowerBound])
            rest = rest[nameEnd.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { return nil }
            let fields = rest[..<close].split(separator: ",")
            guard let pidText = fields.first, let pid = Int32(pidText) else { return nil }
            owners.append(ProcessOwner(pid: pid, executable: name))
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(",") { rest = rest.dropFirst() }
        }
        return owners.isEmpty ? nil : owners
    }
}
