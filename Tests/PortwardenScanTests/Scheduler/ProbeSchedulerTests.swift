import Foundation
import PortwardenCore
import Testing

@testable import PortwardenScan

/// The scheduling core from synthetic events: no sockets, no root, no clock.
@Suite("Probe scheduler")
struct ProbeSchedulerTests {
    static let codes = ProbeScheduler.Codes(noResponse: 200, hostTimeout: 201, tarpit: 202)
    static let answer: UInt8 = 1
    static let ms: UInt64 = 1_000_000

    static func settings(
        window: Int = 64, perHost: Int = 64, initialPerHost: Int? = nil, retries: Int = 10, rate: Int? = nil,
        perHostRate: Int? = nil, hostTimeout: Int64? = nil, tarpit: TarpitRule? = nil
    ) -> SchedulerSettings {
        var configuration = ScanConfiguration()
        configuration.maxInFlight = window
        configuration.maxInFlightPerHost = perHost
        configuration.initialInFlightPerHost = initialPerHost ?? perHost
        configuration.maxRetries = retries
        configuration.maxRate = rate
        configuration.maxRatePerHost = perHostRate
        configuration.hostTimeout = hostTimeout.map { .microseconds($0) }
        configuration.tarpitRule = tarpit
        return SchedulerSettings(configuration)
    }

    static func scheduler(hosts: Int = 1, ports: Int = 8, _ settings: SchedulerSettings) -> ProbeScheduler {
        ProbeScheduler(
            hostCount: hosts, ports: (0..<ports).map { UInt16(1 + $0) }, settings: settings, codes: codes, seed: 7,
            now: 0)
    }

    /// Takes every `.send` decision at `now` and reports it sent.
    static func sendAll(_ scheduler: inout ProbeScheduler, now: UInt64) -> [PendingProbe] {
        var sent: [PendingProbe] = []
        while case .send(let probe) = scheduler.next(now: now) {
            scheduler.sent(probe, now: now)
            sent.append(probe)
        }
        return sent
    }

    @Test("the permutation visits every (host, port) exactly once and the scan ends when all answered")
    func permutationCoversEverything() {
        var scheduler = Self.scheduler(hosts: 3, ports: 50, Self.settings(window: 1000, perHost: 1000))
        let sent = Self.sendAll(&scheduler, now: 0)
        #expect(Set(sent.map(\.index)) == Set(0..<150))
        #expect(sent.count == 150)
        for probe in sent {
            scheduler.answered(
                index: probe.index, attempt: 0, code: Self.answer, state: .closed, sample: true, now: 1 * Self.ms)
        }
        #expect(scheduler.next(now: 2 * Self.ms) == .done)
        #expect(scheduler.statistics.closed == 150)
        #expect(scheduler.outcome.allSatisfy { $0 == Self.answer })
    }

    @Test("the window and the per-host cap bound what is in flight")
    func windowAndHostCap() {
        var scheduler = Self.scheduler(hosts: 4, ports: 100, Self.settings(window: 10, perHost: 3))
        let sent = Self.sendAll(&scheduler, now: 0)
        #expect(sent.count == 10)
        #expect(scheduler.next(now: 0) == .idle)
        let perHost = Dictionary(grouping: sent, by: { $0.index / 100 }).mapValues(\.count)
        #expect(perHost.values.allSatisfy { $0 <= 3 })
        scheduler.answered(index: sent[0].index, attempt: 0, code: 1, state: .open, sample: true, now: Self.ms)
        #expect(Self.sendAll(&scheduler, now: Self.ms).count == 1)
    }

    /// With every host at its cap and the window not full, the permutation used to move the
    /// whole scan into the hosts' blocked queues (16 bytes a probe); it now waits once
    /// `backlogLimit` probes are held back, and the scan still covers every probe exactly once.
    @Test("probes held back for hosts at their cap are bounded, and the scan still covers everything")
    func blockedBacklogIsBounded() {
        var scheduler = Self.scheduler(hosts: 4, ports: 20_000, Self.settings(window: 64, perHost: 2))
        var seen = Set<Int>()
        var now: UInt64 = 0
        var largestBacklog = 0
        while true {
            let sent = Self.sendAll(&scheduler, now: now)
            largestBacklog = max(largestBacklog, scheduler.blocked.count)
            if sent.isEmpty, scheduler.next(now: now) == .done { break }
            now += Self.ms
            for probe in sent {
                #expect(seen.insert(probe.index).inserted, "probe \(probe.index) sent twice")
                scheduler.answered(
                    index: probe.index, attempt: 0, code: Self.answer, state: .closed, sample: true, now: now)
            }
        }
        #expect(seen.count == 80_000)
        // 16,384 is the floor of the limit (4 × a 64-probe window is less).
        #expect(largestBacklog > 0 && largestBacklog <= 16_384, "\(largestBacklog)")
    }

    @Test("a silent probe is retried once; more only after a retry got an answer on that host")
    func lossDrivenRetries() throws {
        var scheduler = Self.scheduler(hosts: 1, ports: 3, Self.settings(window: 1, retries: 5))
        let first = try #require(Self.sendAll(&scheduler, now: 0).first)
        scheduler.silent(index: first.index, attempt: 0, now: Self.ms)
        var retried: PendingProbe?
        for probe in Self.sendAll(&scheduler, now: 2 * Self.ms) where probe.index == first.index {
            retried = probe
        }
        var retry = try #require(retried)
        #expect(retry.attempt == 1)
        // Drain other probes until the retry shows up again in flight; silence on try 1 concludes it.
        scheduler.silent(index: retry.index, attempt: 1, now: 3 * Self.ms)
        #expect(scheduler.outcome[first.index] == Self.codes.noResponse)
        // An answer to a retransmission is loss evidence: now two retries are allowed.
        var now = 4 * Self.ms
        while case .send(let probe) = scheduler.next(now: now) {
            scheduler.sent(probe, now: now)
            now += Self.ms
            if probe.attempt == 0 {
                scheduler.silent(index: probe.index, attempt: 0, now: now)
            } else {
                retry = probe
                break
            }
        }
        scheduler.answered(index: retry.index, attempt: 1, code: 1, state: .closed, sample: true, now: now)
        #expect(scheduler.hosts[0].bestTry == 1)
    }

    @Test("deadlines come from the host's RTT estimate, the global one before its first sample")
    func deadlines() throws {
        var scheduler = Self.scheduler(hosts: 2, ports: 4, Self.settings(window: 1))
        let probe = try #require(Self.sendAll(&scheduler, now: 0).first)
        #expect(scheduler.expired(now: 999 * Self.ms) == nil)
        #expect(scheduler.expired(now: 1000 * Self.ms) == probe)
        scheduler.silent(index: probe.index, attempt: 0, now: 1000 * Self.ms)
        let second = try #require(Self.sendAll(&scheduler, now: 1000 * Self.ms).first)
        scheduler.answered(
            index: second.index, attempt: second.attempt, code: 1, state: .closed, sample: true,
            now: 1002 * Self.ms)
        let host = second.index / 4
        // One 2 ms sample: srtt 2 ms, rttvar 5 ms → 22 ms, clamped up to the 100 ms floor.
        #expect(scheduler.timeout(host: host) == 100_000)
        #expect(scheduler.timeout(host: 1 - host) == 100_000)  // the global estimator
    }

    @Test("one RFC 6298 estimator: RTTVAR uses the deviation from the previous SRTT")
    func estimator() {
        var rtt = RTTEstimator(initial: 1_000_000, minimum: 100_000, maximum: 10_000_000)
        rtt.add(sample: 2_000)
        #expect(rtt.srtt == 2_000)
        #expect(rtt.rttvar == 5_000)
        rtt.add(sample: 10_000)
        #expect(rtt.srtt == 3_000)
        #expect(rtt.rttvar == 5_000 + (8_000 - 5_000) / 4)
        #expect(rtt.add(sample: -1) == false)
        #expect(rtt.add(sample: 9_000_000) == false)
    }

    @Test("the global token bucket starts with one token, paces, and caps its burst")
    func globalBucket() throws {
        var scheduler = Self.scheduler(hosts: 1, ports: 100, Self.settings(window: 100, rate: 10))
        guard case .send(let first) = scheduler.next(now: 0) else {
            Issue.record("the first probe must go at once")
            return
        }
        scheduler.sent(first, now: 0)
        guard case .wait(let until) = scheduler.next(now: 0) else {
            Issue.record("the second probe must wait for a token")
            return
        }
        #expect(until > 0 && until <= 100 * Self.ms + 1)
        // After ten idle seconds the burst is capped (max(1, rate/100) = 1): one probe, then wait.
        #expect(Self.sendAll(&scheduler, now: 10_000 * Self.ms).count == 1)
    }

    @Test("a paced host waits for its own bucket while another host keeps going")
    func perHostRate() {
        var scheduler = Self.scheduler(hosts: 2, ports: 50, Self.settings(window: 100, perHostRate: 1))
        let sent = Self.sendAll(&scheduler, now: 0)
        #expect(sent.count == 2)
        #expect(Set(sent.map { $0.index / 50 }) == [0, 1])
        guard case .wait(let until) = scheduler.next(now: 0) else {
            Issue.record("paced hosts must report when their next token comes")
            return
        }
        #expect(until >= 999 * Self.ms && until <= 1001 * Self.ms)
    }

    @Test("local pressure requeues the probe and shrinks the window by 10 %")
    func pressure() throws {
        var scheduler = Self.scheduler(hosts: 1, ports: 100, Self.settings(window: 100, perHost: 100))
        guard case .send(let probe) = scheduler.next(now: 0) else {
            Issue.record("the first probe must go at once")
            return
        }
        scheduler.pressure(probe, now: 0)
        #expect(scheduler.window == 90)
        #expect(scheduler.statistics.requeued == 1)
        #expect(scheduler.idlePressureRounds == 1)
        let sent = Self.sendAll(&scheduler, now: Self.ms)
        #expect(sent.count == 90)
        #expect(sent.contains(probe))
    }

    @Test("a host past the host timeout concludes host-timeout; answers after that change nothing")
    func hostTimeout() {
        var scheduler = Self.scheduler(hosts: 1, ports: 10, Self.settings(window: 2, hostTimeout: 50_000))
        let sent = Self.sendAll(&scheduler, now: 0)
        scheduler.checkHostTimeouts(now: 60 * Self.ms)
        #expect(scheduler.isDone)
        #expect(scheduler.outcome.allSatisfy { $0 == Self.codes.hostTimeout })
        #expect(scheduler.statistics.hostsTimedOut == 1)
        scheduler.answered(index: sent[0].index, attempt: 0, code: 1, state: .open, sample: true, now: 61 * Self.ms)
        #expect(scheduler.outcome[sent[0].index] == Self.codes.hostTimeout)
        // The other try stays in flight until the transport reports it (its socket must close).
        #expect(scheduler.inFlight == 1)
        scheduler.silent(index: sent[1].index, attempt: 0, now: 62 * Self.ms)
        #expect(scheduler.inFlight == 0)
        #expect(scheduler.outcome[sent[1].index] == Self.codes.hostTimeout)
    }

    @Test("a host answering SYN-ACK on nearly every high port is flagged as a tarpit")
    func tarpit() {
        let rule = TarpitRule(minimumAnswers: 16, openPercent: 90, minimumHighPorts: 32, highPortFloor: 1)
        var scheduler = Self.scheduler(
            hosts: 1, ports: 64, Self.settings(window: 8, perHost: 8, tarpit: rule))
        var answered = 0
        var now: UInt64 = 0
        while case .send = scheduler.next(now: now), !scheduler.isDone {
            for probe in Self.sendAll(&scheduler, now: now) {
                now += Self.ms
                scheduler.answered(
                    index: probe.index, attempt: 0, code: 1, state: .open, sample: true, now: now)
                answered += 1
            }
        }
        #expect(scheduler.tarpitHosts == [0])
        #expect(answered >= 16 && answered < 64)
        #expect(scheduler.outcome.count(where: { $0 == Self.codes.tarpit }) == 64 - answered)
    }

    @Test("a host's cap grows with stable answers, ignores silence and halves on real loss")
    func adaptiveCap() {
        var scheduler = Self.scheduler(
            hosts: 1, ports: 4000, Self.settings(window: 4000, perHost: 1000, initialPerHost: 100))
        var now: UInt64 = 0
        var sent = Self.sendAll(&scheduler, now: now)
        #expect(sent.count == 100)
        for probe in sent.prefix(50) {
            scheduler.silent(index: probe.index, attempt: 0, now: now)
        }
        #expect(scheduler.hosts[0].cap == 100)
        for probe in sent.suffix(50) {
            now += Self.ms
            scheduler.answered(index: probe.index, attempt: 0, code: 1, state: .closed, sample: true, now: now + 1)
        }
        #expect(scheduler.hosts[0].cap >= 150)
        sent = Self.sendAll(&scheduler, now: now)
        let retry = sent.first(where: { $0.attempt == 1 })
        if let retry {
            let cap = scheduler.hosts[0].cap
            scheduler.answered(index: retry.index, attempt: 1, code: 1, state: .closed, sample: true, now: now + 2)
            #expect(scheduler.hosts[0].cap == cap / 2)
        } else {
            Issue.record("the silent probes must come back as retries")
        }
    }

    @Test("the first answer wins; a duplicate or late answer changes nothing")
    func firstAnswerWins() throws {
        var scheduler = Self.scheduler(hosts: 1, ports: 2, Self.settings(window: 2))
        let probe = try #require(Self.sendAll(&scheduler, now: 0).first)
        scheduler.answered(index: probe.index, attempt: 0, code: 1, state: .open, sample: true, now: Self.ms)
        scheduler.answered(index: probe.index, attempt: 0, code: 2, state: .closed, sample: true, now: 2 * Self.ms)
        #expect(scheduler.outcome[probe.index] == 1)
        #expect(scheduler.statistics.open == 1)
        #expect(scheduler.statistics.closed == 0)
    }
}
