import PortwardenMonitor
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The on-disk webhook queue's format (`WebhookJournal`) and the byte limit and ids of `WebhookQueue`.
@Suite("webhook queue file: records, torn and damaged records, queue ids and limits")
struct WebhookJournalTests {
    static let entries = (1...4).map { WebhookQueue.Entry(id: UInt64($0), body: #"{"rule":"PW-\#($0)","n":"é"}"#) }

    /// A file with four alerts, the second one done; returns the bytes and each record's offset.
    static func sample() -> (bytes: [UInt8], offsets: [Int]) {
        var bytes = WebhookJournal.header(queueID: 0xABCD, nextID: 1)
        var offsets: [Int] = []
        for record in entries.map(WebhookJournal.alertRecord) + [WebhookJournal.doneRecord(2)] {
            offsets.append(bytes.count)
            bytes += record
        }
        return (bytes, offsets)
    }

    @Test("the alerts waiting are the alert records without a done record, in order; ids go on after the last")
    func readsWhatIsWaiting() throws {
        let contents = try WebhookJournal.parse(Self.sample().bytes)
        #expect(contents.queueID == 0xABCD)
        #expect(contents.entries.map(\.id) == [1, 3, 4])
        #expect(contents.entries.map(\.body) == [Self.entries[0], Self.entries[2], Self.entries[3]].map(\.body))
        #expect(contents.nextID == 5)
        #expect(contents.problems.isEmpty)
        let compacted = WebhookJournal.file(queueID: 7, nextID: 9, entries: contents.entries)
        let again = try WebhookJournal.parse(compacted)
        #expect(again.entries == contents.entries && again.nextID == 9 && again.queueID == 7)
        #expect(try WebhookJournal.parse(WebhookJournal.header(queueID: 1, nextID: 40)).nextID == 40)
    }

    @Test("a torn last record is ignored and reported at its offset, whatever its length", arguments: 1...30)
    func tornLastRecord(cut: Int) throws {
        let (bytes, offsets) = Self.sample()
        // Cut into the fourth alert record, so that the done record after it is gone too.
        let end = offsets[4] - cut
        let contents = try WebhookJournal.parse(Array(bytes[..<end]))
        #expect(contents.entries.map(\.id) == [1, 2, 3])
        let problem = try #require(contents.problems.first)
        #expect(contents.problems.count == 1)
        #expect(problem.code == .torn && problem.offset == offsets[3] && problem.length == end - offsets[3])
        #expect(problem.description.hasPrefix("byte \(offsets[3]): the last record is torn"), "\(problem)")
    }

    @Test("a damaged record is skipped and reported; reading goes on at the next record")
    func damagedRecordInTheMiddle() throws {
        let (bytes, offsets) = Self.sample()
        var flipped = bytes
        flipped[offsets[1] + 20] ^= 0x20
        let contents = try WebhookJournal.parse(flipped)
        #expect(
            contents.entries.map(\.id) == [1, 3, 4], "alert 2's record is skipped, its done record changes nothing")
        #expect(
            contents.problems == [
                WebhookJournalError(.checksum, offset: offsets[1], length: offsets[2] - offsets[1])
            ])
        #expect(contents.problems[0].description.contains("checksum does not match"))

        var garbage = Array(bytes[..<offsets[2]])
        garbage += Array("garbage WQ\u{0}\u{0}".utf8)
        garbage += bytes[offsets[2]...]
        let skipped = try WebhookJournal.parse(garbage)
        #expect(skipped.entries.map(\.id) == [1, 3, 4])
        #expect(skipped.problems == [WebhookJournalError(.marker, offset: offsets[2], length: 12)])
        #expect(
            skipped.problems[0].description
                == "byte \(offsets[2]): no record starts here; 12 bytes skipped up to the next record")
    }

    @Test("an impossible record length is a located problem, not an allocation")
    func oversizedRecord() throws {
        let (bytes, offsets) = Self.sample()
        var huge = bytes
        for index in 2..<6 { huge[offsets[1] + index] = 0xFF }
        let contents = try WebhookJournal.parse(huge)
        #expect(contents.entries.map(\.id) == [1, 3, 4])
        #expect(
            contents.problems == [WebhookJournalError(.length, offset: offsets[1], length: offsets[2] - offsets[1])])
        // The same at the end of the file: nothing follows, so it is torn or impossible, never a crash.
        let last = Array(huge[..<offsets[2]])
        #expect(try WebhookJournal.parse(last).problems.map(\.code) == [.length])
        var long = Array(bytes[..<offsets[4]])
        long += [UInt8(ascii: "W"), UInt8(ascii: "Q"), 0x20, 0x00, 0x00, 0x00]
        #expect(
            try WebhookJournal.parse(long).problems.map(\.code) == [.torn],
            "a plausible length whose checksum is cut off")
    }

    @Test("sound records that cannot be used are skipped with their offset and id")
    func unusableRecords() throws {
        var bytes = WebhookJournal.header(queueID: 1, nextID: 1)
        let first = WebhookJournal.alertRecord(WebhookQueue.Entry(id: 5, body: "{}"))
        bytes += first
        let repeatOffset = bytes.count
        bytes += first
        let contents = try WebhookJournal.parse(bytes)
        #expect(contents.entries.map(\.id) == [5])
        #expect(
            contents.problems == [WebhookJournalError(.duplicate, offset: repeatOffset, length: first.count, value: 5)])
        #expect(
            contents.problems[0].description == "byte \(repeatOffset): alert 5 is already queued; the repeat is skipped"
        )
        #expect(contents.nextID == 6)
    }

    @Test(
        "a file that is not a queue file, or whose header is damaged, is an error at the byte of it",
        arguments: [
            (Array("PWW".utf8), WebhookJournalError.Code.header, 0, "shorter than the 28-byte header"),
            (Array("[{\"rule\"".utf8), .notQueueFile, 0, "not a portwarden webhook queue file"),
            (
                Array(
                    WebhookJournal.header(queueID: 1, nextID: 1).enumerated().map { $0.offset == 4 ? 2 : $0.element }),
                .version, 4,
                "version 2 is not supported"
            ),
            (
                Array(
                    WebhookJournal.header(queueID: 1, nextID: 1).enumerated().map { $0.offset == 9 ? 2 : $0.element }),
                .headerChecksum, 24, "checksum does not match"
            ),
        ])
    func badHeaders(bytes: [UInt8], code: WebhookJournalError.Code, offset: Int, message: String) {
        let error = #expect(throws: WebhookJournalError.self) { try WebhookJournal.parse(bytes) }
        #expect(error?.code == code && error?.offset == offset && error?.isFatal == true)
        #expect(error?.description.hasPrefix("byte \(offset): ") == true, "\(String(describing: error))")
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test("the queue holds at most maxBytes of bodies, dropping the oldest, and reports the ids it drops")
    func byteLimit() {
        var settings = WebhookQueue.Settings()
        settings.maxBytes = 10
        var queue = WebhookQueue(settings: settings, firstID: 7)
        #expect(queue.enqueue("aaaa") == WebhookQueue.Enqueued(id: 7, dropped: []))
        #expect(queue.enqueue("bbbb") == WebhookQueue.Enqueued(id: 8, dropped: []))
        #expect(queue.enqueue("cccc") == WebhookQueue.Enqueued(id: 9, dropped: [7]))
        #expect(queue.bytes == 8 && queue.counts.dropped == 1)
        #expect(queue.enqueue("x", count: 11) == WebhookQueue.Enqueued(id: nil, dropped: []), "larger than the limit")
        #expect(queue.counts.dropped == 2 && queue.waiting.map(\.id) == [8, 9])
        let now = Date()
        #expect(queue.record(.delivered, at: now) == 8)
        #expect(queue.record(.failed, at: now) == nil, "a failed attempt keeps the alert")
        #expect(queue.nextID == 11)
    }

    @Test("restored alerts keep their ids and order; new ones go on after the highest")
    func restore() {
        var settings = WebhookQueue.Settings()
        settings.capacity = 2
        var queue = WebhookQueue(settings: settings, firstID: 3)
        #expect(queue.restore(WebhookQueue.Entry(id: 10, body: "a")).dropped.isEmpty)
        #expect(queue.restore(WebhookQueue.Entry(id: 12, body: "b")).dropped.isEmpty)
        #expect(queue.restore(WebhookQueue.Entry(id: 13, body: "c")).dropped == [10], "over capacity: the oldest goes")
        #expect(queue.enqueue("d").id == 14)
        #expect(queue.waiting.map(\.body) == ["c", "d"])
        #expect(WebhookRequest.deliveryID(queueID: 0xAB, alert: 14) == "00000000000000ab-14")
    }
}

extension WebhookQueue {
    /// Enqueues `text` repeated `count` times.
    fileprivate mutating func enqueue(_ text: String, count: Int) -> Enqueued {
        enqueue(String(repeating: text, count: count))
    }
}
