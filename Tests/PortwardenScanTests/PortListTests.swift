import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("Port lists")
struct PortListTests {
    @Test func parsesListsAndRangesSortedAndDeduplicated() throws {
        #expect(try PortList.parse("80,22, 22,1000-1003") == [22, 80, 1000, 1001, 1002, 1003])
        #expect(try PortList.parse("65534-") == [65534, 65535])
        #expect(try PortList.parse("-3") == [1, 2, 3])
        #expect(try PortList.parse("all").count == 65535)
        #expect(try PortList.parse("-") == Array(1...65535))
    }

    /// Overlapping, adjacent and repeated tokens merge into one sorted list; a long list of "all"
    /// tokens is the 65,535 ports once (each token costs its own length, not a pass over every port).
    @Test func overlappingTokensMergeOnce() throws {
        #expect(try PortList.parse("10-20,15-25,26,30-30,5") == [5] + Array(10...26) + [30])
        #expect(try PortList.parse("65535,1-,all") == Array(1...65535))
        let many = Array(repeating: "all", count: 20_000).joined(separator: ",") + ",22"
        #expect(try PortList.parse(many) == Array(1...65535))
    }

    @Test func topPortsAreOurRanking() throws {
        #expect(PortList.topPorts.count == 1000)
        #expect(Set(PortList.topPorts).count == 1000)
        #expect(Array(PortList.topPorts.prefix(3)) == [80, 443, 22])
        #expect(!PortList.topPorts.contains(0))
        let top100 = try PortList.parse("top-100")
        #expect(top100.count == 100)
        #expect(top100 == top100.sorted())
        #expect(top100.contains(5432) && top100.contains(3389))
        #expect(try PortList.parse("top-1000,70-72").count == Set(PortList.topPorts + [70, 71, 72]).count)
    }

    @Test(arguments: [
        ("70000", "70000", "out of range (1-65535)"),
        ("22,http", "http", "is not a port number"),
        ("0", "0", "out of range"),
        ("90-80", "90-80", "ends before it starts"),
        ("22,,80", "", "empty entry"),
        ("top-0", "top-0", "between 1 and 1000"),
        ("top-5000", "top-5000", "between 1 and 1000"),
        ("1-2-3", "1-2-3", "is not a port number"),
    ])
    func rejectsBadTokens(text: String, token: String, message: String) {
        let error = #expect(throws: PortList.ParseError.self) { try PortList.parse(text) }
        #expect(error?.token == token)
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
