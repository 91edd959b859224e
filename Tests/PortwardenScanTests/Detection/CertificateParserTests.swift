import Foundation
import Testing

@testable import PortwardenScan

/// The certificate side of TLS detection over certificates openssl made (the fuzz seeds in
/// `fuzz/corpus/detection-certificate/`): DER fields, validity, key sizes, the server flight
/// around them, and input cut short.
@Suite("TLS server flight and X.509 parsers")
struct CertificateParserTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "fuzz/corpus/detection-certificate")

    static func seed(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
    }

    @Test func selfSignedRSACertificate() throws {
        let certificate = try #require(X509Summary.parse(try Self.seed("rsa2048-self-signed.der")))
        #expect(certificate.keyAlgorithm == "RSA")
        #expect(certificate.keyBits == 2048)
        #expect(certificate.signatureAlgorithm == "sha256WithRSAEncryption")
        #expect(certificate.selfIssued)
        #expect(certificate.commonName == "portwarden-seed")
        #expect(certificate.notAfter - certificate.notBefore == 2 * 86_400)
        #expect(certificate.problems(now: certificate.notBefore + 60).isEmpty)
        #expect(
            certificate.problems(now: certificate.notBefore - 1) == [
                "not valid before \(CivilTime.format(certificate.notBefore))"
            ])
    }

    @Test func expiredWeakCertificate() throws {
        let certificate = try #require(X509Summary.parse(try Self.seed("rsa1024-expired-2020.der")))
        #expect(CivilTime.format(certificate.notBefore) == "2020-01-01T00:00:00Z")
        #expect(CivilTime.format(certificate.notAfter) == "2020-02-01T00:00:00Z")
        #expect(certificate.keyBits == 1024)
        let now = try #require(CivilTime.seconds(year: 2026, month: 12, day: 1, hour: 0, minute: 0, second: 0))
        #expect(certificate.problems(now: now) == ["expired 2020-02-01T00:00:00Z", "RSA key of 1024 bits"])
    }

    @Test func ellipticCurveKeySize() throws {
        let certificate = try #require(X509Summary.parse(try Self.seed("ec-p256.der")))
        #expect(certificate.keyAlgorithm == "EC")
        #expect(certificate.keyBits == 256)
        #expect(certificate.signatureAlgorithm == "ecdsa-with-SHA256")
    }

    @Test func flightAcrossTwoRecords() throws {
        let bytes = try Self.seed("flight-server-hello-certificate-done")
        let flight = TLSServerFlight.parse(bytes)
        #expect(flight.finished)
        #expect(flight.messages.map(\.type) == [2, 11, 14])
        #expect(flight.certificateChain == [try Self.seed("rsa2048-self-signed.der")])
        #expect(TLSServerFlight.isFinal(bytes))
    }

    /// Every prefix of the flight and of a certificate parses without trapping; a cut flight is not
    /// final until its certificate is whole, and a cut certificate is no certificate.
    @Test func truncatedInputIsIncompleteNotACrash() throws {
        let bytes = try Self.seed("flight-server-hello-certificate-done")
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            let flight = TLSServerFlight.parse(prefix)
            #expect(!flight.finished, "prefix of \(length) bytes")
            if TLSServerFlight.isFinal(prefix) { #expect(flight.certificateChain?.count == 1) }
        }
        let der = try Self.seed("rsa2048-self-signed.der")
        for length in 0..<der.count { #expect(X509Summary.parse(Array(der.prefix(length))) == nil) }
    }

    @Test(
        arguments: [
            (1970, 1, 1, 0, 0, 0, Int64(0)), (2000, 2, 29, 12, 0, 0, 951_825_600),
            (2038, 1, 19, 3, 14, 8, 2_147_483_648),
        ] as [(Int, Int, Int, Int, Int, Int, Int64)])
    func civilTimeRoundTrips(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, seconds: Int64) {
        #expect(
            CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second) == seconds
        )
        #expect(CivilTime.format(seconds).hasPrefix(String(format: "%04d-%02d-%02d", year, month, day)))
    }
}
