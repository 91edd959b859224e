/// The server's first flight in reply to a ClientHello of TLS 1.2 or older, record by record:
/// ServerHello, Certificate, …, ServerHelloDone, all in the clear (RFC 5246 section 7.3).
struct TLSServerFlight: Equatable, Sendable {
    /// One handshake message.
    struct Message: Equatable, Sendable {
        let type: UInt8
        let body: [UInt8]
    }

    /// The whole handshake messages received so far, in order.
    var messages: [Message] = []
    /// Whether nothing more of the flight will come: ServerHelloDone, an alert, a record of
    /// another type (TLS 1.3 encrypts what follows its ServerHello), or bytes that are not TLS.
    var finished = false

    /// Parses as many records as `bytes` hold. Never traps.
    static func parse(_ bytes: [UInt8]) -> TLSServerFlight {
        var flight = TLSServerFlight()
        var handshake: [UInt8] = []
        var reader = ByteReader(bytes)
        while reader.remaining > 0 {
            guard let type = reader.uint8(), let major = reader.uint8(), reader.uint8() != nil,
                let length = reader.uint16()
            else { break }
            guard major == 3, length <= 18_432, type == 22 else {
                flight.finished = true
                break
            }
            guard let fragment = reader.bytes(Int(length)) else { break }
            handshake += fragment
            var messages = ByteReader(handshake)
            var consumed = 0
            while let kind = messages.uint8(), let high = messages.uint8(), let low = messages.uint16(),
                let body = messages.bytes(Int(high) << 16 | Int(low))
            {
                flight.messages.append(Message(type: kind, body: body))
                consumed = messages.offset
                if kind == 14 { flight.finished = true }
            }
            handshake.removeFirst(consumed)
            if flight.finished { break }
        }
        return flight
    }

    /// Whether reading can stop: the flight is over or the certificate has arrived.
    static func isFinal(_ bytes: [UInt8]) -> Bool {
        let flight = parse(bytes)
        return flight.finished || flight.certificateChain != nil
    }

    /// The DER certificates of the Certificate message (type 11), leaf first; `nil` before it arrived.
    var certificateChain: [[UInt8]]? {
        guard let message = messages.first(where: { $0.type == 11 }) else { return nil }
        var reader = ByteReader(message.body)
        guard let high = reader.uint8(), let low = reader.uint16() else { return [] }
        var list = ByteReader(reader.bytes(Int(high) << 16 | Int(low)) ?? [])
        var chain: [[UInt8]] = []
        while let first = list.uint8(), let rest = list.uint16(), let der = list.bytes(Int(first) << 16 | Int(rest)) {
            chain.append(der)
        }
        return chain
    }
}
