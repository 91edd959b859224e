import PortwardenCore

/// SNMPv3 noAuthNoPriv, over a second round trip (Sources/PortwardenScan/README.md, "SNMPv3
/// noAuthNoPriv"): a noAuthNoPriv request naming an engine ID the agent does not know is answered
/// with a Report `usmStatsUnknownEngineIDs` (RFC 3414 §3.2 step 3), which says nothing about any
/// user, so the engine ID of the discovery Report is needed before a user can be asked anything.
extension UDPPayloads {
    /// The USM statistics a Report names (RFC 3414 §5, `usmStats`): the security level is not
    /// supported for the user, the user is unknown, the engine ID is unknown.
    static let usmStatsUnsupportedSecLevels: [UInt32] = [1, 3, 6, 1, 6, 3, 15, 1, 1, 1, 0]
    static let usmStatsUnknownUserNames: [UInt32] = [1, 3, 6, 1, 6, 3, 15, 1, 1, 3, 0]
    static let usmStatsUnknownEngineIDs: [UInt32] = [1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0]
    /// SNMPv2 error-status `authorizationError` (RFC 3416 §3): net-snmp's answer when access
    /// control refuses the request's security level.
    static let snmpAuthorizationError = 16
    /// Most users one scan asks for: the user's index rides in the low octet of the msgID.
    public static let maxSNMPv3Users = 255

    /// What one follow-up datagram's answer says about the user it named.
    public enum FollowUpAnswer: Equatable, Sendable {
        /// The agent served the request without authentication; the detail says how.
        case granted(String)
        /// The agent refused it for want of authentication; the detail says how.
        case refused(String)
        /// The answer says nothing about the weakness (an unknown user proves nothing about others).
        case inconclusive(String)
    }

    /// The second round trip a first reply asks for.
    ///
    /// For 161, a v3 Report `usmStatsUnknownEngineIDs` to the discovery request (msgID = cookie)
    /// yields, per configured user, a noAuthNoPriv GetRequest `sysDescr.0` naming the engine ID,
    /// boots and time of the Report (not checked without authentication, RFC 3414 §3.2 step 7).
    /// Each one's msgID and request id are `cookie << 8 | (user index + 1)`: agents echo the
    /// msgID even in a Report, so each answer is told apart by user without trusting its user name.
    /// - Parameters:
    ///   - port: the port the first request went to.
    ///   - reply: a reply to it; any bytes, never trusted.
    ///   - cookie: the probe's cookie.
    ///   - configuration: the scan's configuration (``UDPScanConfiguration/snmpV3Users``).
    /// - Returns: the datagrams to send, in user order, and the details the reply taught
    ///   (`snmp.engine-id` in hex); empty when the reply asks for no second round trip.
    public static func followUp(
        port: UInt16, reply: [UInt8], cookie: UInt16, configuration: UDPScanConfiguration
    ) -> (datagrams: [[UInt8]], details: [String: String]) {
        let users = configuration.snmpV3Users
        guard port == 161, !users.isEmpty, users.count <= maxSNMPv3Users, let message = SNMPv3Message(reply),
            message.messageID == Int(cookie), message.pduTag == snmpReport,
            message.varbindOID == UDPBER.oidContent(usmStatsUnknownEngineIDs),
            (5...32).contains(message.engineID.count)  // SnmpEngineID, RFC 3411 §5
        else { return ([], [:]) }
        let datagrams = users.enumerated().map { index, user in
            snmpV3UserGet(
                user: Array(user.utf8), engineID: message.engineID, boots: message.boots, time: message.time,
                messageID: Int(cookie) << 8 | (index + 1))
        }
        return (datagrams, ["snmp.engine-id": hex(message.engineID)])
    }

    /// A noAuthNoPriv, reportable GetRequest for sysDescr.0 as `user` on the agent's engine.
    static func snmpV3UserGet(user: [UInt8], engineID: [UInt8], boots: Int, time: Int, messageID: Int) -> [UInt8] {
        let header = UDPBER.sequence(
            UDPBER.integer(messageID), UDPBER.integer(65507), UDPBER.octetString([0x04]), UDPBER.integer(3))
        let usm = UDPBER.sequence(
            UDPBER.octetString(engineID), UDPBER.integer(boots), UDPBER.integer(time), UDPBER.octetString(user),
            UDPBER.octetString([]), UDPBER.octetString([]))
        let varbinds = UDPBER.sequence(UDPBER.sequence(UDPBER.oid(sysDescr), UDPBER.null))
        let pdu = UDPBER.tlv(
            snmpGetRequest, UDPBER.integer(messageID) + UDPBER.integer(0) + UDPBER.integer(0) + varbinds)
        let scoped = UDPBER.sequence(UDPBER.octetString(engineID), UDPBER.octetString([]), pdu)
        return UDPBER.sequence(UDPBER.integer(3), header, UDPBER.octetString(usm), scoped)
    }

    /// Recognises an answer to one of ``followUp(port:reply:cookie:configuration:)``'s datagrams.
    /// - Parameters:
    ///   - port: the port the datagrams went to.
    ///   - reply: the datagram received; any bytes, never trusted.
    ///   - cookie: the probe's cookie.
    ///   - configuration: the scan's configuration (the users, in the order they were asked).
    /// - Returns: the index of the follow-up datagram answered and what the answer says, or `nil`
    ///   when the reply answers none of them.
    public static func recogniseFollowUp(
        port: UInt16, reply: [UInt8], cookie: UInt16, configuration: UDPScanConfiguration
    ) -> (index: Int, answer: FollowUpAnswer)? {
        let users = configuration.snmpV3Users
        guard port == 161, let message = SNMPv3Message(reply), message.messageID >> 8 == Int(cookie) else {
            return nil
        }
        let index = (message.messageID & 0xFF) - 1
        guard users.indices.contains(index) else { return nil }
        let user = users[index]
        switch message.pduTag {
        case snmpResponse where message.errorStatus == 0:
            // An exception value (noSuchObject, noSuchInstance, endOfMibView: 0x80-0x82) means
            // sysDescr.0 is outside the user's view; the request was still served unauthenticated.
            if let tag = message.varbindValueTag, (0x80...0x82).contains(tag) {
                return (index, .granted("user \(user) was answered without authentication, sysDescr.0 not in its view"))
            }
            return (index, .granted("user \(user) read sysDescr.0 without authentication"))
        case snmpResponse:
            let name = message.errorStatus == snmpAuthorizationError ? "authorizationError" : "error-status"
            return (index, .refused("user \(user) refused without authentication: \(name) \(message.errorStatus)"))
        case snmpReport where message.varbindOID == UDPBER.oidContent(usmStatsUnsupportedSecLevels):
            return (index, .refused("user \(user) refused without authentication: usmStatsUnsupportedSecLevels"))
        case snmpReport where message.varbindOID == UDPBER.oidContent(usmStatsUnknownUserNames):
            return (index, .inconclusive("user \(user) unknown to the agent"))
        case snmpReport:
            return (index, .inconclusive("user \(user) answered with another Report"))
        default:
            return nil
        }
    }

    /// The verdicts the follow-up answers add to the probe's observation.
    ///
    /// `INS-SNMPV3-NOAUTH` is confirmed when any user was served without authentication (the detail
    /// names them), `not-matched` when none was and at least one was refused, and absent when no
    /// user gave an answer that decides: an unknown or silent user proves nothing.
    /// - Parameters:
    ///   - port: the port of the probe.
    ///   - answers: what each follow-up datagram's answer said, by index.
    /// - Returns: the handshake verdicts and the `snmp.v3-users` detail (every answered user).
    public static func followUpVerdicts(
        port: UInt16, answers: [Int: FollowUpAnswer]
    ) -> (handshakes: [String: String], details: [String: String]) {
        guard port == 161, !answers.isEmpty else { return ([:], [:]) }
        var granted: [String] = []
        var refused: [String] = []
        var all: [String] = []
        for (_, answer) in answers.sorted(by: { $0.key < $1.key }) {
            switch answer {
            case .granted(let detail):
                granted.append(detail)
                all.append(detail)
            case .refused(let detail):
                refused.append(detail)
                all.append(detail)
            case .inconclusive(let detail): all.append(detail)
            }
        }
        let details = ["snmp.v3-users": all.joined(separator: "; ")]
        if !granted.isEmpty {
            return (["INS-SNMPV3-NOAUTH": "confirmed (\(granted.joined(separator: "; ")))"], details)
        }
        if !refused.isEmpty {
            return (["INS-SNMPV3-NOAUTH": "not-matched (\(refused.joined(separator: "; ")))"], details)
        }
        return ([:], details)
    }

    /// Lower-case hex of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}
