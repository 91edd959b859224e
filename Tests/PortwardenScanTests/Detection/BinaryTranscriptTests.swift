import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("MySQL, VNC, RDP and SMB replies")
struct BinaryTranscriptTests {
    /// A MySQL 8 greeting; `capabilities` are the lower 16 capability bits.
    static func mysqlGreeting(capabilities: UInt16) -> [UInt8] {
        var payload: [UInt8] = [0x0A] + Array("8.0.36".utf8) + [0x00]
        payload += [0x2A, 0x00, 0x00, 0x00] + Array("abcdefgh".utf8) + [0x00]
        payload += [UInt8(capabilities & 0xFF), UInt8(capabilities >> 8)]
        payload += [0xFF, 0x02, 0x00, 0xFF, 0xDF, 0x15] + [UInt8](repeating: 0, count: 10)
        return [UInt8(payload.count), 0, 0, 0] + payload
    }

    @Test func mysqlGreetingWithoutClientSSL() {
        #expect(
            MySQLGreeting.parse(Self.mysqlGreeting(capabilities: 0xF7FF))
                == .greeting(serverVersion: "8.0.36", capabilities: 0xF7FF))
    }

    @Test func mysqlGreetingWithClientSSL() throws {
        guard case .greeting(_, let capabilities) = MySQLGreeting.parse(Self.mysqlGreeting(capabilities: 0xFFFF)) else {
            Issue.record("not parsed as a greeting")
            return
        }
        #expect(capabilities & MySQLGreeting.clientSSL != 0)
    }

    @Test func mysqlHostNotAllowedError() {
        let message = Array("Host '10.0.0.9' is not allowed to connect to this MySQL server".utf8)
        let payload: [UInt8] = [0xFF, 0x6A, 0x04] + message
        #expect(
            MySQLGreeting.parse([UInt8(payload.count), 0, 0, 0] + payload)
                == .error(code: 1130, message: String(decoding: message, as: UTF8.self)))
    }

    @Test func mysqlTruncationsAndGarbage() {
        let greeting = Self.mysqlGreeting(capabilities: 0xF7FF)
        for length in 0..<greeting.count {
            #expect(MySQLGreeting.parse(Array(greeting.prefix(length))) == .incomplete)
        }
        #expect(MySQLGreeting.parse(Array("SSH-2.0-x\r\n".utf8)) == .notMySQL)
        #expect(MySQLGreeting.parse([0x05, 0, 0, 0, 0x0A, 0x41, 0x42, 0x43, 0x44]) == .notMySQL)
    }

    @Test func vncVersionsAndSecurityTypes() {
        #expect(VNCHandshake.minorVersion(banner: Array("RFB 003.008\n".utf8)) == 8)
        #expect(VNCHandshake.minorVersion(banner: Array("RFB 003.003\n".utf8)) == 3)
        #expect(VNCHandshake.minorVersion(banner: Array("RFB 00x.008\n".utf8)) == nil)
        #expect(VNCHandshake.minorVersion(banner: Array("RFB 003".utf8)) == nil)
        #expect(VNCHandshake.parseSecurityTypes([2, 1, 2], minor: 8) == .offered([1, 2]))
        #expect(VNCHandshake.parseSecurityTypes([0, 0, 0, 2], minor: 3) == .offered([2]))
        #expect(VNCHandshake.parseSecurityTypes([3, 1], minor: 8) == .incomplete)
        #expect(VNCHandshake.parseSecurityTypes([0, 0, 0, 0, 2, 0x68, 0x69], minor: 8) == .refused("hi"))
        #expect(VNCHandshake.parseSecurityTypes([0, 0xFF, 0xFF, 0xFF, 0xFF], minor: 8) == .invalid)
        #expect(VNCHandshake.parseSecurityTypes([], minor: 8) == .incomplete)
    }

    /// (offered types, INS-VNC-NONE verdict, INS-VNC verdict): None and VNC Authentication are separate rules.
    @Test(arguments: [
        ([UInt8]([1]), "confirmed", "not-matched"), ([2], "not-matched", "confirmed"),
        ([1, 19], "confirmed", "not-matched"), ([1, 2], "confirmed", "confirmed"),
        ([18, 19], "not-matched", "not-matched"), ([19], "not-matched", "not-matched"),
    ])
    func vncVerdicts(types: [UInt8], none: String, auth: String) {
        let verdicts = Dictionary(uniqueKeysWithValues: VNCHandshake.verdicts(for: types).map { ($0.rule, $0.verdict) })
        #expect(verdicts["INS-VNC-NONE"]?.rawValue == none)
        #expect(verdicts["INS-VNC"]?.rawValue == auth)
    }

    @Test func vncSecurityTypesAreKeptAsEvidence() {
        #expect(VNCHandshake.describe([1, 2, 19]) == "security types 1 (None), 2 (VNC Authentication), 19 (VeNCrypt)")
        #expect(VNCHandshake.describe([7]) == "security types 7")
    }

    static func rdpConfirm(type: UInt8, value: UInt32) -> [UInt8] {
        [0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00, type, 0x00, 0x08, 0x00]
            + [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), 0, 0]
    }

    @Test func rdpRequestBytes() {
        #expect(
            RDPNegotiation.request(protocols: 3)
                == [0x03, 0x00, 0x00, 0x13, 0x0E, 0xE0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x08, 0x00, 0x03, 0, 0, 0])
    }

    @Test func rdpResponses() {
        #expect(RDPNegotiation.parse(Self.rdpConfirm(type: 2, value: 0)) == .selected(0))
        #expect(RDPNegotiation.parse(Self.rdpConfirm(type: 2, value: 2)) == .selected(2))
        #expect(RDPNegotiation.parse(Self.rdpConfirm(type: 3, value: 5)) == .failure(5))
        #expect(RDPNegotiation.parse([0x03, 0x00, 0x00, 0x0B, 0x06, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00]) == .legacy)
        #expect(RDPNegotiation.parse(Self.rdpConfirm(type: 9, value: 0)) == .invalid)
        #expect(RDPNegotiation.parse(Array("HTTP/1.1 400 Bad Request\r\n".utf8)) == .invalid)
        let full = Self.rdpConfirm(type: 2, value: 1)
        for length in 0..<full.count {
            #expect(RDPNegotiation.parse(Array(full.prefix(length))) == .incomplete)
        }
    }

    /// An SMB1 negotiate response (NT status, word count 17, `dialect`).
    static func smbResponse(status: UInt32 = 0, dialect: UInt16) -> [UInt8] {
        var smb: [UInt8] = [0xFF, 0x53, 0x4D, 0x42, 0x72]
        smb += [UInt8(status & 0xFF), UInt8(status >> 8 & 0xFF), UInt8(status >> 16 & 0xFF), UInt8(status >> 24)]
        smb += [0x98, 0x01, 0xC8] + [UInt8](repeating: 0, count: 20)
        smb += [17, UInt8(dialect & 0xFF), UInt8(dialect >> 8)] + [UInt8](repeating: 0, count: 32)
        return [0x00, 0x00, 0x00, UInt8(smb.count)] + smb
    }

    @Test func smbResponses() {
        #expect(SMBNegotiation.parse(Self.smbResponse(dialect: 0)) == .smb1Accepted)
        #expect(SMBNegotiation.parse(Self.smbResponse(dialect: 0xFFFF)) == .smb1Refused)
        #expect(SMBNegotiation.parse(Self.smbResponse(status: 0xC000_0002, dialect: 0)) == .smb1Refused)
        #expect(SMBNegotiation.parse([0x00, 0x00, 0x00, 0x40, 0xFE, 0x53, 0x4D, 0x42, 0x40]) == .smb1Refused)
        #expect(SMBNegotiation.parse(Array("garbage!".utf8)) == .invalid)
        let full = Self.smbResponse(dialect: 0)
        for length in 0..<39 {
            #expect(SMBNegotiation.parse(Array(full.prefix(length))) == .incomplete)
        }
        #expect(SMBNegotiation.request.count == 51)
        #expect(SMBNegotiation.request[3] == 47)
    }
}
