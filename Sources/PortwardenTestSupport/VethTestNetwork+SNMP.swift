import Foundation

/// Debian's snmpd in the target namespace, for the SNMP checks: started by the test with a
/// configuration and a state folder in the test's temporary folder, never as a system service.
extension VethTestNetwork {
    /// Why snmpd cannot run here, or `nil`.
    public static var snmpdUnavailable: String? {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if Shell.which("snmpd") == nil { return "needs snmpd (apt-get install -y snmpd)" }
        return nil
    }

    /// Starts snmpd on udp/161 of the target's IPv4 and IPv6 addresses with `sysDescr
    /// portwarden-lab` and the given configuration lines (communities, `createUser`, `rouser`).
    /// Wait for it with ``waitForListeners(_:tcp:on:)`` on 161.
    public func startSNMPD(_ lines: String) throws {
        let config = try write(
            "snmpd.conf",
            """
            agentAddress udp:\(Self.targetV4):161,udp6:[\(Self.targetV6)]:161
            sysDescr portwarden-lab
            \(lines)
            """)
        let state = directory.appendingPathComponent("snmp-state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try spawnDaemon([
            "env", "SNMP_PERSISTENT_DIR=\(state)", "snmpd", "-f", "-C", "-c", config, "-Lf", "/dev/null",
            "-p", "\(directory.path)/snmpd.pid",
        ])
    }
}
