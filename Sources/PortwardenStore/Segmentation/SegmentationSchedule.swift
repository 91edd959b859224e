import Foundation
import PortwardenCore

/// When the next segmentation test is due from each vantage zone (PCI DSS 11.4.5: every 12 months and after
/// any change to segmentation controls; 11.4.6: every 6 months for service providers). A value without I/O:
/// it reads the recorded tests and segmentation changes.
///
/// - A vantage never tested is due at once.
/// - Otherwise the test is due 12 months (6 for `service_provider`) after the day of its last test, as a
///   calendar day: it is overdue once that day has ended.
/// - A segmentation change recorded after a vantage's last test makes it due at the change's time.
public struct SegmentationSchedule: Sendable {
    /// The status of one vantage zone.
    public struct Entry: Sendable, Hashable {
        public var vantage: String
        /// The latest test from the vantage, if any.
        public var lastTest: StoredSegmentationTest?
        /// The moment from which the test is overdue.
        public var due: Date
        /// The day the periodic test falls due (nil when never tested).
        public var periodicDue: CalendarDay?
        /// The first segmentation change after the last test, if any.
        public var changeSinceTest: StoredSegmentationChange?
        /// The cadence applied, in months.
        public var months: Int

        /// Whether the test is due at `now`.
        public func isDue(at now: Date) -> Bool { now >= due }

        /// What a due test fails at `now`: 11.4.5 (every 12 months and after any change); on a service
        /// provider's 6-month cadence 11.4.6, and 11.4.5 as well only when its own 12-month, after-change or
        /// never-tested condition holds (reference/pci-dss.md §4, the 11.4.5 and 11.4.6 rows).
        public func requirements(at now: Date) -> [Requirement] {
            let merchant = EntityType.merchant
            guard months == EntityType.serviceProvider.segmentationTestMonths else {
                return merchant.segmentationTestRequirements
            }
            guard let lastTest else { return EntityType.serviceProvider.segmentationTestRequirements }
            let twelve = CalendarDay(containing: StoreClock.date(lastTest.finished))
                .adding(months: merchant.segmentationTestMonths)
            let changed = changeSinceTest.map { StoreClock.date($0.time) <= now } ?? false
            return changed || now >= twelve.end
                ? EntityType.serviceProvider.segmentationTestRequirements : [Requirement("11.4.6")]
        }

        /// Why the test is due when it is, in one clause.
        public var reason: String {
            guard let lastTest else { return "never tested from this zone" }
            if let change = changeSinceTest {
                return "segmentation change at \(StoreClock.text(change.time)) (\(change.origin), \(change.summary)) "
                    + "after the last test"
            }
            return
                "\(months) months after the last test on \(CalendarDay(containing: StoreClock.date(lastTest.finished)))"
        }
    }

    /// The cadence in months for an entity type.
    public static func months(for entity: EntityType) -> Int { entity.segmentationTestMonths }

    public let entries: [Entry]

    /// Builds the schedule.
    /// - Parameters:
    ///   - tests: the recorded tests (any order).
    ///   - changes: the recorded segmentation changes (any order).
    ///   - vantages: the zones that must be tested from; every zone a test was recorded from is added.
    ///   - entity: the entity type that sets the cadence; nil takes each vantage's last recorded test's.
    public init(
        tests: [StoredSegmentationTest], changes: [StoredSegmentationChange], vantages: [String],
        entity: EntityType?
    ) {
        var latest: [String: StoredSegmentationTest] = [:]
        for test in tests where test.finished >= latest[test.vantage]?.finished ?? .min {
            latest[test.vantage] = test
        }
        let ordered = changes.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        let names = Set(vantages).union(latest.keys).sorted()
        entries = names.map { vantage in
            let months = Self.months(for: entity ?? latest[vantage]?.entity ?? .merchant)
            guard let last = latest[vantage] else {
                return Entry(
                    vantage: vantage, lastTest: nil, due: .distantPast, periodicDue: nil, changeSinceTest: nil,
                    months: months)
            }
            let periodic = CalendarDay(containing: StoreClock.date(last.finished)).adding(months: months)
            let change = ordered.first { $0.time > last.finished }
            let due = change.map { min(StoreClock.date($0.time), periodic.end) } ?? periodic.end
            return Entry(
                vantage: vantage, lastTest: last, due: due, periodicDue: periodic, changeSinceTest: change,
                months: months)
        }
    }
}
