import PortwardenCore

/// The fields `ss -e` prints after the process (`uid:112 ino:25147 sk:2 cgroup:/system.slice/x.service
/// v6only:0 <->`, docs/formats.md): the owner's uid, unit and container, the socket inode, and
/// whether an IPv6 socket refuses IPv4.
struct SSExtendedFields {
    var uid: UInt32?
    var inode: UInt64?
    var cgroup: CgroupPath?
    /// `v6only:` is printed for IPv6 sockets only: its presence says `*` is the IPv6 wildcard.
    var v6only: Bool?

    /// Socket-direction markers (`<->` both, `<-`/`->` one side shut down, `<?>` unknown).
    static let markers: Set<Substring> = ["<->", "<-", "->", "<?>", "--"]

    /// Reads one field; `false` when it is not an `ss -e` field.
    mutating func read(_ field: Substring) -> Bool {
        if Self.markers.contains(field) { return true }
        guard let colon = field.firstIndex(of: ":") else { return false }
        let key = field[..<colon]
        let value = field[field.index(after: colon)...]
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return false }
        switch key {
        case "uid":
            guard let number = UInt32(value) else { return false }
            uid = number
        case "ino":
            guard let number = UInt64(value) else { return false }
            inode = number
        case "cgroup": cgroup = CgroupPath(path: value)
        case "v6only": v6only = value == "1"
        default: break  // sk:, timer:(…), fwmark:, tos:, … carry nothing Portwarden records
        }
        return true
    }

    /// `owner` with the uid, unit and container these fields name.
    func apply(to owner: ProcessOwner) -> ProcessOwner {
        var owner = owner
        owner.uid = owner.uid ?? uid
        owner.unit = owner.unit ?? cgroup?.unit
        owner.container = owner.container ?? cgroup?.container
        return owner
    }
}
