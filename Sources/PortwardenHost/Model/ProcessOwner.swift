import PortwardenCore

/// A process that holds a listening socket, with what identifies it across restarts.
///
/// The pid is informational: drift compares ``ownerIdentity`` (executable, unit, container).
public struct ProcessOwner: Hashable, Sendable, Codable {
    /// The process id (informational only; it changes on restart).
    public var pid: Int32
    /// The executable path from `/proc/<pid>/exe` (` (deleted)` removed); for imports from `ss`,
    /// the process name it prints. `nil` when it could not be read.
    public var executable: String?
    /// The command line, arguments joined by spaces.
    public var commandLine: String?
    /// The user name of the real uid (from /etc/passwd), when known.
    public var user: String?
    /// The real uid.
    public var uid: UInt32?
    /// The systemd unit (`nginx.service`, `session-3.scope`), when the cgroup names one.
    public var unit: String?
    /// The container id (docker, containerd, CRI-O, podman, kubepods cgroups), when there is one.
    public var container: String?

    /// Creates an owner.
    public init(
        pid: Int32, executable: String? = nil, commandLine: String? = nil, user: String? = nil, uid: UInt32? = nil,
        unit: String? = nil, container: String? = nil
    ) {
        self.pid = pid
        self.executable = executable
        self.commandLine = commandLine
        self.user = user
        self.uid = uid
        self.unit = unit
        self.container = container
    }

    /// What a restart keeps: executable, unit and container, never the pid.
    public var ownerIdentity: OwnerIdentity {
        OwnerIdentity(executable: executable, unit: unit, container: container)
    }
}

/// The part of a ``ProcessOwner`` that identifies it across restarts.
public struct OwnerIdentity: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The executable path.
    public var executable: String?
    /// The systemd unit.
    public var unit: String?
    /// The container id.
    public var container: String?

    /// Creates an identity.
    public init(executable: String?, unit: String? = nil, container: String? = nil) {
        self.executable = executable
        self.unit = unit
        self.container = container
    }

    /// `/usr/sbin/sshd (ssh.service)`, `/app/server [container 3f2a…]`.
    public var description: String {
        var text = executable ?? "unknown executable"
        if let unit { text += " (\(unit))" }
        if let container { text += " [container \(container.prefix(12))]" }
        return text
    }

    public static func < (lhs: OwnerIdentity, rhs: OwnerIdentity) -> Bool {
        lhs.description < rhs.description
    }
}
