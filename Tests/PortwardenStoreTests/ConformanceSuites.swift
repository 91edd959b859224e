import PortwardenStore
import Testing

/// The conformance suite on SQLite (a file in a temporary directory).
@Suite struct SQLiteConformanceTests {
    @Test func initialisedStoreVerifies() throws { try TestStores.with(.sqlite, Conformance.initialisedStoreVerifies) }
    @Test func portStateIsKeptAsIntervals() throws {
        try TestStores.with(.sqlite, Conformance.portStateIsKeptAsIntervals)
    }
    @Test func openedSinceReviewFindsNewPorts() throws {
        try TestStores.with(.sqlite, Conformance.openedSinceReviewFindsNewPorts)
    }
    @Test func findingsFollowTheirLifecycle() throws {
        try TestStores.with(.sqlite, Conformance.findingsFollowTheirLifecycle)
    }
    @Test func exceptionsNeedAnotherApprover() throws {
        try TestStores.with(.sqlite, Conformance.exceptionsNeedAnotherApprover)
    }
    @Test func reviewsAreSignedOff() throws { try TestStores.with(.sqlite, Conformance.reviewsAreSignedOff) }
    @Test func policyVersionsCarryDiffAndChange() throws {
        try TestStores.with(.sqlite, Conformance.policyVersionsCarryDiffAndChange)
    }
    @Test func listenersKeepOwnerIntervals() throws {
        try TestStores.with(.sqlite, Conformance.listenersKeepOwnerIntervals)
    }
    @Test func verifyLocatesTampering() throws { try TestStores.with(.sqlite, Conformance.verifyLocatesTampering) }
    @Test func retentionArchivesAndQueriesOldMonths() throws {
        try TestStores.with(.sqlite, Conformance.retentionArchivesAndQueriesOldMonths)
    }
    @Test func monitorBatchesMergeByFingerprint() throws {
        try TestStores.with(.sqlite, Conformance.monitorBatchesMergeByFingerprint)
    }
    @Test func batchedWritesKeepTheirOrder() throws {
        try TestStores.with(.sqlite, Conformance.batchedWritesKeepTheirOrder)
    }
}

/// The same suite on a real PostgreSQL server (scripts/test-all.sh starts a throw-away cluster and sets
/// PORTWARDEN_TEST_POSTGRES_URL); skipped, visibly, without it.
@Suite(
    .enabled(
        if: TestStores.postgresURL != nil,
        "PORTWARDEN_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against"))
struct PostgresConformanceTests {
    @Test func initialisedStoreVerifies() throws {
        try TestStores.with(.postgres, Conformance.initialisedStoreVerifies)
    }
    @Test func portStateIsKeptAsIntervals() throws {
        try TestStores.with(.postgres, Conformance.portStateIsKeptAsIntervals)
    }
    @Test func openedSinceReviewFindsNewPorts() throws {
        try TestStores.with(.postgres, Conformance.openedSinceReviewFindsNewPorts)
    }
    @Test func findingsFollowTheirLifecycle() throws {
        try TestStores.with(.postgres, Conformance.findingsFollowTheirLifecycle)
    }
    @Test func exceptionsNeedAnotherApprover() throws {
        try TestStores.with(.postgres, Conformance.exceptionsNeedAnotherApprover)
    }
    @Test func reviewsAreSignedOff() throws { try TestStores.with(.postgres, Conformance.reviewsAreSignedOff) }
    @Test func policyVersionsCarryDiffAndChange() throws {
        try TestStores.with(.postgres, Conformance.policyVersionsCarryDiffAndChange)
    }
    @Test func listenersKeepOwnerIntervals() throws {
        try TestStores.with(.postgres, Conformance.listenersKeepOwnerIntervals)
    }
    @Test func verifyLocatesTampering() throws { try TestStores.with(.postgres, Conformance.verifyLocatesTampering) }
    @Test func retentionArchivesAndQueriesOldMonths() throws {
        try TestStores.with(.postgres, Conformance.retentionArchivesAndQueriesOldMonths)
    }
    @Test func monitorBatchesMergeByFingerprint() throws {
        try TestStores.with(.postgres, Conformance.monitorBatchesMergeByFingerprint)
    }
    @Test func batchedWritesKeepTheirOrder() throws {
        try TestStores.with(.postgres, Conformance.batchedWritesKeepTheirOrder)
    }
}
