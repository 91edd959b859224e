import Dispatch
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How evaluation spreads work over threads, the same way wherever it does: `0..<count` cut into
/// contiguous ranges, each mapped on its own thread (`DispatchQueue.concurrentPerform`), the
/// results handed back in range order.
enum ParallelRanges {
    /// How many ranges to cut `count` items into: 1 unless `enabled` and the machine has more
    /// than one core; otherwise one per `minimumPerPart` items, at most one per core and at most
    /// `maximum`.
    static func parts(_ count: Int, enabled: Bool, minimumPerPart: Int, maximum: Int = .max) -> Int {
        guard enabled else { return 1 }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return min(maximum, max(1, cores), max(1, count / minimumPerPart))
    }

    /// `body` of each of `parts` contiguous ranges of `0..<count`, in range order; with one part,
    /// on the calling thread.
    static func map<T: Sendable>(_ count: Int, parts: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        guard parts > 1 else { return [body(0..<count)] }
        let results = Mutex<[T?]>(Array(repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let value = body(count * part / parts..<count * (part + 1) / parts)
            results.withLock { $0[part] = value }
        }
        // Taken out of the mutex, not copied: the caller may grow the first result in place.
        return results.withLock { slots in
            let taken = slots
            slots = []
            return taken.compactMap { $0 }
        }
    }
}
