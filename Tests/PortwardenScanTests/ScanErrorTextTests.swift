import PortwardenCore
import Testing

@testable import PortwardenScan

/// Scan errors read as one sentence in the user's words, and located ones in the one
/// diagnostic format.
@Suite("Scan error messages")
struct ScanErrorTextTests {
    @Test func scanErrorsSayWhatHappenedOnce() {
        let resources = ScanError(.resources, "no socket could be opened (EMFILE); raise ulimit -n")
        #expect(resources.description == "the scan could not run: no socket could be opened (EMFILE); raise ulimit -n")
        let configuration = ScanError(.configuration, "the raw SYN scan supports IPv4 only (::1)")
        #expect(configuration.description == "the scan cannot run as asked: the raw SYN scan supports IPv4 only (::1)")
        for error in [resources, configuration] {
            #expect(!error.description.contains("scan failed"))
            #expect(!error.description.contains("(\(error.code.rawValue))"))
        }
    }

    @Test func targetErrorsFromAFileAreLocated() {
        let error = TargetError(.prefixLength, spec: "10.0.0.0/33", detail: "prefix too long", file: "t.txt", line: 2)
        #expect(error.description == "t.txt:2: error: \"10.0.0.0/33\": prefix too long")
        let unlocated = TargetError(.notAnAddress, spec: "example", detail: "not an address")
        #expect(unlocated.description == "\"example\": not an address")
    }

    @Test(arguments: ["", " ", " , "])
    func anEmptyPortListSaysNoPortsGiven(text: String) {
        #expect {
            try PortList.parse(text)
        } throws: { error in
            let detail = (error as? PortList.ParseError)?.detail ?? ""
            return text.contains(",") ? detail.contains("extra comma") : detail.hasPrefix("no ports given")
        }
    }
}
