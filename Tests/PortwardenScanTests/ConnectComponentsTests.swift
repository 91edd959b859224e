import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

@Suite("Connect engine components")
struct ConnectComponentsTests {
    @Test func rttEstimatorFollowsRFC6298AsNmapDoes() {
        var estimator = RTTEstimator(initial: 1_000_000, minimum: 100_000, maximum: 10_000_000)
        #expect(estimator.timeout == 1_000_000)
        let accepted1 = estimator.add(sample: 40_000)
        #expect(accepted1)
        #expect(estimator.srtt == 40_000)
        #expect(estimator.rttvar == 40_000)
        #expect(estimator.timeout == 200_000)  // 40 ms + 4 × 40 ms
        let accepted2 = estimator.add(sample: 80_000)
        #expect(accepted2)
        #expect(estimator.srtt == 45_000)  // += 40 ms / 8
        #expect(estimator.rttvar == 40_000)  // += (40 - 40) / 4
        #expect(estimator.timeout == 205_000)
        let accepted3 = estimator.add(sample: 9_000_000)
        #expect(!accepted3)  // ≥ 8 s ignored
        let accepted4 = estimator.add(sample: -1)
        #expect(!accepted4)
        let accepted5 = estimator.add(sample: 7_000_000)
        #expect(!accepted5)  // outlier: > 1.5 s and > 3 srtt + 2 rttvar
        #expect(estimator.samples == 2)
    }

    @Test func rttEstimatorClampsTimeoutAndVariance() {
        var small = RTTEstimator(initial: 1_000_000, minimum: 100_000, maximum: 10_000_000)
        small.add(sample: 100)
        #expect(small.rttvar == 5_000)  // first rttvar clamped to 5 ms
        #expect(small.timeout == 100_000)  // clamped to the minimum
        var large = RTTEstimator(initial: 1_000_000, minimum: 100_000, maximum: 3_000_000)
        large.add(sample: 2_500_000)
        #expect(large.rttvar == 2_000_000)
        #expect(large.timeout == 3_000_000)  // clamped to the maximum
    }

    @Test(arguments: [0, 1, 2, 7, 1000, 65535, 65536 * 3 + 5])
    func permutationIsABijection(count: Int) {
        let permutation = IndexPermutation(count: UInt64(count), seed: 42)
        var seen = [Bool](repeating: false, count: count)
        for index in 0..<count {
            let value = Int(permutation.map(UInt64(index)))
            #expect(value < count)
            if value < count {
                #expect(!seen[value])
                seen[value] = true
            }
        }
        #expect(seen.allSatisfy { $0 })
    }

    @Test func permutationDependsOnTheSeedAndMixes() {
        let a = (0..<1000).map { IndexPermutation(count: 1000, seed: 1).map(UInt64($0)) }
        let b = (0..<1000).map { IndexPermutation(count: 1000, seed: 2).map(UInt64($0)) }
        let again = (0..<1000).map { IndexPermutation(count: 1000, seed: 1).map(UInt64($0)) }
        #expect(a == again)
        #expect(a != b)
        #expect(a != (0..<1000).map { UInt64($0) })
        let adjacent = zip(a, a.dropFirst()).filter { $0.0 + 1 == $0.1 }.count
        #expect(adjacent < 20)
    }

    @Test func deadlineHeapPopsInDeadlineOrder() {
        var heap = DeadlineHeap()
        var generator = SplitMix64(seed: 9)
        let deadlines = (0..<500).map { _ in UInt64.random(in: 0..<10_000, using: &generator) }
        for (index, deadline) in deadlines.enumerated() {
            heap.push(.init(deadline: deadline, index: index, attempt: 0))
        }
        let earliest = deadlines.min() ?? 0
        if earliest > 0 { #expect(heap.popExpired(now: earliest - 1)?.deadline == nil) }
        var popped: [UInt64] = []
        while let entry = heap.popExpired(now: 5_000) { popped.append(entry.deadline) }
        #expect(popped == deadlines.filter { $0 <= 5_000 }.sorted())
        #expect(heap.count == deadlines.filter { $0 > 5_000 }.count)
    }

    @Test func tokenBucketLimitsTheRate() {
        var bucket = TokenBucket(rate: 1000, now: 0)
        let accepted6 = bucket.take(now: 0)
        #expect(accepted6)
        let accepted7 = bucket.take(now: 0)
        #expect(!accepted7)
        let pause = bucket.wait(now: 0)
        #expect(pause > 0)
        var taken = 0
        for step in 1...1000 where bucket.take(now: UInt64(step) * 1_000_000) { taken += 1 }
        #expect(taken >= 990 && taken <= 1000)  // one second at 1000/s
    }

    @Test(arguments: [
        (Int32(0), ConnectOutcome.final(.synAck)),
        (Kernel.Errno.connectionRefused, .final(.connectionRefused)),
        (Kernel.Errno.timedOut, .silent),
        (Kernel.Errno.hostUnreachable, .final(.hostUnreachable)),
        (Kernel.Errno.networkUnreachable, .final(.networkUnreachable)),
        (Kernel.Errno.accessDenied, .final(.adminProhibited)),
        (Kernel.Errno.notPermitted, .final(.localPolicy)),
        (Kernel.Errno.addressNotAvailable, .pressure(Kernel.Errno.addressNotAvailable)),
        (Kernel.Errno.tooManyFiles, .pressure(Kernel.Errno.tooManyFiles)),
        (Kernel.Errno.networkDown, .abort),
    ])
    func classifiesErrnoAsScanningMdSays(code: Int32, expected: ConnectOutcome) {
        #expect(ConnectOutcome.classify(code) == expected)
    }

    @Test func reasonsMapToStates() {
        #expect(ProbeReason.synAck.state == .open)
        #expect(ProbeReason.connectionRefused.state == .closed)
        #expect(ProbeReason.hostUnreachable.state == .filtered)
        #expect(ProbeReason.noResponse.text == "no-response")
        #expect(ProbeReason.allCases.filter(\.isRTTSample).map(\.text) == ["syn-ack", "conn-refused", "reset"])
    }

    /// The reasons a soft error read at a probe's deadline may settle: ICMP-derived ones only, so a
    /// late `SO_ERROR` never turns a silent probe open, reset or local-error.
    @Test func onlyICMPDerivedReasonsSettleAtTheDeadline() {
        #expect(
            ProbeReason.allCases.filter(\.isICMPError).map(\.text)
                == ["conn-refused", "host-unreach", "net-unreach", "admin-prohibited", "proto-unreach"])
    }

    @Test func profilesMatchScanningMd() throws {
        #expect(ScanConfiguration.default.minTimeout == .milliseconds(100))
        #expect(ScanConfiguration.fast.minTimeout == .milliseconds(50))
        #expect(ScanConfiguration.fast.maxRetries <= 2)
        let rust = try #require(ScanConfiguration.profile(named: "rustscan-equivalent"))
        #expect(rust.maxInFlight == 4500 && rust.maxRetries == 0 && rust.minTimeout == rust.maxTimeout)
    }

    @Test func emptyScanReturnsNothing() throws {
        let result = try ConnectScanner(configuration: .default).run(hosts: [], ports: [80])
        #expect(result.observations.isEmpty)
    }

    @Test func asyncWrapperReturnsTheSynchronousResult() async throws {
        var configuration = ScanConfiguration.default
        configuration.maxInFlight = 0
        let scanner = ConnectScanner(configuration: configuration)
        await #expect(throws: ScanError.self) { try await scanner.scan(hosts: [IPAddress("10.0.0.1")!], ports: [1]) }
        let empty = try await ConnectScanner(configuration: .default).scan(hosts: [], ports: [80])
        #expect(empty.observations.isEmpty && empty.statistics.probesSent == 0)
    }
}
