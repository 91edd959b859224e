import Foundation
import PortwardenCore
import Testing

@testable import PortwardenMonitor

/// A log without line feeds (a binary file, a broken writer) must not grow the reader without bound:
/// the over-long line is reported once, where it starts, and the lines after it are read as usual.
@Suite("Log lines over the length cap")
struct LogLineCapTests {
    static let valid =
        "Dec 31 23:59:59 fw1 kernel: ACCEPT IN=eth0 OUT= SRC=10.0.0.5 DST=10.0.0.6 LEN=60 PROTO=UDP SPT=1 DPT=53 LEN=40"

    /// Feeds `parts` (each whole), then finishes; returns what came out and the pending bytes seen
    /// after each part.
    static func read(_ parts: [[UInt8]]) -> (items: [LogReaderItem], pending: [Int], reader: LogLineReader) {
        var reader = LogLineReader(
            format: .netfilter, file: "fw.log", now: Date(timeIntervalSince1970: 1_796_083_200))
        var items: [LogReaderItem] = []
        var pending: [Int] = []
        for part in parts {
            reader.feed(part) { items.append($0) }
            pending.append(reader.pendingByteCount)
        }
        reader.finish { items.append($0) }
        return (items, pending, reader)
    }

    static func problems(_ items: [LogReaderItem]) -> [Diagnostic] {
        items.compactMap { if case .problem(let p) = $0 { return p } else { return nil } }
    }

    static func flowCount(_ items: [LogReaderItem]) -> Int {
        items.count { if case .flow = $0 { return true } else { return false } }
    }

    @Test func anOverlongLineAcrossChunksIsOneProblemAndTheRestIsRead() {
        let cap = LogLineReader.maximumLineLength
        let noise = [UInt8](repeating: 0x41, count: cap / 2)
        let first = Array((Self.valid + "\n").utf8)
        // Line 2 is 2.5 MiB long, fed in five parts; line 3 follows in the same part as its end.
        let parts = [first, noise, noise, noise, noise, noise + Array("\n\(Self.valid)\n".utf8)]
        let (items, pending, reader) = Self.read(parts)
        let problems = Self.problems(items)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 2 && problems.first?.code == "line-too-long")
        #expect(Self.flowCount(items) == 2)
        #expect(reader.lineNumber == 3 && reader.counts.problems == 1)
        // The dropped bytes still count as pending: a cursor commits the offset where line 2 starts.
        #expect(pending[3] == 3 * noise.count && pending.last == 0)
    }

    @Test func anOverlongLineInOneChunkAndAnOverlongLastLine() {
        let cap = LogLineReader.maximumLineLength
        let long = [UInt8](repeating: 0x42, count: cap + 1)
        let (items, _, reader) = Self.read([long + [0x0A] + Array((Self.valid + "\n").utf8) + long + long])
        let problems = Self.problems(items)
        #expect(problems.map(\.line) == [1, 3])
        #expect(Self.flowCount(items) == 1)
        #expect(reader.counts.problems == 2)
    }

    @Test func aLineAtTheCapIsStillParsed() {
        let cap = LogLineReader.maximumLineLength
        let padded = Self.valid + String(repeating: " ", count: cap - Self.valid.utf8.count)
        let (items, _, _) = Self.read([Array((padded + "\n").utf8)])
        #expect(Self.problems(items).isEmpty)
        #expect(Self.flowCount(items) == 1)
    }
}
