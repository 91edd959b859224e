import Foundation
import PortwardenCore
import PortwardenStore
import Testing

/// Segmentation tests, ruleset loads and the next-test schedule, on both backends.
enum SegmentationConformance {
    static func test(
        _ vantage: String, on date: Date, entity: EntityType = .merchant, breaches: Int = 0
    ) -> SegmentationTestInput {
        SegmentationTestInput(
            started: date.addingTimeInterval(-60), finished: date, operatorName: "tester", vantage: vantage,
            vantageKind: "out-of-scope", sourceAddress: IPAddress("10.0.0.5")!, entity: entity,
            targets: "cde-db 10.20.1.0/24", tcpPorts: "1-65535", udpPorts: "53,161", probes: 65_537,
            breaches: breaches, blocked: 0, policyHash: "sha256:00", toolVersion: "test", testerName: "A. Tester",
            testerOrganization: "Example QSA Ltd", testerQualification: "OSCP",
            independenceStatement: "not part of the payments team",
            nextDue: CalendarDay(containing: date).adding(months: entity == .serviceProvider ? 6 : 12),
            evidence: #"{"format":"portwarden-segmentation-test/1","results":[{"verdict":"filtered"}]}"#)
    }

    static func load(
        _ file: String, on date: Date, previous: String?, new: String, outcome: RulesetLoadInput.Outcome = .applied
    ) -> RulesetLoadInput {
        RulesetLoadInput(
            time: date, file: file, operatorName: "alice", previousSHA256: previous, newSHA256: new,
            diffSummary: "+1 -0 lines", diff: "+rule\n", outcome: outcome, backup: "/var/backup.nft",
            changeID: "CHG-7", reason: "allow syslog")
    }

    static func testsAreChainedAndScheduled(_ store: any EvidenceStore) throws {
        let id = try store.recordSegmentationTest(test("corp", on: Scans.day(0), breaches: 2))
        let stored = try #require(try store.segmentationTests().first)
        #expect(stored.id == id)
        #expect(stored.breaches == 2 && stored.probes == 65_537 && stored.testerName == "A. Tester")
        #expect(stored.independenceStatement == "not part of the payments team")
        #expect(stored.evidence.contains("\"verdict\":\"filtered\""), "negative results are kept")
        #expect(stored.evidenceSHA256.count == 64)

        var schedule = try store.segmentationSchedule(vantages: ["corp", "wireless"], entity: nil)
        #expect(schedule.entries.map(\.vantage) == ["corp", "wireless"])
        let corp = try #require(schedule.entries.first)
        #expect(corp.periodicDue == CalendarDay(containing: Scans.day(0)).adding(months: 12))
        #expect(!corp.isDue(at: Scans.day(300)))
        #expect(corp.isDue(at: Scans.day(367)))
        #expect(schedule.entries[1].lastTest == nil && schedule.entries[1].isDue(at: Scans.day(0)))
        // A service provider tests every 6 months (11.4.6).
        schedule = try store.segmentationSchedule(vantages: [], entity: .serviceProvider)
        #expect(schedule.entries.first?.isDue(at: Scans.day(200)) == true)
        #expect(schedule.entries.first?.isDue(at: Scans.day(150)) == false)

        // A failed load, and a load of the file already applied, change nothing; a changed ruleset does.
        try store.recordRulesetLoad(load("r.nft", on: Scans.day(5), previous: nil, new: "aa", outcome: .failed))
        #expect(try store.segmentationChanges().isEmpty)
        try store.recordRulesetLoad(load("r.nft", on: Scans.day(10), previous: "aa", new: "bb"))
        try store.recordRulesetLoad(load("r.nft", on: Scans.day(11), previous: "bb", new: "bb"))
        let changes = try store.segmentationChanges()
        #expect(changes.count == 1 && changes.first?.origin == "enforce apply")
        #expect(try store.lastAppliedRulesetSHA256() == "bb")
        let loads = try store.rulesetLoads()
        #expect(loads.map(\.outcome) == ["failed", "applied", "applied"])
        #expect(loads.map(\.segmentationChange) == [false, true, false])
        #expect(loads[1].previousSHA256 == "aa" && loads[1].diff == "+rule\n")
        // The history reads each load with the change record of its transaction.
        let history = try store.rulesetLoadHistory()
        #expect(history.map(\.load) == loads)
        #expect(history.allSatisfy { $0.change?.kind == "enforce" && $0.change?.changeID == "CHG-7" })
        #expect(
            history.allSatisfy { $0.change?.backOut == "nft -f /var/backup.nft" && $0.change?.reason == "allow syslog" }
        )
        #expect(history[1].change?.description.contains("sha256:aa → sha256:bb") == true)
        #expect(history[2].change?.description.contains("(ruleset load \(loads[2].id))") == true)
        #expect(Set(history.compactMap(\.change?.id)).count == 3, "each load has its own record")
        let records = try store.changes()
        #expect(records.count == 3 && records.allSatisfy { $0[11].text == "enforce" })
        #expect(records.contains { $0[4].text?.contains("sha256:aa → sha256:bb") == true })
        let afterChange = try #require(try store.segmentationSchedule(vantages: [], entity: nil).entries.first)
        #expect(afterChange.changeSinceTest != nil)
        #expect(afterChange.isDue(at: Scans.day(10).addingTimeInterval(1)))
        #expect(!afterChange.isDue(at: Scans.day(9)))

        // A new test clears the change; a policy version that moves an edge makes it due again.
        try store.recordSegmentationTest(test("corp", on: Scans.day(12)))
        #expect(try store.segmentationSchedule(vantages: [], entity: nil).entries.first?.changeSinceTest == nil)
        let change = ChangeRecordInput(changeID: "CHG-8", reason: "new API", recordedBy: "alice")
        let first = try store.applyPolicy(path: "p.yaml", content: "a\n", change: change) { previous in
            previous == nil ? nil : "unexpected"
        }
        #expect(first.segmentationChange == nil)
        let second = try store.applyPolicy(path: "p.yaml", content: "b\n", change: change) { previous in
            previous == "a\n" ? "+1 edge: corp → cde-db tcp/8443" : nil
        }
        #expect(second.segmentationChange == "+1 edge: corp → cde-db tcp/8443")
        let fromPolicy = try store.segmentationChanges().filter { $0.origin == "policy apply" }
        #expect(fromPolicy.map(\.reference) == ["policy version \(second.versionID)"])
        #expect(try ChainVerifier(store: store).verify().isIntact)

        // The test row is chained: changing its result is named.
        try store.backend.write { session in
            try session.execute("UPDATE segmentation_tests SET breaches = 0 WHERE id = ?", [.integer(id)])
        }
        let report = try ChainVerifier(store: store).verify()
        #expect(
            report.issues.contains { $0.kind == .rowChanged && $0.table == "segmentation_tests" && $0.rowID == id },
            "\(report.issues)")
    }

    /// A test's probes are a scan (kind `segment-test`) in the test's transaction: the port history names
    /// its vantage, and the scan names the test.
    static func probesAreKeptAsAScan(_ store: any EvidenceStore) throws {
        var scan = Scans.tcp("10.20.1.12", open: [23], on: Scans.day(3), vantage: "corp")
        scan.kind = "segment-test"
        scan.sourceAddress = IPAddress("10.0.0.5")
        let (id, result) = try store.recordSegmentationTest(test("corp", on: Scans.day(3), breaches: 1), scan: scan)
        #expect(result.intervalsInserted == 3, "closed 1-22, open 23, closed 24-1024")
        let host = try #require(IPAddress("10.20.1.12"))
        let last = try #require(try store.lastOpen(host: host, transport: .tcp, port: 23))
        #expect(last.vantage == "corp" && last.lastScan == result.scanID && last.service == "telnet")
        #expect(try store.portHistory(host: host, transport: .tcp, port: 80).map(\.state) == ["closed"])
        let row = try #require(try store.scans().first)
        #expect(row[0].integer == result.scanID && row[11].text == "segment-test" && row[5].text == "corp")
        #expect(row[4].text == "10.0.0.5")
        #expect(row[8].text?.contains("segmentation_test=\(id)") == true, "\(row[8])")
        #expect(try store.segmentationTests().map(\.id) == [id])
        #expect(try ChainVerifier(store: store).verify().isIntact)
    }

    static func testsOutlastTheHotTier(_ store: any EvidenceStore) throws {
        try store.recordSegmentationTest(test("corp", on: Scans.day(0)))
        try store.recordSegmentationTest(test("dmz", on: Scans.day(0)))
        try store.recordSegmentationTest(test("corp", on: Scans.day(200)))
        // Past the 90-day hot window, every test stays in the tables (11.4.1: kept 12 months).
        _ = try store.runRetention(try RetentionPolicy(), now: Scans.day(300))
        #expect(try store.segmentationTests().count == 3)
        // Past the retention period the old test goes; the latest test of each vantage stays.
        _ = try store.runRetention(try RetentionPolicy(), now: Scans.day(400))
        let kept = try store.segmentationTests()
        #expect(kept.map(\.vantage).sorted() == ["corp", "dmz"])
        #expect(kept.first { $0.vantage == "corp" }?.finished == StoreClock.micros(Scans.day(200)))
        let report = try ChainVerifier(store: store).verify()
        #expect(report.isIntact, "\(report.issues)")
        let retention = try store.retentionReport(now: Scans.day(400))
        #expect(retention.sources.contains { $0.name == "table:segmentation_tests" })
    }
}

@Suite struct SQLiteSegmentationTests {
    /// A store made before schema version 2 reads (no tests, chain intact) and gains the tables when it is
    /// next opened for writing.
    @Test func aVersionOneStoreReadsAndMigrates() throws {
        try TestStores.with(.sqlite) { store in
            try store.backend.write { session in
                // Versions 2 to 4 (the monitor's tables, daily reviews) are undone, so the store is as version 1 made it.
                for table in [
                    "segmentation_tests", "ruleset_loads", "segmentation_changes", "service_usage", "log_offsets",
                    "daily_reviews",
                ] {
                    try session.execute("DROP TABLE \(table)", [])
                }
                try session.execute("DELETE FROM schema_migrations WHERE version >= 2", [])
            }
            let old = try StoreOpener.open(store.location, forWriting: false)
            #expect(try old.segmentationTests().isEmpty)
            #expect(try ChainVerifier(store: old).verify().isIntact)
            #expect(try old.retentionReport().verification.isIntact)
            try old.close()
            let migrated = try StoreOpener.open(store.location, forWriting: true)
            defer { try? migrated.close() }
            try migrated.recordSegmentationTest(SegmentationConformance.test("corp", on: Scans.day(0)))
            #expect(try migrated.segmentationTests().count == 1)
            #expect(try migrated.serviceUsage().isEmpty)
            #expect(try ChainVerifier(store: migrated).verify().isIntact)
        }
    }

    /// The cadence and the requirements an overdue test cites, merchant against service provider
    /// (11.4.5 every 12 months; 11.4.6 every 6 months, with 11.4.5 too once its own condition holds).
    @Test(arguments: [
        (EntityType.merchant, 200, false, ["11.4.5"]), (.merchant, 367, true, ["11.4.5"]),
        (.serviceProvider, 150, false, ["11.4.6"]), (.serviceProvider, 200, true, ["11.4.6"]),
        (.serviceProvider, 367, true, ["11.4.5", "11.4.6"]),
    ])
    func cadenceAndRequirementsFollowTheEntity(_ entity: EntityType, day: Int, due: Bool, cited: [String]) throws {
        try TestStores.with(.sqlite) { store in
            try store.recordSegmentationTest(SegmentationConformance.test("corp", on: Scans.day(0), entity: entity))
            let schedule = try store.segmentationSchedule(vantages: ["guest"], entity: entity)
            let corp = try #require(schedule.entries.first { $0.vantage == "corp" })
            #expect(corp.months == entity.segmentationTestMonths)
            #expect(corp.isDue(at: Scans.day(day)) == due)
            #expect(corp.requirements(at: Scans.day(day)).map(\.id) == cited)
            let never = try #require(schedule.entries.first { $0.vantage == "guest" })
            #expect(never.requirements(at: Scans.day(day)) == entity.segmentationTestRequirements)
            // After a segmentation change both apply to a service provider: 11.4.5 asks for it too.
            try store.recordRulesetLoad(
                SegmentationConformance.load("r.nft", on: Scans.day(20), previous: nil, new: "a"))
            let changed = try #require(
                try store.segmentationSchedule(vantages: [], entity: entity).entries.first)
            #expect(changed.requirements(at: Scans.day(21)) == entity.segmentationTestRequirements)
        }
    }

    @Test func testsAreChainedAndScheduled() throws {
        try TestStores.with(.sqlite, SegmentationConformance.testsAreChainedAndScheduled)
    }
    @Test func testsOutlastTheHotTier() throws {
        try TestStores.with(.sqlite, SegmentationConformance.testsOutlastTheHotTier)
    }
    @Test func probesAreKeptAsAScan() throws {
        try TestStores.with(.sqlite, SegmentationConformance.probesAreKeptAsAScan)
    }
}

/// The same on PostgreSQL (scripts/test-all.sh sets PORTWARDEN_TEST_POSTGRES_URL); skipped, visibly, without it.
@Suite(
    .enabled(
        if: TestStores.postgresURL != nil,
        "PORTWARDEN_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against"))
struct PostgresSegmentationTests {
    @Test func testsAreChainedAndScheduled() throws {
        try TestStores.with(.postgres, SegmentationConformance.testsAreChainedAndScheduled)
    }
    @Test func testsOutlastTheHotTier() throws {
        try TestStores.with(.postgres, SegmentationConformance.testsOutlastTheHotTier)
    }
    @Test func probesAreKeptAsAScan() throws {
        try TestStores.with(.postgres, SegmentationConformance.probesAreKeptAsAScan)
    }
}
