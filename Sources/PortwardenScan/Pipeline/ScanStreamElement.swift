import PortwardenCore

/// One element of ``ScanPipeline/events(cancellation:)``.
public enum ScanStreamElement: Sendable {
    /// A notice, warning or progress report.
    case event(ScanEvent)
    /// A kept observation.
    case observation(Observation)
    /// The run ended (last element): the record and counters.
    case finished(ScanOutcome)
}
