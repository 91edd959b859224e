import PortwardenCore
import Testing

@testable import PortwardenScan

/// What the lab expects on one port.
struct LabExpectation: Sendable, CustomTestStringConvertible {
    let port: UInt16
    let service: String
    let handshakes: [String: String]
    var tls: [String]? = nil
    var testDescription: String { "\(service) on \(port)" }
}

@Suite("Service detection against real servers in a network namespace")
struct DetectionLabTests {
    static let expectations: [LabExpectation] = [
        LabExpectation(port: 22, service: "ssh", handshakes: ["INS-SSH-WEAK": "not-matched"]),
        LabExpectation(
            port: 23, service: "ssh", handshakes: ["INS-TELNET": "not-matched", "INS-SSH-WEAK": "not-matched"]),
        LabExpectation(port: 2222, service: "ssh", handshakes: ["INS-SSH-WEAK": "confirmed"]),
        LabExpectation(port: 2323, service: "telnet", handshakes: ["INS-TELNET": "confirmed"]),
        LabExpectation(port: 4431, service: "https", handshakes: selfSignedLabCertificate, tls: ["TLSv1.0"]),
        LabExpectation(port: 4432, service: "https", handshakes: selfSignedLabCertificate, tls: ["TLSv1.2"]),
        LabExpectation(
            port: 4433, service: "https", handshakes: selfSignedLabCertificate, tls: ["TLSv1.2", "TLSv1.3"]),
        LabExpectation(
            port: 4434, service: "https",
            handshakes: [
                "INS-TLS-CERT": "not-matched", "INS-TLS-CERT-SELF-SIGNED": "confirmed",
                "INS-TLS-WEAK-CIPHER": "confirmed",
            ], tls: ["TLSv1.2"]),
        LabExpectation(
            port: 4435, service: "https",
            handshakes: [
                "INS-TLS-CERT": "confirmed", "INS-TLS-CERT-SELF-SIGNED": "not-matched",
                "INS-TLS-WEAK-CIPHER": "not-matched",
            ], tls: ["TLSv1.2"]),
        LabExpectation(port: 6379, service: "redis", handshakes: ["INS-REDIS": "confirmed"]),
        LabExpectation(port: 6380, service: "redis", handshakes: ["INS-REDIS": "not-matched"]),
        LabExpectation(port: 11211, service: "memcached", handshakes: ["INS-MEMCACHED": "confirmed"]),
        LabExpectation(port: 21, service: "ftp", handshakes: ["INS-FTP": "confirmed"]),
        LabExpectation(port: 2121, service: "ftp", handshakes: ["INS-FTP": "not-matched"]),
        LabExpectation(port: 2122, service: "ftp", handshakes: ["INS-FTP": ftpCleartextUser]),
        LabExpectation(
            port: 2123, service: "ftp", handshakes: selfSignedLabCertificate.merging(["INS-FTP": "not-matched"]) { $1 },
            tls: ["TLSv1.2", "TLSv1.3"]),
        LabExpectation(port: 2124, service: "ftp", handshakes: ["INS-FTP": "confirmed"]),
        LabExpectation(port: 8081, service: "http", handshakes: ["INS-HTTP-ADMIN": "not-matched"]),
        LabExpectation(port: 8082, service: "http", handshakes: ["INS-HTTP-ADMIN": "not-matched"]),
        LabExpectation(port: 2001, service: "tcpwrapped", handshakes: [:]),
        LabExpectation(port: 110, service: "pop3", handshakes: ["INS-POP3": "confirmed"]),
        LabExpectation(port: 1110, service: "pop3", handshakes: ["INS-POP3": "tls-available (STLS offered)"]),
        LabExpectation(
            port: 143, service: "imap",
            handshakes: ["INS-IMAP": "confirmed (LOGINDISABLED absent before TLS; STARTTLS offered)"]),
        LabExpectation(port: 1143, service: "imap", handshakes: ["INS-IMAP": "not-matched"]),
        LabExpectation(
            port: 5900, service: "vnc",
            handshakes: [
                "INS-VNC-NONE": "confirmed (security types 1 (None), 2 (VNC Authentication))",
                "INS-VNC": "confirmed (security types 1 (None), 2 (VNC Authentication))",
            ]),
        LabExpectation(
            port: 5901, service: "vnc",
            handshakes: [
                "INS-VNC-NONE": "not-matched (security types 19 (VeNCrypt))",
                "INS-VNC": "not-matched (security types 19 (VeNCrypt))",
            ]),
        LabExpectation(port: 8080, service: "http", handshakes: ["INS-HTTP-ADMIN": "confirmed"]),
        LabExpectation(port: 80, service: "http", handshakes: ["INS-HTTP-ADMIN": "not-matched"]),
        LabExpectation(port: 3306, service: "mysql", handshakes: ["INS-DB-CLEAR": "confirmed"]),
        LabExpectation(port: 3389, service: "ms-wbt-server", handshakes: ["INS-RDP-NONLA": "confirmed"]),
        LabExpectation(port: 445, service: "microsoft-ds", handshakes: ["INS-SMB1": "confirmed"]),
        LabExpectation(
            port: 2375, service: "docker", handshakes: ["INS-DOCKER-API": "confirmed", "INS-HTTP-ADMIN": "not-matched"]),
    ]

    static let ftpCleartextUser = "confirmed (AUTH TLS offered, but a cleartext USER is accepted)"

    /// The lab's own certificate: self-signed, RSA 2048, SHA-256, valid for two days.
    static let selfSignedLabCertificate = [
        "INS-TLS-CERT": "not-matched", "INS-TLS-CERT-SELF-SIGNED": "confirmed", "INS-TLS-WEAK-CIPHER": "not-matched",
    ]

    /// What the certificate and weak-suite probes record beside their verdicts.
    @Test func tlsDetailsNameTheSuitesAndTheCertificateProblems() throws {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable ?? outcome.missing[4434] ?? outcome.missing[4435] {
            try Test.cancel(Comment(rawValue: reason))
        }
        let weak = try #require(outcome.detections[4434])
        let suites = try #require(weak.details["tls.weak-ciphers"])
        #expect(suites.contains("TLSv1.2 TLS_ECDHE_RSA_WITH_NULL_SHA (NULL)"), "\(suites)")
        #expect(suites.contains("TLSv1.2 TLS_ECDH_anon_WITH_NULL_SHA (NULL, anon)"), "\(suites)")
        let expired = try #require(outcome.detections[4435])
        let problems = try #require(expired.details["tls.certificate-problems"])
        #expect(problems.contains("expired 2020-02-01T00:00:00Z"), "\(problems)")
        #expect(problems.contains("RSA key of 1024 bits"), "\(problems)")
        #expect(expired.details["tls.certificate"]?.hasPrefix("CN=portwarden-expired, RSA 1024-bit") == true)
        let good = try #require(outcome.detections[4433])
        #expect(good.details["tls.certificate-problems"] == nil)
        #expect(good.details["tls.certificate"]?.contains("self-signed") == true)
        #expect(good.details["tls.weak-ciphers"] == nil)
    }

    @Test(arguments: expectations)
    func detectsService(_ expected: LabExpectation) throws {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable ?? outcome.missing[expected.port] {
            try Test.cancel(Comment(rawValue: reason))
        }
        let detection = try #require(outcome.detections[expected.port])
        #expect(detection.service == expected.service)
        #expect(detection.method == .probed)
        #expect(detection.handshakes == expected.handshakes)
        if let tls = expected.tls { #expect(detection.tls == tls) } else { #expect(detection.tls.isEmpty) }
    }

    @Test func sshBannerGivesProduct() throws {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable ?? outcome.missing[22] {
            try Test.cancel(Comment(rawValue: reason))
        }
        let detection = try #require(outcome.detections[22])
        #expect(detection.product?.hasPrefix("OpenSSH") == true)
        #expect(detection.banner?.hasPrefix("SSH-2.0-OpenSSH") == true)
    }

    @Test func closedPortFallsBackToTheTable() throws {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable {
            try Test.cancel(Comment(rawValue: reason))
        }
        let detection = try #require(outcome.detections[DetectionLab.closedPort])
        #expect(ServicePortTable.guess(port: DetectionLab.closedPort) == nil)
        #expect(detection == ServiceDetection(method: .table))
    }

    @Test func enrichFillsOnlyOpenTCPObservations() throws {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable ?? outcome.missing[6379] {
            try Test.cancel(Comment(rawValue: reason))
        }
        try #require(outcome.enriched.count == 3)
        #expect(outcome.enriched[0].service == "redis")
        #expect(outcome.enriched[0].handshakes == ["INS-REDIS": "confirmed"])
        #expect(outcome.enriched[1] == DetectionLab.enrichInput[1])
        #expect(outcome.enriched[2] == DetectionLab.enrichInput[2])
    }

    @Test func asyncEnrichPassesThroughWhatItMustNotProbe() async {
        // Only closed and UDP observations: nothing is sent anywhere, and they come back unchanged.
        let input = Array(DetectionLab.enrichInput.dropFirst())
        let output = await ServiceDetector(configuration: DetectionLab.labConfiguration).enrich(input)
        #expect(output == input)
    }
}

extension DetectionLab {
    /// The shared outcome; throws (failing the test) when the lab should have run but could not be set up.
    static func checkedOutcome() throws -> LabOutcome {
        struct SetupFailure: Error, CustomStringConvertible { let description: String }
        if let failure = outcome.setupFailure { throw SetupFailure(description: failure) }
        return outcome
    }
}
