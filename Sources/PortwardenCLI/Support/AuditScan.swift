import PortwardenCore
import PortwardenScan

/// The scanning half of `audit`: the library's scan pipeline (route check, host discovery, the
/// full port scan of the live hosts, UDP, service detection) with its events on stderr.
struct AuditScan {
    var plan: ScanPlan

    struct Outcome {
        /// Open ports in full, closed/filtered ones only where the policy declares a port.
        var observations: [Observation]
        var record: ScanRecord
        var probesSent: Int
    }

    func run(cancellation: ScanCancellation, statsEvery: Duration?) throws -> Outcome {
        var observations: [Observation] = []
        let outcome = try PipelineEvents.run(
            ScanPipeline(plan: plan), cancellation: cancellation, statsEvery: statsEvery
        ) {
            observations.append($0)
        }
        return Outcome(observations: observations, record: outcome.record, probesSent: outcome.probesSent)
    }
}

/// Prints the pipeline's events the way the CLI does: notices and warnings as `portwarden: …`
/// lines, progress as one rewritten line on a terminal or a line every `statsEvery` otherwise.
enum PipelineEvents {
    static func run(
        _ pipeline: ScanPipeline, cancellation: ScanCancellation, statsEvery: Duration? = nil,
        observe: (Observation) throws -> Void
    ) throws -> ScanOutcome {
        var printer = ProgressPrinter(statsEvery: statsEvery)
        do {
            return try pipeline.run(
                cancellation: cancellation,
                events: { event in
                    switch event {
                    case .notice(let text): printer.line("portwarden: " + text)
                    case .warning(let text): printer.line("portwarden: " + text)
                    case .progress(let progress): printer.progress(progress)
                    case .progressEnd: printer.end()
                    }
                }, observe: observe)
        } catch {
            // ErrorExit maps the error: a configuration the engine refuses is input (2), a network
            // or resource failure is runtime (3).
            printer.end()
            throw error
        }
    }
}

/// The progress line: rewritten in place on a terminal, one plain line every `statsEvery` when
/// stderr is not a terminal (and nothing without `--stats-every`).
struct ProgressPrinter {
    let statsEvery: Duration?
    let terminal = Terminal.stderrIsTerminal
    private var showing = false
    private var lastPlain: Duration?

    init(statsEvery: Duration?) {
        self.statsEvery = statsEvery
    }

    mutating func line(_ text: String) {
        end()
        Terminal.writeError(text)
    }

    mutating func progress(_ progress: ScanProgress) {
        if terminal {
            Terminal.writeProgress(progress)
            showing = true
            return
        }
        guard let statsEvery else { return }
        let now = ContinuousClock.now - ProgressPrinter.origin
        if let lastPlain, now - lastPlain < statsEvery, progress.done < progress.total { return }
        lastPlain = now
        Terminal.writeError("portwarden: stats: " + Terminal.progressText(progress))
    }

    mutating func end() {
        if showing { Terminal.clearProgress() }
        showing = false
    }

    private static let origin = ContinuousClock.now
}
