import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads osquery `listening_ports` result logs (docs/formats.md) into the listeners of each host
/// and their per-port drift.
///
/// Accepts event lines (`"action":"added"|"removed"`, one row each), batch lines
/// (`"diffResults":{"added":[…],"removed":[…]}`) and snapshots (`"snapshot":[…]`), with the
/// plain or the ECS envelope, and values as strings or numbers. Rows with `counter` 0 are a new
/// baseline of their query on their host, not changes. The rows of one run are applied together
/// before comparing, so a restart (row removed and re-added with a new pid) is no change. Rows of
/// other queries (no `port` column) are counted, not reported one by one.
public struct OsqueryListenerImporter: Sendable {
    /// UDP ports treated as client-side ephemeral binds (`nil` keeps every UDP socket).
    public var ephemeralRange: ClosedRange<UInt16>?

    /// Creates an importer.
    public init(ephemeralRange: ClosedRange<UInt16>? = 32768...60999) {
        self.ephemeralRange = ephemeralRange
    }

    /// What an import produced.
    public struct Result: Sendable {
        /// The listeners of each host (by `hostIdentifier`) after the last line.
        public var hosts: [String: [Listener]]
        /// The same listeners with the line and time (`unixTime`) of the record that reported them.
        public var imported: [String: [ImportedListener]]
        /// The confirmed per-port changes of each host, in log order (baselines produce none).
        public var changes: [String: [DriftChange]]
        /// Lines or rows that could not be read, with line numbers; the rest were read.
        public var problems: [Diagnostic]
        /// UDP rows skipped as ephemeral client binds.
        public var skippedEphemeral: Int
        /// Rows of other queries (`system_info`, `file_events`, …), skipped, by query name.
        public var otherQueryRows: [String: Int]
        /// How many `listening_ports` rows the log had (read, skipped or reported).
        public var listeningRows: Int
    }

    /// Parses a whole result log; `file` names it in problems.
    public func parse(_ text: String, file: String = "osquery") -> Result {
        var state = ImportState(importer: self, file: file)
        var lineNumber = 0
        for line in text.textLines {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            let value: JSONValue
            do throws(JSONValue.ParseError) {
                value = try JSONValue.parse(line.utf8)
            } catch {
                state.problem(lineNumber, "not a JSON object (\(error)); skipped")
                continue
            }
            guard case .object = value else {
                state.problem(lineNumber, "not a JSON object but \(value.typeName); skipped")
                continue
            }
            state.apply(OsqueryLine(value), line: lineNumber)
        }
        state.flush()
        let imported = state.hosts()
        return Result(
            hosts: imported.mapValues { $0.map(\.listener) }, imported: imported, changes: state.changes,
            problems: state.problems, skippedEphemeral: state.skippedEphemeral, otherQueryRows: state.otherQueryRows,
            listeningRows: state.listeningRows)
    }

    /// A `listening_ports` row (optionally joined with `processes`) as a listener; `nil` for a
    /// UNIX socket, port 0 or another query's row.
    func listener(_ row: JSONValue) -> Swift.Result<Listener?, Diagnostic> {
        guard let family = row["family"]?.integer, let proto = row["protocol"]?.integer, let port = row["port"]?.integer
        else {
            return .failure(
                Diagnostic.inventory(.malformedLine, message: "row lacks family, protocol or port; skipped"))
        }
        guard family == 2 || family == 10, port != 0 else { return .success(nil) }
        guard port > 0, port <= 65535, proto == 6 || proto == 17 else {
            return .failure(
                Diagnostic.inventory(.malformedLine, message: "row has port \(port), protocol \(proto); skipped"))
        }
        let addressText = row["address"]?.text ?? (family == 2 ? "0.0.0.0" : "::")
        guard let address = IPAddress(addressText), address.isIPv4 == (family == 2) else {
            return .failure(
                Diagnostic.inventory(.malformedLine, message: "address \"\(addressText)\" is not family \(family)"))
        }
        let namespace = NamespaceRef(inode: row["net_namespace"]?.integer.map { UInt64(max(0, $0)) } ?? 0)
        var owners: [ProcessOwner] = []
        if let pid = row["pid"]?.integer, pid > 0, pid <= Int64(Int32.max) {
            let executable =
                [row["process_path"], row["exe"], row["path"]].lazy.compactMap { $0?.text }
                .first { !$0.isEmpty } ?? row["name"]?.text
            owners.append(
                ProcessOwner(
                    pid: Int32(pid), executable: executable, commandLine: row["cmdline"]?.text,
                    user: row["username"]?.text, uid: row["uid"]?.integer.flatMap { UInt32(exactly: $0) }))
        }
        return .success(
            Listener(
                transport: proto == 6 ? .tcp : .udp, address: address, port: UInt16(port), namespace: namespace,
                owners: owners, inode: row["socket"]?.integer.flatMap { UInt64(exactly: $0) } ?? 0))
    }
}
