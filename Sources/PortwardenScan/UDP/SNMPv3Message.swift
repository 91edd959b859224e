import PortwardenCore

/// The fields of a plaintext SNMPv3 message (RFC 3412 §6, USM parameters RFC 3414 §2.4) that the
/// noAuthNoPriv check reads: msgID, the USM engine ID, boots and time, and the scoped PDU's tag,
/// request id, error status and first varbind. Any bytes are accepted; every read is bounded by
/// the enclosing element, and anything malformed, encrypted (a scoped PDU that is an OCTET STRING)
/// or not version 3 gives `nil`.
struct SNMPv3Message {
    var messageID: Int
    var engineID: [UInt8]
    var boots: Int
    var time: Int
    var userName: [UInt8]
    var pduTag: UInt8
    var requestID: Int
    var errorStatus: Int
    /// The content octets of the first varbind's OID, `nil` without a varbind.
    var varbindOID: [UInt8]?
    /// The tag of the first varbind's value, `nil` without a varbind.
    var varbindValueTag: UInt8?

    init?(_ bytes: [UInt8]) {
        guard let message = UDPBER.read(bytes, at: 0), message.tag == UDPBER.sequenceTag,
            let version = UDPBER.read(bytes, at: message.content.lowerBound, limit: message.end),
            UDPBER.integerValue(bytes, version) == 3,
            let header = UDPBER.read(bytes, at: version.end, limit: message.end), header.tag == UDPBER.sequenceTag,
            let idElement = UDPBER.read(bytes, at: header.content.lowerBound, limit: header.end),
            let messageID = UDPBER.integerValue(bytes, idElement),
            let parameters = UDPBER.read(bytes, at: header.end, limit: message.end),
            parameters.tag == UDPBER.octetStringTag,
            let usm = UDPBER.read(bytes, at: parameters.content.lowerBound, limit: parameters.end),
            usm.tag == UDPBER.sequenceTag,
            let engine = UDPBER.read(bytes, at: usm.content.lowerBound, limit: usm.end),
            engine.tag == UDPBER.octetStringTag,
            let bootsElement = UDPBER.read(bytes, at: engine.end, limit: usm.end),
            let boots = UDPBER.integerValue(bytes, bootsElement),
            let timeElement = UDPBER.read(bytes, at: bootsElement.end, limit: usm.end),
            let time = UDPBER.integerValue(bytes, timeElement),
            let user = UDPBER.read(bytes, at: timeElement.end, limit: usm.end), user.tag == UDPBER.octetStringTag,
            let scoped = UDPBER.read(bytes, at: parameters.end, limit: message.end), scoped.tag == UDPBER.sequenceTag,
            let contextEngine = UDPBER.read(bytes, at: scoped.content.lowerBound, limit: scoped.end),
            contextEngine.tag == UDPBER.octetStringTag,
            let contextName = UDPBER.read(bytes, at: contextEngine.end, limit: scoped.end),
            contextName.tag == UDPBER.octetStringTag,
            let pdu = UDPBER.read(bytes, at: contextName.end, limit: scoped.end),
            let requestElement = UDPBER.read(bytes, at: pdu.content.lowerBound, limit: pdu.end),
            let requestID = UDPBER.integerValue(bytes, requestElement),
            let statusElement = UDPBER.read(bytes, at: requestElement.end, limit: pdu.end),
            let errorStatus = UDPBER.integerValue(bytes, statusElement),
            let indexElement = UDPBER.read(bytes, at: statusElement.end, limit: pdu.end),
            UDPBER.integerValue(bytes, indexElement) != nil,
            let varbinds = UDPBER.read(bytes, at: indexElement.end, limit: pdu.end), varbinds.tag == UDPBER.sequenceTag
        else { return nil }
        self.messageID = messageID
        self.engineID = Array(bytes[engine.content])
        self.boots = boots
        self.time = time
        self.userName = Array(bytes[user.content])
        self.pduTag = pdu.tag
        self.requestID = requestID
        self.errorStatus = errorStatus
        if let varbind = UDPBER.read(bytes, at: varbinds.content.lowerBound, limit: varbinds.end),
            varbind.tag == UDPBER.sequenceTag,
            let oid = UDPBER.read(bytes, at: varbind.content.lowerBound, limit: varbind.end),
            oid.tag == UDPBER.oidTag,
            let value = UDPBER.read(bytes, at: oid.end, limit: varbind.end)
        {
            varbindOID = Array(bytes[oid.content])
            varbindValueTag = value.tag
        }
    }
}
