import PortwardenCore

/// What a process's `/proc/<pid>/cgroup` says about its systemd unit and container.
struct CgroupPath: Hashable, Sendable {
    /// The systemd unit (`nginx.service`, `session-3.scope`), not counting a container's scope.
    var unit: String?
    /// A container id (64 hex digits) from docker, containerd, CRI-O, podman or kubepods paths.
    var container: String?

    /// Parses the file's text; the unified (`0::`) hierarchy wins, else `name=systemd`, else any.
    init(text: String) {
        var best: Substring?
        var rank = 0
        for line in text.textLines where !line.isEmpty {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = parts[2]
            let lineRank: Int
            if parts[0] == "0", parts[1].isEmpty {
                lineRank = 3
            } else if parts[1] == "name=systemd" {
                lineRank = 2
            } else {
                lineRank = path == "/" ? 0 : 1
            }
            if lineRank > rank || best == nil {
                best = path
                rank = lineRank
            }
        }
        self.init(path: best ?? "/")
    }

    /// Classifies one cgroup path such as
    /// `/kubepods.slice/kubepods-burstable.slice/…/cri-containerd-<id>.scope`.
    init(path: Substring) {
        for component in path.split(separator: "/") {
            if let id = Self.containerID(component) {
                container = id
                continue
            }
            if component.hasSuffix(".service") || component.hasSuffix(".scope") || component.hasSuffix(".socket") {
                unit = String(component)
            }
        }
    }

    private static let containerPrefixes = ["docker-", "cri-containerd-", "crio-", "libpod-", "containerd-", ""]

    /// The 64-hex id in `docker-<id>.scope`, `crio-<id>.scope`, `libpod-<id>.scope` or a bare `<id>`.
    static func containerID(_ component: Substring) -> String? {
        var name = component
        if name.hasSuffix(".scope") { name = name.dropLast(6) }
        for prefix in containerPrefixes where name.hasPrefix(prefix) {
            let id = name.dropFirst(prefix.count)
            if id.utf8.count == 64, id.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) {
                return String(id)
            }
        }
        return nil
    }
}
