/// The identification string an SSH server sends first (RFC 4253 section 4.2):
/// `SSH-protoversion-softwareversion SP comments`.
struct SSHBanner: Equatable, Sendable {
    /// `2.0`, `1.99` (both versions) or `1.5` (SSH-1 only).
    var protocolVersion: String
    /// The software version field (`OpenSSH_9.2p1`).
    var software: String
    /// The comments after the software version (`Debian-2+deb12u3`), if any.
    var comments: String?

    /// Parses the first `SSH-` line of `bytes`; servers may send other lines before it.
    static func parse(_ bytes: [UInt8]) -> SSHBanner? {
        for line in DetectionText.lines(bytes).prefix(20) where line.hasPrefix("SSH-") {
            let fields = line.dropFirst(4).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty else { return nil }
            let rest = fields[1].split(separator: " ", maxSplits: 1)
            guard let software = rest.first else { return nil }
            return SSHBanner(
                protocolVersion: String(fields[0]), software: String(software),
                comments: rest.count > 1 ? String(rest[1]) : nil)
        }
        return nil
    }

    /// Whether the server speaks the first SSH protocol (`1.x`; `1.99` means both 1 and 2).
    var offersSSH1: Bool { protocolVersion.hasPrefix("1.") }

    /// The product and version, as nmap names them (`OpenSSH` `9.2p1`, `Dropbear sshd` `2022.83`).
    var productVersion: ProductVersion {
        let separator: Character = software.contains("_") ? "_" : "-"
        let parts = software.split(separator: separator, maxSplits: 1)
        let name = parts.first.map(String.init) ?? software
        let version = parts.count > 1 && ProductVersion.isVersion(parts[1]) ? String(parts[1]) : nil
        switch name.lowercased() {
        case "openssh": return ProductVersion("OpenSSH", version)
        case "dropbear": return ProductVersion("Dropbear sshd", version)
        default: return ProductVersion(String(name.prefix(64)), version)
        }
    }
}
