import PortwardenCore

extension UDPPayloads {
    /// `sysDescr.0`, 1.3.6.1.2.1.1.1.0 (RFC 1213).
    static let sysDescr: [UInt32] = [1, 3, 6, 1, 2, 1, 1, 1, 0]
    /// PDU tags (RFC 1157, RFC 3416): GetRequest, GetResponse, Report.
    static let snmpGetRequest: UInt8 = 0xA0
    static let snmpResponse: UInt8 = 0xA2
    static let snmpReport: UInt8 = 0xA8

    /// SNMP requests for port 161: a v1 and a v2c `GetRequest sysDescr.0` for each configured
    /// community (none when none is configured: communities are credentials, never guessed), then a
    /// v3 engine-discovery request (RFC 3414 §4) that needs no credentials. All carry the cookie
    /// as request id (and v3 msgID).
    static func snmpRequests(communities: [String], cookie: UInt16) -> [[UInt8]] {
        var requests: [[UInt8]] = []
        for community in communities {
            for version in [0, 1] {
                requests.append(snmpCommunityGet(version: version, community: Array(community.utf8), cookie: cookie))
            }
        }
        requests.append(snmpV3Discovery(cookie: cookie))
        return requests
    }

    /// A v1 (`version` 0) or v2c (1) GetRequest for sysDescr.0.
    static func snmpCommunityGet(version: Int, community: [UInt8], cookie: UInt16) -> [UInt8] {
        let varbinds = UDPBER.sequence(UDPBER.sequence(UDPBER.oid(sysDescr), UDPBER.null))
        let pdu = UDPBER.tlv(
            snmpGetRequest, UDPBER.integer(Int(cookie)) + UDPBER.integer(0) + UDPBER.integer(0) + varbinds)
        return UDPBER.sequence(UDPBER.integer(version), UDPBER.octetString(community), pdu)
    }

    /// An SNMPv3 discovery message: noAuthNoPriv, reportable, USM with empty engine id and user;
    /// an agent answers with a Report carrying its engine id.
    static func snmpV3Discovery(cookie: UInt16) -> [UInt8] {
        let header = UDPBER.sequence(
            UDPBER.integer(Int(cookie)), UDPBER.integer(65507), UDPBER.octetString([0x04]), UDPBER.integer(3))
        let usm = UDPBER.sequence(
            UDPBER.octetString([]), UDPBER.integer(0), UDPBER.integer(0), UDPBER.octetString([]),
            UDPBER.octetString([]), UDPBER.octetString([]))
        let pdu = UDPBER.tlv(
            snmpGetRequest, UDPBER.integer(Int(cookie)) + UDPBER.integer(0) + UDPBER.integer(0) + UDPBER.sequence())
        let scoped = UDPBER.sequence(UDPBER.octetString([]), UDPBER.octetString([]), pdu)
        return UDPBER.sequence(UDPBER.integer(3), header, UDPBER.octetString(usm), scoped)
    }

    /// The vendor-default communities: a response under one of them is a default credential
    /// accepted (`INS-SNMP-DEFAULT-COMMUNITY`, 2.2.2). They are only ever sent when configured.
    static let snmpDefaultCommunities = ["public", "private"]

    /// A v1/v2c GetResponse (community accepted: `INS-SNMPV12`; under a default community also
    /// `INS-SNMP-DEFAULT-COMMUNITY`, read from the community the response carries) or a v3 message
    /// (SNMP, v3 only).
    static func recogniseSNMP(_ reply: [UInt8], cookie: UInt16?) -> (service: String, handshakes: [String])? {
        guard let message = UDPBER.read(reply, at: 0), message.tag == UDPBER.sequenceTag,
            let versionElement = UDPBER.read(reply, at: message.content.lowerBound, limit: message.end),
            let version = UDPBER.integerValue(reply, versionElement)
        else { return nil }
        switch version {
        case 0, 1:
            guard let community = UDPBER.read(reply, at: versionElement.end, limit: message.end),
                community.tag == UDPBER.octetStringTag,
                let pdu = UDPBER.read(reply, at: community.end, limit: message.end), pdu.tag == snmpResponse,
                let requestID = UDPBER.read(reply, at: pdu.content.lowerBound, limit: pdu.end),
                let id = UDPBER.integerValue(reply, requestID)
            else { return nil }
            if let cookie, id != Int(cookie) { return nil }
            let name = Array(reply[community.content])
            let isDefault = snmpDefaultCommunities.contains { Array($0.utf8) == name }
            return ("snmp", isDefault ? ["INS-SNMPV12", "INS-SNMP-DEFAULT-COMMUNITY"] : ["INS-SNMPV12"])
        case 3:
            guard let header = UDPBER.read(reply, at: versionElement.end, limit: message.end),
                header.tag == UDPBER.sequenceTag,
                let messageID = UDPBER.read(reply, at: header.content.lowerBound, limit: header.end),
                let id = UDPBER.integerValue(reply, messageID)
            else { return nil }
            if let cookie, id != Int(cookie) { return nil }
            return ("snmp", [])
        default:
            return nil
        }
    }
}
