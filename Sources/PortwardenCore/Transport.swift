/// A transport protocol whose ports Portwarden tracks.
public enum Transport: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case tcp
    case udp

    public static func < (lhs: Transport, rhs: Transport) -> Bool { lhs.rawValue < rhs.rawValue }
}
