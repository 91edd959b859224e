import PortwardenCore
import PortwardenPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads OpenSSH's authentication results from syslog or the journal: `Failed password for …`,
/// `Accepted publickey for …`, `Invalid user …`, `maximum authentication attempts exceeded …` and
/// PAM's `authentication failure; … rhost=…`. Other lines are `.ignored`.
public struct SSHDAuthParser: Sendable {
    public var now: Date

    public init(now: Date) { self.now = now }

    public func parse(_ line: ArraySlice<UInt8>) throws(LogLineError) -> LogRecord {
        let frame = SyslogFrame.read(line, now: now)
        let program = frame.program
        guard program.elementsEqual("sshd".utf8) || program.elementsEqual("sshd-session".utf8) else {
            return .ignored
        }
        let message = line[frame.messageStart...]
        let time = frame.time ?? now
        let start = message.startIndex
        for (lead, kind) in [
            ("Failed ", SecurityEvent.Kind.authFailure), ("Accepted ", .authSuccess), ("Invalid user ", .authFailure),
            ("error: maximum authentication attempts exceeded for ", .authFailure),
        ] where message.starts(with: lead.utf8) {
            return try remote(message, kind: kind, lead: lead, time: time, host: frame.host, start: start)
        }
        if let pam = LogBytes.find(message, "authentication failure;", from: start) {
            guard let rhost = LogBytes.find(message, "rhost=", from: pam) else { return .ignored }
            let end = LogBytes.tokenEnd(message, from: rhost + 6)
            guard let address = IPAddress(utf8: message[(rhost + 6)..<end]) else { return .ignored }
            var user: String?
            if let u = LogBytes.find(message, " user=", from: pam) {
                user = LogBytes.text(message[(u + 6)..<LogBytes.tokenEnd(message, from: u + 6)])
            }
            return .security(
                SecurityEvent(
                    time: time, kind: .authFailure, origin: .sshd, sourceAddress: address, user: user,
                    signature: "pam", sensor: frame.host))
        }
        return .ignored
    }

    /// `<lead>[method for] [invalid user] USER from ADDRESS port PORT …`.
    private func remote(
        _ message: ArraySlice<UInt8>, kind: SecurityEvent.Kind, lead: String, time: Date, host: String?, start: Int
    ) throws(LogLineError) -> LogRecord {
        let afterLead = start + lead.utf8.count
        // The last " from " is the address: a user name may itself contain " from ".
        var fromIndex: Int?
        var i = afterLead
        while let hit = LogBytes.find(message, " from ", from: i) {
            fromIndex = hit
            i = hit + 1
        }
        guard let from = fromIndex else {
            throw LogLineError(offset: afterLead - start, "sshd line without \"from ADDRESS\"")
        }
        let addressStart = from + 6
        let addressEnd = LogBytes.tokenEnd(message, from: addressStart)
        guard let address = IPAddress(utf8: message[addressStart..<addressEnd]) else {
            throw LogLineError(
                offset: addressStart - start,
                "sshd: \"\(LogBytes.text(message[addressStart..<addressEnd]))\" is not an address")
        }
        var port: UInt16?
        if LogBytes.has(message, " port ", at: addressEnd) {
            port = LogBytes.port(message[(addressEnd + 6)..<LogBytes.tokenEnd(message, from: addressEnd + 6)])
        }
        var method: String?
        var userStart = afterLead
        if lead == "Failed " || lead == "Accepted " {
            let methodEnd = LogBytes.tokenEnd(message, from: afterLead)
            method = LogBytes.text(message[afterLead..<methodEnd])
            userStart = methodEnd + 5  // " for "
        }
        if LogBytes.has(message, "invalid user ", at: userStart) { userStart += 13 }
        let user = userStart < from ? LogBytes.text(message[userStart..<from]) : nil
        return .security(
            SecurityEvent(
                time: time, kind: kind, origin: .sshd, sourceAddress: address, sourcePort: port, ipProtocol: 6,
                user: user, signature: method, sensor: host))
    }
}
