import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Shared helpers for values that appear in several formats.
enum ImportValues {
    /// Epoch seconds (`1795921466`, `1795921466.25`) as a date; `nil` for anything else.
    static func epoch(_ text: some StringProtocol) -> Date? {
        guard !text.isEmpty, text.count <= 20, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 }),
            let seconds = Double(String(text)), seconds.isFinite
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// A port number 0–65535 written in decimal.
    static func port(_ text: some StringProtocol) -> UInt16? {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let value = Int(String(text)),
            value <= 65535
        else { return nil }
        return UInt16(value)
    }

    /// Transports whose ports the formats carry but Portwarden does not track; records for them are
    /// skipped without a problem (they are not malformed).
    static let untrackedProtocols: Set<String> = ["ip", "sctp", "icmp", "arp"]

    /// The service a masscan banner names, or `nil` for banner kinds that describe content rather
    /// than the protocol (`title`, `html`, `http.server`, certificate fields).
    static func bannerService(_ name: String) -> String? {
        let ignored: Set<String> = ["", "unknown", "title", "html", "http.server", "X509", "X509CN", "X509SAN"]
        return ignored.contains(name) ? nil : name
    }
}
