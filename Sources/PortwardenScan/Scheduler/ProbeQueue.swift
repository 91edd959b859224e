import PortwardenCore

/// A probe waiting to be sent: its index in the (host × port) space and how many tries it had.
struct PendingProbe: Sendable, Hashable {
    var index: Int
    var attempt: Int
}

/// A FIFO of pending probes (retries, requeues, probes released from a full host) with O(1)
/// amortised push and pop.
struct ProbeQueue {
    private var items: [PendingProbe] = []
    private var head = 0

    var isEmpty: Bool { head >= items.count }
    var count: Int { items.count - head }

    mutating func push(_ probe: PendingProbe) { items.append(probe) }

    mutating func pop() -> PendingProbe? {
        guard head < items.count else { return nil }
        let probe = items[head]
        head += 1
        if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return probe
    }
}

/// The probes held back per host (the host is at its in-flight cap, or its bucket has no token),
/// with their total count, which bounds how far the permutation may run ahead of the hosts.
struct BlockedProbes {
    private var queues: [Int: ProbeQueue] = [:]
    /// Probes held back, over all hosts.
    private(set) var count = 0

    /// The hosts with probes held back.
    var hosts: Dictionary<Int, ProbeQueue>.Keys { queues.keys }

    mutating func push(_ probe: PendingProbe, host: Int) {
        queues[host, default: ProbeQueue()].push(probe)
        count += 1
    }

    /// The oldest probe held back for `host`.
    mutating func pop(host: Int) -> PendingProbe? {
        guard let probe = queues[host]?.pop() else { return nil }
        count -= 1
        if queues[host]?.isEmpty == true { queues[host] = nil }
        return probe
    }

    /// Drops every probe held back for `host` (an abandoned host).
    mutating func removeAll(host: Int) {
        count -= queues[host]?.count ?? 0
        queues[host] = nil
    }
}
