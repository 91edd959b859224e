import PortwardenCore

extension ScanPipeline {
    /// The TCP port scan of every live target, streamed host by host in port order.
    func scanTCP(
        _ run: inout PipelineRun, cancellation: ScanCancellation, events: (ScanEvent) -> Void,
        observe: (Observation) throws -> Void
    ) throws {
        let targets = run.scanTargets
        guard !targets.isEmpty else { return }
        var statistics: ScanStatistics
        if plan.syn, let reason = SYNScanner.unavailableReason(hosts: targets) {
            events(.warning("--syn: \(reason); using the connect scan instead"))
        }
        if plan.syn, SYNScanner.unavailableReason(hosts: targets) == nil {
            run.engine = "syn"
            let result = try SYNScanner(configuration: plan.connect, logger: logger).run(
                hosts: targets, ports: plan.tcpPorts, cancellation: cancellation)
            statistics = result.statistics
            for var observation in result.observations {
                run.record(&observation)
                if plan.keeps(observation) { try observe(observation) }
            }
        } else {
            let scanner = ConnectScanner(configuration: plan.connect, logger: logger)
            statistics = try withoutActuallyEscaping(events) { events in
                try scanner.run(
                    hosts: targets, ports: plan.tcpPorts, progress: { events(.progress($0)) },
                    cancellation: cancellation,
                    observe: { observation in
                        var observation = observation
                        run.record(&observation)
                        if plan.keeps(observation) { try observe(observation) }
                    })
            }
            events(.progressEnd)
        }
        run.probesSent += statistics.probesSent
        run.markUnroutable(statistics.unroutableHosts)
        for host in statistics.tarpitHosts {
            events(
                .warning(
                    "\(host) answers on (nearly) every port: flagged as a tarpit or SYN proxy; its unprobed ports "
                        + "are kept as filtered/tarpit, not open"))
        }
        run.tcpStatistics = statistics
        run.finishedTCP = !statistics.interrupted
    }

    /// The UDP pass over every live target.
    func scanUDP(
        _ run: inout PipelineRun, cancellation: ScanCancellation, events: (ScanEvent) -> Void,
        observe: (Observation) throws -> Void
    ) throws {
        let targets = run.scanTargets
        guard !targets.isEmpty else { return }
        let configuration = plan.udp
        let rate = configuration.maxRate.map { "\($0)/s" } ?? "no cap"
        let perHost = configuration.perHostRate.map { "\($0)/s per host" } ?? "no per-host pacing"
        events(
            .notice(
                "UDP: \(targets.count) targets × \(plan.udpPorts.count) ports, rate \(rate), \(perHost), "
                    + "window \(configuration.maxInFlight)"))
        let result: UDPScanResult
        do {
            result = try UDPScanner(configuration: configuration).run(
                hosts: targets, ports: plan.udpPorts, shouldStop: { cancellation.isCancelled })
        } catch is CancellationError {
            return
        }
        run.probesSent += result.statistics.datagramsSent
        if configuration.perHostRate == nil, let warning = UDPRateLimitHint.warning(result.observations) {
            events(.warning(warning))
        }
        for var observation in result.observations {
            run.record(&observation)
            if plan.keeps(observation) { try observe(observation) }
        }
        run.finishedUDP = true
    }
}
