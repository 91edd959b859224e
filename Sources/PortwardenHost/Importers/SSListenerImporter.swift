import PortwardenCore

/// Reads `ss -H -ltunp` and `ss -tulpen` output (docs/formats.md) into listeners.
///
/// Handles the Netid column present or absent, a header line, `*`, `[::]`, `%dev` suffixes,
/// several owners per socket, quoted process names with spaces or parentheses, a missing
/// `users:` field and the `-e` fields after it (`uid:` `ino:` `sk:` `cgroup:` `v6only:` `<->`).
/// UDP sockets on a port in the ephemeral range are skipped as client binds (counted).
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
        /// The input line of each listener (same order as ``listeners``).
        public var lines: [Int]
        /// Lines that could not be parsed (with line numbers); the rest were read.
        public var problems: [Diagnostic]
        /// UDP sockets skipped as ephemeral client binds.
        public var skippedEphemeral: Int
        /// Whether `*` was read as the IPv4 wildcard (old iproute2 output) rather than `::`.
        public var starIsIPv4: Bool

        /// Each listener with its line.
        public var imported: [ImportedListener] {
            zip(listeners, lines).map { ImportedListener(listener: $0.0, line: $0.1) }
        }
    }

    /// Parses the whole output; `file` names it in problems.
    public func parse(_ text: String, file: String = "ss") -> Result {
        let lines = text.textLines
        let starIsIPv4 = Self.isOldIproute2(lines)
        var result = Result(listeners: [], lines: [], problems: [], skippedEphemeral: 0, starIsIPv4: starIsIPv4)
        var lineNumber = 0
        for line in lines {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            if Self.isHeader(line) { continue }
            switch parseLine(line, starIsIPv4: starIsIPv4) {
            case .success(let listener):
                if listener.transport == .udp, let range = ephemeralRange, range.contains(listener.port) {
                    result.skippedEphemeral += 1
                } else {
                    result.listeners.append(listener)
                    result.lines.append(lineNumber)
                }
            case .failure(let reason):
                result.problems.append(
                    Diagnostic.inventory(
                        .malformedLine, file: file, line: lineNumber, column: reason.column ?? 0, message: reason.text))
            }
        }
        return result
    }

    /// ss's column header (`Netid State Recv-Q …`, or `State Recv-Q …` without the Netid column).
    static func isHeader(_ line: Substring) -> Bool {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(2)
        return words.first == "Netid" || (words.first == "State" && words.dropFirst().first == "Recv-Q")
    }

    /// Old iproute2 writes the IPv4 wildcard as `*` and the IPv6 one as `:::22` (3.x) or `[::]:22`
    /// (4.x, as CentOS 7 ships it); newer releases write `0.0.0.0:22` and `[::]:22`, and keep `*`
    /// for an IPv6 socket that also accepts IPv4 (`v6only:0`). So a file with a local address
    /// `0.0.0.0` is new and its `*` is `::`; in any other file `*` is `0.0.0.0`, the IPv6 wildcard
    /// being written out. A `v6only:` field (IPv6 sockets only) makes `*` `::` on its line.
    static func isOldIproute2(_ lines: [Substring]) -> Bool {
        for line in lines where !isHeader(line) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            // The local address is the fifth field with Netid, the fourth without.
            for field in fields.dropFirst(3).prefix(2) where field.hasPrefix("0.0.0.0:") || field.hasPrefix("0.0.0.0%")
            {
                return false
            }
        }
        return true
    }

    /// Why a line is not a listener, and the 1-based byte column of the field at fault.
    struct Reason: Error {
        var text: String
        var column: Int?
    }

    /// Parses one line: `[Netid] State Recv-Q Send-Q Local:Port Peer:Port [users:(…)] [-e fields]`.
    func parseLine(_ line: Substring, starIsIPv4: Bool = false) -> Swift.Result<Listener, Reason> {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        func token() -> Substring? {
            guard !rest.isEmpty else { return nil }
            let end = rest.firstIndex { $0 == " " || $0 == "\t" } ?? rest.endIndex
            let value = rest[..<end]
            rest = rest[end...].drop { $0 == " " || $0 == "\t" }
            return value
        }
        func fail(_ text: String, at field: Substring? = nil) -> Swift.Result<Listener, Reason> {
            let column = field.map { line.utf8.distance(from: line.startIndex, to: $0.startIndex) + 1 }
            return .failure(Reason(text: text, column: column))
        }
        guard var first = token() else { return fail("empty line") }
        var transport: Transport?
        if first != "LISTEN", first != "UNCONN" {
            guard let netid = Transport(rawValue: first.lowercased()) else {
                return fail("\"\(first)\" is neither tcp/udp nor a state (LISTEN, UNCONN)", at: first)
            }
            transport = netid
            guard let state = token() else { return fail("missing state", at: rest) }
            first = state
        }
        guard first == "LISTEN" || first == "UNCONN" else {
            return fail("state \"\(first)\" is not LISTEN or UNCONN (not a listener)", at: first)
        }
        let resolved = transport ?? (first == "LISTEN" ? .tcp : .udp)
        let queues = rest
        guard let recvQ = token(), let sendQ = token(), UInt64(recvQ) != nil, UInt64(sendQ) != nil else {
            return fail("Recv-Q and Send-Q must be numbers", at: queues)
        }
        guard let local = token() else { return fail("local address is not address:port", at: rest) }
        guard token() != nil else { return fail("missing peer address", at: rest) }
        while let last = rest.last, last == " " || last == "\r" || last == "\t" { rest = rest.dropLast() }
        var owners: [ProcessOwner] = []
        if rest.hasPrefix("users:(") {
            guard let end = Self.usersEnd(rest), let parsed = Self.users(rest[..<end]) else {
                return fail("process field is not users:((\"name\",pid=N,fd=M),…)", at: rest)
            }
            owners = parsed
            rest = rest[end...]
        }
        var extras = SSExtendedFields()
        for field in rest.split(whereSeparator: { $0 == " " || $0 == "\t" }) where !extras.read(field) {
            return fail(
                "\"\(field.prefix(40))\" is neither users:(…) nor an ss -e field (uid:, ino:, sk:, …)", at: field)
        }
        let starMeansIPv4 = extras.v6only == nil ? starIsIPv4 : false
        guard let endpoint = Self.endpoint(local, starIsIPv4: starMeansIPv4) else {
            return fail("local address \"\(local.prefix(60))\" is not address:port", at: local)
        }
        return .success(
            Listener(
                transport: resolved, address: endpoint.address, port: endpoint.port, namespace: namespace,
                owners: owners.map { extras.apply(to: $0) }, inode: extras.inode ?? 0, device: endpoint.device))
    }

    /// `0.0.0.0:80`, `*:22`, `[::1]:6379`, `0.0.0.0%lo:8125`, `[fe80::1]%eth0:53`, `:::22`; `*` is
    /// `0.0.0.0` when `starIsIPv4`, else `::`.
    static func endpoint(
        _ text: Substring, starIsIPv4: Bool = false
    ) -> (
        address: IPAddress, port: UInt16, device: String?
    )? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        var host = text[..<colon]
        var device: String?
        if let percent = host.lastIndex(of: "%"), !host[percent...].contains("]") {
            device = String(host[host.index(after: percent)...])
            host = host[..<percent]
        }
        if host == "*" { return (starIsIPv4 ? IPAddress(ipv4: 0) : IPAddress(ipv6: 0), port, device) }
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard let address = IPAddress(host) else { return nil }
        return (address, port, device)
    }

    /// The end of the `users:(…)` field at the start of `text`: after the parenthesis that closes
    /// `users:(`, counting parentheses outside quoted names (`"a (b) \\"c\\""`).
    static func usersEnd(_ text: Substring) -> Substring.Index? {
        var depth = 0
        var quoted = false
        var escaped = false
        var index = text.index(text.startIndex, offsetBy: "users:".count)
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if quoted {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    quoted = false
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
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
