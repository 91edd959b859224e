import PortwardenCore

extension ServiceDetector {
    /// Async form of ``enrich(_:)-(_)``: runs the blocking probes on their own threads so that the
    /// caller's executor is never blocked.
    public func enrich(_ observations: [Observation]) async -> [Observation] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Observation], Never>) in
            let detector = self
            DetectionSystem.startDetachedThread {
                continuation.resume(returning: detector.enrich(observations))
            }
        }
    }
}
