import Foundation
import PortwardenCore

/// Finds external programs for the compatibility tests.
///
/// `Shell.which` in PortwardenTestSupport currently only finds programs in /usr/sbin and /sbin (its
/// `split(separator:) + [...]` builds arrays of characters), and `Shell.run` then cannot start a
/// bare name, so these tests resolve full paths themselves and pass those to `Shell.run`.
enum ExternalTool {
    /// The full path of `name` on PATH (or the usual system folders), or `nil`.
    static func path(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders: [String] =
            path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]
        for folder in folders {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let ndiff = path("ndiff")
    static let xmllint = path("xmllint")
    static let nmap = path("nmap")
    static let python3 = path("python3")
    static let nmapDTD = "/usr/share/nmap/nmap.dtd"
}
