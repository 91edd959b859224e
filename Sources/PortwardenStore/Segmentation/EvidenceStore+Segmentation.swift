import Crypto
import Foundation
import PortwardenCore

extension EvidenceStore {
    /// Records a segmentation test; returns its id.
    @discardableResult
    public func recordSegmentationTest(_ test: SegmentationTestInput) throws -> Int64 {
        try write(at: StoreClock.micros(test.finished)) { writer in try Self.insertSegmentationTest(writer, test) }
    }

    /// Records a segmentation test and its probes as a scan (kind `segment-test`, vantage the zone tested
    /// from) in one transaction: the scan goes through the same recorder as every scan, so its coverage and
    /// port states become port intervals, and its parameters name the test (`segmentation_test=ID`).
    /// - Returns: the test's id and what recording the scan changed.
    @discardableResult
    public func recordSegmentationTest(
        _ test: SegmentationTestInput, scan: ScanEvidence
    ) throws -> (testID: Int64, scan: ScanRecordResult) {
        try write(at: StoreClock.micros(test.finished)) { writer in
            let id = try Self.insertSegmentationTest(writer, test)
            var linked = scan
            linked.parameters["segmentation_test"] = "\(id)"
            return (id, try ScanRecorder(writer: writer, scan: linked, time: writer.time).run())
        }
    }

    private static func insertSegmentationTest(_ writer: StoreWriter, _ test: SegmentationTestInput) throws -> Int64 {
        try writer.insert(
            StoreSchema.segmentationTests,
            [
                .integer(StoreClock.micros(test.started)), .integer(StoreClock.micros(test.finished)),
                .text(test.operatorName), .text(test.vantage), .text(test.vantageKind),
                .text(test.sourceAddress.description), .text(test.entity.rawValue), .text(test.targets),
                .text(test.tcpPorts), .text(test.udpPorts), .integer(Int64(test.probes)),
                .integer(Int64(test.breaches)), .integer(Int64(test.blocked)), .text(test.policyHash),
                .text(test.toolVersion), .optional(test.testerName), .optional(test.testerOrganization),
                .optional(test.testerQualification), .optional(test.independenceStatement),
                .text(test.nextDue.description), .text(test.evidence),
                .text(Hex.encode(SHA256.hash(data: Array(test.evidence.utf8)))),
            ])
    }

    /// The recorded segmentation tests, oldest first.
    public func segmentationTests() throws -> [StoredSegmentationTest] {
        try read { session in
            guard try Self.has(StoreSchema.segmentationTests, session) else { return [] }
            return try session.query(
                "SELECT \(StoreSchema.segmentationTests.selectList) FROM segmentation_tests ORDER BY finished, id", []
            ).compactMap(StoredSegmentationTest.init(row:))
        }
    }

    /// The recorded segmentation changes, oldest first.
    public func segmentationChanges() throws -> [StoredSegmentationChange] {
        try read { session in
            guard try Self.has(StoreSchema.segmentationChanges, session) else { return [] }
            return try session.query(
                "SELECT \(StoreSchema.segmentationChanges.selectList) FROM segmentation_changes ORDER BY time, id", []
            ).compactMap { row in
                guard let id = row[0].integer, let time = row[1].integer else { return nil }
                return StoredSegmentationChange(
                    id: id, time: time, origin: row[2].text ?? "", reference: row[3].text ?? "",
                    changeID: row[4].text, summary: row[5].text ?? "")
            }
        }
    }

    /// When the next segmentation test is due from each vantage (`vantages` plus every zone tested from).
    public func segmentationSchedule(vantages: [String], entity: EntityType?) throws -> SegmentationSchedule {
        SegmentationSchedule(
            tests: try segmentationTests(), changes: try segmentationChanges(), vantages: vantages, entity: entity)
    }

    /// Whether the store has the table: a store opened for reading only may predate it.
    static func has(_ table: TableSchema, _ session: any SQLSession) throws -> Bool {
        try Migrations.version(session) >= table.since
    }

    /// Records a change to a segmentation rule in `writer`'s transaction.
    static func insertSegmentationChange(
        _ writer: StoreWriter, origin: String, reference: String, changeID: String?, summary: String
    ) throws {
        try writer.insert(
            StoreSchema.segmentationChanges,
            [.integer(writer.time), .text(origin), .text(reference), .optional(changeID), .text(summary)])
    }
}
