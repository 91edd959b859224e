import PortwardenCore
import Testing

@testable import PortwardenScan

/// STARTTLS against real servers (`DetectionLab+StartTLS.swift`): Dovecot, vsftpd and an SMTP
/// server on Python's `ssl` module, each well and badly configured. The TLS behind the upgrade is
/// probed like a TLS port's, so `tls` and the TLS-quality verdicts come from the upgraded connections.
@Suite("STARTTLS for SMTP, IMAP, POP3 and FTP against real servers in a network namespace")
struct StartTLSLabTests {
    static let modern = ["TLSv1.2", "TLSv1.3"]
    static let old = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]

    static let expectations: [LabExpectation] = [
        // Dovecot, TLS 1.2 or later, plaintext login refused: LOGINDISABLED before TLS.
        LabExpectation(
            port: 2143, service: "imap", handshakes: certificate(["INS-IMAP": "not-matched"]), tls: modern),
        LabExpectation(
            port: 2110, service: "pop3",
            handshakes: certificate(["INS-POP3": "tls-available (TLS via STARTTLS (STLS): TLSv1.2, TLSv1.3)"]),
            tls: modern),
        // Dovecot, TLS 1.0 accepted, plaintext login allowed.
        LabExpectation(
            port: 3143, service: "imap",
            handshakes: certificate([
                "INS-IMAP":
                    "confirmed (LOGINDISABLED absent before TLS; TLS via STARTTLS: \(old.joined(separator: ", ")))"
            ]), tls: old),
        LabExpectation(
            port: 3110, service: "pop3",
            handshakes: certificate([
                "INS-POP3":
                    "confirmed (USER accepted before TLS; TLS via STARTTLS (STLS): \(old.joined(separator: ", ")))"
            ]), tls: old),
        // vsftpd with TLS 1.0 and cleartext logins allowed.
        LabExpectation(
            port: 2125, service: "ftp", handshakes: certificate(["INS-FTP": DetectionLabTests.ftpCleartextUser]),
            tls: old),
        // SMTP: AUTH only after STARTTLS, TLS 1.2 or later.
        LabExpectation(
            port: 2525, service: "smtp", handshakes: certificate(["INS-SMTP-AUTH-CLEAR": "not-matched"]), tls: modern
        ),
        // SMTP: AUTH PLAIN LOGIN before STARTTLS, TLS 1.0 accepted.
        LabExpectation(
            port: 2526, service: "smtp",
            handshakes: certificate(["INS-SMTP-AUTH-CLEAR": "confirmed (AUTH PLAIN LOGIN before STARTTLS)"]), tls: old),
    ]

    /// The verdicts of a port behind which the lab's self-signed, otherwise sound certificate answers.
    static func certificate(_ verdicts: [String: String]) -> [String: String] {
        DetectionLabTests.selfSignedLabCertificate.merging(verdicts) { $1 }
    }

    static func detection(_ port: UInt16) throws -> ServiceDetection {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable ?? outcome.missing[port] { try Test.cancel(Comment(rawValue: reason)) }
        return try #require(outcome.detections[port] ?? outcome.secondAddressDetections[port])
    }

    @Test(arguments: expectations)
    func tlsBehindTheUpgrade(_ expected: LabExpectation) throws {
        let detection = try Self.detection(expected.port)
        #expect(detection.service == expected.service)
        #expect(detection.method == .probed)
        #expect(detection.handshakes == expected.handshakes)
        #expect(detection.tls == expected.tls ?? [])
        let key = "\(expected.service).starttls"
        #expect(detection.details[key] == "accepted", "\(key): \(detection.details)")
        #expect(detection.details["tls.certificate"]?.hasPrefix("CN=portwarden-lab") == true)
    }

    @Test func smtpRecordsWhatItAnnouncedInTheClear() throws {
        let open = try Self.detection(2526)
        #expect(open.details["smtp.starttls"] == "accepted")
        #expect(open.details["smtp.auth-before-tls"] == "PLAIN LOGIN")
        let good = try Self.detection(2525)
        #expect(good.details["smtp.auth-before-tls"] == nil)
        #expect(good.product == nil || good.product == "PortwardenLab")
    }

    /// A server that agrees to the upgrade and then sends no TLS, or refuses it: no TLS verdicts.
    @Test func anUpgradeWithoutTLSGivesNoTLSVerdict() throws {
        let refused = try Self.detection(1110)
        #expect(refused.details["pop3.starttls"] == "refused")
        #expect(refused.tls.isEmpty)
        let silent = try Self.detection(2122)
        // The lab's FTP server answers 234 and then hangs up.
        #expect(silent.details["ftp.starttls"] == "accepted, but no TLS followed")
        #expect(silent.handshakes["INS-TLS-CERT"] == nil)
    }
}
