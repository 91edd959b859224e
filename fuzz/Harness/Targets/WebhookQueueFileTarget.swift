import PortwardenMonitor

/// The on-disk webhook queue's reader (`WebhookJournal.parse`): every problem lies inside the input and
/// none is fatal past the header; the alerts waiting have distinct ids below the next id; the file that
/// compaction writes for them reads back as the same alerts with no problem.
enum WebhookQueueFileTarget: FuzzTarget {
    static let name = "webhook-queue-file"

    static func run(_ input: [UInt8]) {
        guard let contents = try? WebhookJournal.parse(input) else { return }
        for problem in contents.problems {
            FuzzCheck.require(
                problem.offset >= WebhookJournal.headerSize && problem.length > 0
                    && problem.offset + problem.length <= input.count && !problem.isFatal,
                "problem outside the input: \(problem)")
        }
        let ids = contents.entries.map(\.id)
        FuzzCheck.require(Set(ids).count == ids.count, "an id twice: \(ids)")
        FuzzCheck.require(ids.allSatisfy { $0 < contents.nextID }, "an id at or above the next id \(contents.nextID)")
        let compacted = WebhookJournal.file(
            queueID: contents.queueID, nextID: contents.nextID, entries: contents.entries)
        let again = try? WebhookJournal.parse(compacted)
        FuzzCheck.require(
            again?.entries == contents.entries && again?.nextID == contents.nextID && again?.problems == [],
            "compaction does not read back")
    }
}
