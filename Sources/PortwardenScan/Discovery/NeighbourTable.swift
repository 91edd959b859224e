import PortwardenCore

/// The kernel's IPv4 neighbour (ARP) table as `/proc/net/arp` shows it: which addresses on a
/// directly attached segment answered ARP. Read after discovery's probes made the kernel resolve
/// the targets, so a host that drops every IP packet but still answers ARP counts as up.
struct NeighbourTable: Sendable, Hashable {
    /// Addresses with a complete entry (ATF_COM set and a hardware address), with their device.
    var resolved: [IPAddress: String] = [:]

    /// Parses `/proc/net/arp`: a header line, then
    /// `IP address  HW type  Flags  HW address  Mask  Device`. Malformed lines are skipped.
    static func parse(_ text: [UInt8]) -> NeighbourTable {
        var table = NeighbourTable()
        var lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        if !lines.isEmpty { lines.removeFirst() }
        for line in lines {
            let fields = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard fields.count >= 6, let address = IPAddress(String(decoding: fields[0], as: UTF8.self)),
                address.isIPv4
            else { continue }
            let flagsText = String(decoding: fields[2], as: UTF8.self)
            let hex = flagsText.hasPrefix("0x") ? flagsText.dropFirst(2) : Substring(flagsText)
            guard let flags = UInt32(hex, radix: 16) else { continue }
            let hardware = String(decoding: fields[3], as: UTF8.self)
            let complete = flags & 0x2 != 0 && hardware != "00:00:00:00:00:00"
            if complete { table.resolved[address] = String(decoding: fields[5], as: UTF8.self) }
        }
        return table
    }

    /// Reads the current table (empty when `/proc/net/arp` cannot be read).
    static func current() -> NeighbourTable {
        Kernel.readSmallFile("/proc/net/arp").map(parse) ?? NeighbourTable()
    }
}
