import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("TLS ClientHello and ServerHello bytes")
struct TLSTranscriptTests {
    /// A ServerHello record choosing TLS 1.0 and TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, as OpenSSL sends it.
    static let serverHelloTLS10: [UInt8] =
        [0x16, 0x03, 0x01, 0x00, 0x2A, 0x02, 0x00, 0x00, 0x26, 0x03, 0x01]
        + [UInt8](repeating: 0x11, count: 32) + [0x00, 0xC0, 0x13, 0x00]

    /// A TLS 1.3 ServerHello: legacy version 1.2, supported_versions extension selecting 1.3.
    static let serverHelloTLS13: [UInt8] = {
        var body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 0x22, count: 32) + [0x00, 0x13, 0x01, 0x00]
        body += [0x00, 0x06, 0x00, 0x2B, 0x00, 0x02, 0x03, 0x04]
        let handshake: [UInt8] = [0x02, 0x00, 0x00, UInt8(body.count)] + body
        return [0x16, 0x03, 0x03, 0x00, UInt8(handshake.count)] + handshake
    }()

    @Test func parsesTLS10ServerHello() {
        #expect(
            TLSServerReply.parse(Self.serverHelloTLS10)
                == .serverHello(version: 0x0301, cipherSuite: 0xC013, helloRetry: false))
    }

    @Test func supportedVersionsExtensionWinsOverLegacyVersion() {
        #expect(
            TLSServerReply.parse(Self.serverHelloTLS13)
                == .serverHello(version: 0x0304, cipherSuite: 0x1301, helloRetry: false))
    }

    @Test func recognisesHelloRetryRequest() {
        var bytes = Self.serverHelloTLS13
        bytes.replaceSubrange(11..<43, with: TLSServerReply.helloRetryRandom)
        #expect(TLSServerReply.parse(bytes) == .serverHello(version: 0x0304, cipherSuite: 0x1301, helloRetry: true))
    }

    @Test func parsesAlert() {
        // protocol_version (70), fatal
        #expect(TLSServerReply.parse([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]) == .alert(level: 2, description: 70))
    }

    @Test func serverHelloInsideATruncatedLargeRecordIsStillRead() {
        // The certificate follows in the same record, but only part of it has arrived.
        var bytes = Self.serverHelloTLS10
        bytes[3] = 0x10
        bytes[4] = 0x00
        bytes += [0x0B, 0x00, 0x0F, 0xFF, 0x00]
        #expect(TLSServerReply.parse(bytes) == .serverHello(version: 0x0301, cipherSuite: 0xC013, helloRetry: false))
    }

    @Test(arguments: 0..<47)
    func everyTruncationIsIncompleteNeverACrash(length: Int) {
        #expect(Self.serverHelloTLS10.count == 47)
        let prefix = Array(Self.serverHelloTLS10.prefix(length))
        #expect(TLSServerReply.parse(prefix) == .incomplete)
    }

    @Test(arguments: [
        Array("SSH-2.0-OpenSSH_9.2\r\n".utf8), Array("HTTP/1.0 400 Bad Request\r\n".utf8),
        [0x16, 0x03, 0x01, 0xFF, 0xFF], [0x16, 0x03, 0x01, 0x00, 0x04, 0x0E, 0x00, 0x00, 0x00],
        [0x16, 0x03, 0x01, 0x00, 0x06, 0x02, 0x00, 0x00, 0x02, 0x03, 0x01], [0x15, 0x03, 0x01, 0x00, 0x01, 0x02],
    ])
    func garbageIsNotTLS(bytes: [UInt8]) {
        #expect(TLSServerReply.parse(bytes) == .notTLS)
    }

    @Test(arguments: TLSVersion.allCases)
    func clientHelloIsWellFormed(version: TLSVersion) throws {
        let record = TLSClientHello.record(for: version, random: [UInt8](repeating: 7, count: 32))
        var reader = ByteReader(record)
        let contentType = reader.uint8()
        let recordVersion = reader.uint16()
        #expect(contentType == 22)
        #expect(recordVersion == (version == .ssl3 ? 0x0300 : 0x0301))
        let recordLengthField = reader.uint16()
        let recordLength = try #require(recordLengthField)
        #expect(Int(recordLength) == record.count - 5)
        let handshakeType = reader.uint8()
        #expect(handshakeType == 1)
        let highField = reader.uint8()
        let lowField = reader.uint16()
        let high = try #require(highField)
        let low = try #require(lowField)
        #expect(Int(high) << 16 | Int(low) == record.count - 9)
        let helloVersion = reader.uint16()
        #expect(helloVersion == min(version, .tls12).rawValue)
        let hasSupportedVersions = containsExtension(record, type: 0x002B)
        #expect(hasSupportedVersions == (version == .tls13))
        #expect(containsExtension(record, type: 0x0033) == (version == .tls13))
    }

    private func containsExtension(_ record: [UInt8], type: UInt16) -> Bool {
        var reader = ByteReader(record.dropFirst(9 + 2 + 32))
        guard let session = reader.uint8(), reader.bytes(Int(session)) != nil, let suites = reader.uint16(),
            reader.bytes(Int(suites)) != nil, let compression = reader.uint8(), reader.bytes(Int(compression)) != nil,
            let total = reader.uint16(), var extensions = reader.bytes(Int(total)).map(ByteReader.init)
        else { return false }
        while let kind = extensions.uint16(), let size = extensions.uint16(), extensions.bytes(Int(size)) != nil {
            if kind == type { return true }
        }
        return false
    }
}
