import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("Target parsing")
struct TargetParserTests {
    private func strings(_ specs: [String]) throws -> [String] {
        try TargetParser.parse(specs).map(\.description)
    }

    @Test func expandsPrefixesRangesAndLists() throws {
        #expect(try strings(["10.0.0.0/30"]) == ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"])
        #expect(try strings(["10.0.0.1-10.0.0.3"]) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
        #expect(try strings(["10.0.0.18-20"]) == ["10.0.0.18", "10.0.0.19", "10.0.0.20"])
        #expect(try strings(["10.0.0.5,10.0.0.1", "10.0.0.5"]) == ["10.0.0.1", "10.0.0.5"])
        #expect(try strings(["fd00::1-fd00::3"]) == ["fd00::1", "fd00::2", "fd00::3"])
        #expect(try strings(["fd00::/127", "10.0.0.1"]) == ["10.0.0.1", "fd00::", "fd00::1"])
        #expect(try TargetParser.parse(["10.0.0.0/16"]).count == 65536)
    }

    @Test(arguments: [
        ("10.0.0.0/33", TargetError.Code.prefixLength, "prefix length 33 is out of range for IPv4 (0-32)"),
        ("fd00::/129", .prefixLength, "prefix length 129 is out of range for IPv6 (0-128)"),
        ("example", .notAnAddress, "not an address, prefix or range (host names are not resolved)"),
        ("10.0.0.9-3", .badRange, "the range ends before it starts"),
        ("10.0.0.1-fd00::1", .badRange, "the range mixes IPv4 and IPv6"),
        ("10.0.0.1-300", .badRange, "is not an address or a last octet"),
        ("10.0.0.0/7", .tooMany, "more than the limit of 16777216"),
        ("fd00::/64", .tooMany, "more than the limit"),
    ])
    func rejectsBadSpecs(spec: String, code: TargetError.Code, message: String) {
        do {
            _ = try TargetParser.parse([spec])
            Issue.record("\(spec) was accepted")
        } catch let error as TargetError {
            #expect(error.code == code)
            #expect(error.spec == spec)
            #expect(error.description.contains(message), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func limitCountsAcrossSpecs() throws {
        #expect(throws: TargetError.self) { try TargetParser.parse(["10.0.0.0/30", "10.0.1.0/30"], limit: 6) }
        #expect(try TargetParser.parse(["10.0.0.0/30", "10.0.1.0/31"], limit: 6).count == 6)
    }

    @Test func readsTargetFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pw-targets-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.txt")
        try "# CDE hosts\n10.20.1.10\n\n10.20.1.0/31, 10.20.1.20  # db\n".write(
            to: good, atomically: true, encoding: .utf8)
        #expect(try strings(["@\(good.path)"]) == ["10.20.1.0", "10.20.1.1", "10.20.1.10", "10.20.1.20"])

        // Windows line endings: the same targets, and a bad line found on its own line number.
        let crlf = directory.appendingPathComponent("crlf.txt")
        try "# CDE hosts\r\n10.20.1.10\r\n\r\n10.20.1.0/31, 10.20.1.20  # db\r\n".write(
            to: crlf, atomically: true, encoding: .utf8)
        #expect(try strings(["@\(crlf.path)"]) == ["10.20.1.0", "10.20.1.1", "10.20.1.10", "10.20.1.20"])
        let badCRLF = directory.appendingPathComponent("bad-crlf.txt")
        try "10.0.0.1\r\nexample\r\n".write(to: badCRLF, atomically: true, encoding: .utf8)
        let badCRLFError = #expect(throws: TargetError.self) { try TargetParser.parse(["@\(badCRLF.path)"]) }
        #expect(badCRLFError?.line == 2)

        let empty = directory.appendingPathComponent("empty.txt")
        try "# nothing here\n\n".write(to: empty, atomically: true, encoding: .utf8)
        let emptyError = #expect(throws: TargetError.self) { try TargetParser.parse(["@\(empty.path)"]) }
        #expect(emptyError?.code == .emptyFile)
        #expect(emptyError?.description == "@\(empty.path) lists no targets")

        let bad = directory.appendingPathComponent("bad.txt")
        try "10.0.0.1\nexample\n".write(to: bad, atomically: true, encoding: .utf8)
        let badError = #expect(throws: TargetError.self) { try TargetParser.parse(["@\(bad.path)"]) }
        #expect(badError?.line == 2)
        #expect(badError?.description.hasPrefix("\(bad.path):2: error: \"example\"") == true)

        let missing = #expect(throws: TargetError.self) { try TargetParser.parse(["@\(directory.path)/none.txt"]) }
        #expect(missing?.code == .unreadableFile)
    }

    @Test func emptyInputIsAnError() {
        let error = #expect(throws: TargetError.self) { try TargetParser.parse([" , "]) }
        #expect(error?.code == .noTargets)
    }
}
