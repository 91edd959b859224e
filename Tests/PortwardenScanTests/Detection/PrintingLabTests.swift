import PortwardenCore
import Testing

@testable import PortwardenScan

/// Printers against real daemons (`DetectionLab+Printing.swift`): cupsd answering IPP on 631, BSD
/// lpd answering the short queue state on 515, p910nd on 9100 getting no bytes; on the second
/// address, 631 and 515 answer with HTTP.
@Suite("Printers in a network namespace")
struct PrintingLabTests {
    @Test func cupsdAnswersIPPWithoutAuthentication() throws {
        let detection = try BrokerLabTests.detection(631, onSecondAddress: false)
        #expect(detection.service == "ipp")
        #expect(detection.method == .probed)
        #expect(detection.product == "CUPS")
        #expect(detection.version == "2.4")
        let uri = "ipp://127.0.0.1:631/printers/lab (security none, authentication requesting-user-name)"
        let detail = "CUPS-Get-Default answered successful-ok over HTTP: \(uri)"
        #expect(
            detection.handshakes == [
                "INS-IPP-ANON": "confirmed (\(detail))", "INS-IPP-CLEAR": "not-matched (\(detail))",
            ])
        #expect(detection.details["ipp.make-and-model"] == "Local Raw Printer")
        #expect(detection.details["ipp.printer-name"] == "lab")
        #expect(detection.details["ipp.uri-supported"] == uri)
    }

    /// An HTTP server on 631 answers the IPP request with a 404: both IPP rules are `not-matched`
    /// there, and the port is named after what it is.
    @Test func anotherServiceOn631IsNotMatched() throws {
        let detection = try BrokerLabTests.detection(631, onSecondAddress: true)
        #expect(detection.service == "http")
        #expect(detection.handshakes["INS-IPP-ANON"] == "not-matched", "\(detection.handshakes)")
        #expect(detection.handshakes["INS-IPP-CLEAR"] == "not-matched", "\(detection.handshakes)")
    }

    @Test func lpdAnswersTheQueueState() throws {
        let detection = try BrokerLabTests.detection(515, onSecondAddress: false)
        #expect(detection.service == "printer")
        #expect(detection.method == .probed)
        #expect(detection.handshakes == ["INS-LPD": "confirmed (queue state of \"lp\" answered: \"no entries\")"])
    }

    @Test func anotherServiceOn515IsNotMatched() throws {
        let detection = try BrokerLabTests.detection(515, onSecondAddress: true)
        #expect(detection.service == "http")
        #expect(detection.handshakes["INS-LPD"] == "not-matched", "\(detection.handshakes)")
    }

    /// The raw port's "printer" holds exactly the lab's own control line after detection: p910nd
    /// records what arrives, and detection sent it nothing. The port is named from the table only,
    /// so `INS-JETDIRECT` stays port-only.
    @Test func rawPrintPortIsSentNothing() throws {
        let detection = try BrokerLabTests.detection(9100, onSecondAddress: false)
        let outcome = try DetectionLab.checkedOutcome()
        #expect(outcome.rawPrintOutput == DetectionLab.rawPrintControl)
        #expect(detection == ServiceDetection(service: "jetdirect", method: .table))
    }

    @Test(arguments: [
        (UInt16(631), "INS-IPP-ANON", "ipp"), (631, "INS-IPP-CLEAR", "ipp"), (515, "INS-LPD", "printer"),
        (9100, "INS-JETDIRECT", "jetdirect"),
    ])
    func otherServicesRecordNoPrinterVerdict(port: UInt16, rule: String, service: String) throws {
        try BrokerLabTests.expectOnlyPort(port, hasVerdictOf: rule, service: service)
    }
}

@Suite("Printer probe choice")
struct PrinterProbeChoiceTests {
    static func steps(_ port: UInt16) -> [ClientFirstProbe] {
        PortProbe(host: DetectionLab.address, port: port, configuration: DetectionLab.labConfiguration)
            .clientFirstProbes()
    }

    /// A raw print port prints whatever arrives: no client-first probe is ever sent to 9100–9107.
    @Test(arguments: Array(UInt16(9100)...9107))
    func rawPrintPortsGetNoProbe(port: UInt16) {
        #expect(Self.steps(port).isEmpty)
    }

    @Test func printerPortsTryTheirOwnProtocolFirst() {
        #expect(Self.steps(631).first == .ipp)
        #expect(Self.steps(515).first == .lpd)
        #expect(!Self.steps(80).contains(.ipp) && !Self.steps(80).contains(.lpd))
        #expect(Self.steps(9099).first == .http)
    }
}
