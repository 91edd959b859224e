import PortwardenCore
import Testing

@testable import PortwardenScan

/// A product and version detection must report on a lab port, and where the truth comes from.
struct ProductExpectation: Sendable, CustomTestStringConvertible {
    let port: UInt16
    let product: String
    /// The version the daemon reports about itself; `nil` when the handshake must show none.
    let version: @Sendable () -> String?
    let expectsVersion: Bool
    var testDescription: String { "\(product) on \(port)" }
}

@Suite("Product, version and algorithms of real daemons in a network namespace")
struct DaemonDetectionTests {
    static let products: [ProductExpectation] = [
        ProductExpectation(port: 22, product: "OpenSSH", version: { DaemonVersion.openSSH }, expectsVersion: true),
        ProductExpectation(port: 8081, product: "nginx", version: { DaemonVersion.nginx }, expectsVersion: true),
        // server_tokens off: nginx names itself but not its version.
        ProductExpectation(port: 8082, product: "nginx", version: { nil }, expectsVersion: false),
        ProductExpectation(port: 2123, product: "vsftpd", version: { DaemonVersion.vsftpd }, expectsVersion: true),
        ProductExpectation(port: 6379, product: "Redis", version: { DaemonVersion.redis }, expectsVersion: true),
        // requirepass: PING is refused with -NOAUTH, so INFO (and the version) stays hidden.
        ProductExpectation(port: 6380, product: "Redis", version: { nil }, expectsVersion: false),
        ProductExpectation(
            port: 11211, product: "memcached", version: { DaemonVersion.memcached }, expectsVersion: true),
    ]

    static func detection(_ port: UInt16) throws -> ServiceDetection {
        let outcome = try DetectionLab.checkedOutcome()
        if let reason = outcome.unavailable ?? outcome.missing[port] { try Test.cancel(Comment(rawValue: reason)) }
        return try #require(outcome.detections[port])
    }

    @Test(arguments: products)
    func productAndVersionMatchTheDaemon(_ expected: ProductExpectation) throws {
        let detection = try Self.detection(expected.port)
        #expect(detection.product == expected.product)
        if expected.expectsVersion {
            let truth = try #require(expected.version(), "the daemon did not report its own version")
            #expect(detection.version == truth)
        } else {
            #expect(detection.version == nil)
        }
    }

    @Test func vsftpdWithACustomBannerNamesNoProduct() throws {
        let detection = try Self.detection(2124)
        #expect(detection.service == "ftp")
        #expect(detection.product == nil)
        #expect(detection.version == nil)
    }

    @Test func sshdOfferingWeakAlgorithmsIsConfirmed() throws {
        let detection = try Self.detection(2222)
        #expect(detection.handshakes["INS-SSH-WEAK"] == "confirmed")
        let weak = try #require(detection.details["ssh.weak"])
        for algorithm in ["kex diffie-hellman-group1-sha1", "cipher 3des-cbc", "cipher aes128-cbc", "mac hmac-md5"] {
            #expect(weak.contains(algorithm), "\(algorithm) missing from \(weak)")
        }
        #expect(detection.details["ssh.protocol"] == "2.0")
        #expect(detection.details["ssh.ciphers"]?.contains("3des-cbc") == true)
    }

    @Test func defaultSshdOffersNoWeakAlgorithm() throws {
        let detection = try Self.detection(22)
        #expect(detection.handshakes["INS-SSH-WEAK"] == "not-matched")
        #expect(detection.details["ssh.weak"] == nil)
        #expect(detection.details["ssh.protocol"] == "2.0")
        let ciphers = try #require(detection.details["ssh.ciphers"])
        #expect(ciphers.contains("aes256-gcm@openssh.com") || ciphers.contains("chacha20-poly1305@openssh.com"))
        #expect(!ciphers.contains("3des-cbc"))
    }

    @Test func acceptThenCloseIsTCPWrappedNotThePortsService() throws {
        let detection = try Self.detection(2001)
        #expect(detection.service == "tcpwrapped")
        #expect(detection.method == .probed)
        #expect(detection.details["tcp.wrapped"] != nil)
        #expect(detection.handshakes.isEmpty)
    }

    @Test func aServerThatWaitsForTheClientIsNotTCPWrapped() throws {
        // Redis and nginx accept and wait silently for the client, as a wrapped port does not.
        #expect(try Self.detection(6379).service == "redis")
        #expect(try Self.detection(8081).service == "http")
    }
}
