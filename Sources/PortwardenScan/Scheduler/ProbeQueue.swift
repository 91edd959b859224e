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
