import PortwardenCore

extension ScanPipeline {
    /// Runs the pipeline on a thread of its own and streams what it finds; ending the iteration
    /// (or cancelling the consuming task) raises `cancellation`.
    ///
    /// The thread is created by the calling thread and inherits its network namespace; from an
    /// async context that is a thread of the cooperative pool, i.e. the process's namespace
    /// (callers that joined another namespace use ``run(cancellation:events:observe:)``).
    /// Elements are buffered until consumed.
    public func events(
        cancellation: ScanCancellation = ScanCancellation()
    ) -> AsyncThrowingStream<
        ScanStreamElement, any Error
    > {
        AsyncThrowingStream { continuation in
            continuation.onTermination = { termination in
                if case .cancelled = termination { cancellation.cancel() }
            }
            let started = Kernel.detachThread {
                do {
                    let outcome = try self.run(
                        cancellation: cancellation, events: { continuation.yield(.event($0)) },
                        observe: { continuation.yield(.observation($0)) })
                    continuation.yield(.finished(outcome))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            if !started { continuation.finish(throwing: ScanError(.thread, "could not start the scanning thread")) }
        }
    }
}
