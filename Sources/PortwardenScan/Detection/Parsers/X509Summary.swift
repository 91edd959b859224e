/// What detection reads from a server certificate (RFC 5280 section 4.1): validity, whether it
/// is self-issued, the public key's type and size, and the signature algorithm.
struct X509Summary: Equatable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    var notBefore: Int64
    var notAfter: Int64
    /// Issuer and subject names are byte-for-byte equal: self-signed (or a self-issued CA).
    var selfIssued: Bool
    /// `RSA`, `EC`, `DSA`, `Ed25519`, `Ed448`, or the key algorithm's OID.
    var keyAlgorithm: String
    /// The key size in bits (RSA/DSA modulus, EC curve size); `nil` when unknown.
    var keyBits: Int?
    /// The signature algorithm's name (`sha256WithRSAEncryption`) or OID.
    var signatureAlgorithm: String
    /// The subject's common name, printable ASCII only.
    var commonName: String?

    /// Parses a DER certificate; `nil` when it is not one. Never traps.
    static func parse(_ der: [UInt8]) -> X509Summary? {
        var outer = DERReader(der)
        guard let certificate = outer.next(tag: 0x30) else { return nil }
        var parts = DERReader(certificate.content)
        guard let tbs = parts.next(tag: 0x30) else { return nil }
        var fields = DERReader(tbs.content)
        _ = fields.next(tag: 0xA0)  // [0] version, absent for v1
        guard fields.next(tag: 0x02) != nil, let signature = fields.next(tag: 0x30),
            let issuer = fields.next(tag: 0x30), let validity = fields.next(tag: 0x30),
            let subject = fields.next(tag: 0x30), let keyInfo = fields.next(tag: 0x30)
        else { return nil }
        var times = DERReader(validity.content)
        guard let start = times.next().flatMap(time), let end = times.next().flatMap(time) else { return nil }
        let key = publicKey(keyInfo.content)
        var algorithm = DERReader(signature.content)
        let signatureOID = algorithm.next(tag: 0x06).flatMap { DERReader.objectIdentifier($0.content) } ?? "unknown"
        return X509Summary(
            notBefore: start, notAfter: end, selfIssued: issuer.content == subject.content,
            keyAlgorithm: key.algorithm, keyBits: key.bits,
            signatureAlgorithm: signatureNames[signatureOID] ?? signatureOID, commonName: commonName(subject.content))
    }

    private static let signatureNames: [String: String] = [
        "1.2.840.113549.1.1.4": "md5WithRSAEncryption", "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11": "sha256WithRSAEncryption", "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13": "sha512WithRSAEncryption", "1.2.840.113549.1.1.10": "rsassaPss",
        "1.2.840.10045.4.1": "ecdsa-with-SHA1", "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3": "ecdsa-with-SHA384", "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
        "1.2.840.10040.4.3": "dsa-with-SHA1", "1.3.101.112": "Ed25519", "1.3.101.113": "Ed448",
    ]

    private static let curveBits: [String: Int] = [
        "1.2.840.10045.3.1.7": 256, "1.3.132.0.34": 384, "1.3.132.0.35": 521, "1.2.840.10045.3.1.1": 192,
        "1.3.132.0.33": 224, "1.3.132.0.10": 256,
    ]

    /// The key algorithm and size from a SubjectPublicKeyInfo's content.
    private static func publicKey(_ content: [UInt8]) -> (algorithm: String, bits: Int?) {
        var info = DERReader(content)
        guard let algorithm = info.next(tag: 0x30), let key = info.next(tag: 0x03) else { return ("unknown", nil) }
        var identifier = DERReader(algorithm.content)
        guard let oid = identifier.next(tag: 0x06).flatMap({ DERReader.objectIdentifier($0.content) }) else {
            return ("unknown", nil)
        }
        let parameters = identifier.next()
        switch oid {
        case "1.2.840.113549.1.1.1":
            // BIT STRING: one byte of unused bits, then RSAPublicKey ::= SEQUENCE { modulus, exponent }.
            var bits = DERReader(key.content.dropFirst())
            guard let sequence = bits.next(tag: 0x30) else { return ("RSA", nil) }
            var numbers = DERReader(sequence.content)
            return ("RSA", numbers.next(tag: 0x02).map { integerBits($0.content) })
        case "1.2.840.10045.2.1":
            let curve = parameters.flatMap { $0.tag == 0x06 ? DERReader.objectIdentifier($0.content) : nil }
            return ("EC", curve.flatMap { curveBits[$0] })
        case "1.2.840.10040.4.1":
            // Dss-Parms ::= SEQUENCE { p, q, g }: the size of p.
            guard let parameters, parameters.tag == 0x30 else { return ("DSA", nil) }
            var numbers = DERReader(parameters.content)
            return ("DSA", numbers.next(tag: 0x02).map { integerBits($0.content) })
        case "1.3.101.112": return ("Ed25519", 256)
        case "1.3.101.113": return ("Ed448", 456)
        default: return (oid, nil)
        }
    }

    /// The bit length of a non-negative INTEGER's content.
    private static func integerBits(_ content: [UInt8]) -> Int {
        let significant = content.drop { $0 == 0 }
        guard let first = significant.first else { return 0 }
        return (significant.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }

    /// The first commonName (2.5.4.3) in a Name's content.
    private static func commonName(_ name: [UInt8]) -> String? {
        var sets = DERReader(name)
        while let set = sets.next() {
            var attributes = DERReader(set.content)
            while let attribute = attributes.next(tag: 0x30) {
                var pair = DERReader(attribute.content)
                if pair.next(tag: 0x06)?.content == [0x55, 0x04, 0x03], let value = pair.next() {
                    return DetectionText.printable(value.content, limit: 100)
                }
            }
        }
        return nil
    }

    /// UTCTime (`YYMMDDHHMMSSZ`, tag 0x17) or GeneralizedTime (`YYYYMMDDHHMMSSZ`, tag 0x18).
    private static func time(_ element: DERReader.Element) -> Int64? {
        let text = element.content
        let digits: Int
        switch element.tag {
        case 0x17: digits = 12
        case 0x18: digits = 14
        default: return nil
        }
        guard text.count == digits + 1, text.last == UInt8(ascii: "Z") else { return nil }
        var values: [Int] = []
        var index = 0
        if digits == 12 {
            guard let year = DetectionText.decimal(text[0..<2]) else { return nil }
            values.append(year < 50 ? 2000 + year : 1900 + year)
            index = 2
        } else {
            guard let year = DetectionText.decimal(text[0..<4]) else { return nil }
            values.append(year)
            index = 4
        }
        while index < digits {
            guard let value = DetectionText.decimal(text[index..<(index + 2)]) else { return nil }
            values.append(value)
            index += 2
        }
        return CivilTime.seconds(
            year: values[0], month: values[1], day: values[2], hour: values[3], minute: values[4], second: values[5])
    }
}
