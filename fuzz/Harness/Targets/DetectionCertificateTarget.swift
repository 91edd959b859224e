@testable import PortwardenScan

/// A server's first TLS flight (records → handshake messages → certificate list) and the DER
/// certificates in it (X.509 fields, names, times, key sizes). The input is read both as a flight
/// and as one DER certificate, so the corpus can hold either.
enum DetectionCertificateTarget: FuzzTarget {
    static let name = "detection-certificate"

    static func run(_ input: [UInt8]) {
        let flight = TLSServerFlight.parse(input)
        _ = TLSServerFlight.isFinal(input)
        for der in flight.certificateChain ?? [] {
            if let summary = X509Summary.parse(der) { _ = summary.problems(now: 1_800_000_000) }
        }
        if let summary = X509Summary.parse(input) {
            _ = summary.problems(now: 0)
            _ = CivilTime.format(summary.notAfter)
        }
    }
}
