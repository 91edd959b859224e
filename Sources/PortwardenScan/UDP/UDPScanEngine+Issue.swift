import PortwardenCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension UDPScanEngine {
    /// Sends probes while the window, the global bucket and the per-host buckets allow, visiting
    /// hosts round-robin so that consecutive probes hit different hosts.
    /// - Returns: nanoseconds until a bucket allows the next probe, or `nil` when nothing waits on
    ///   a bucket.
    /// - Throws: ``ScanError`` when the network is down or no socket can be opened at all.
    func issue() throws(ScanError) -> UInt64? {
        while inFlight.count < window, pendingProbes > 0 {
            let now = Kernel.monotonicNanoseconds()
            if var bucket = globalBucket {
                let wait = bucket.wait(now: now)
                globalBucket = bucket
                if wait > 0 { return wait }
            }
            guard let index = nextReadyHost(now: now) else { return hostWait(now: now) }
            _ = globalBucket?.take(now: now)
            _ = hosts[index].bucket?.take(now: now)
            let probe = hosts[index].queue[hosts[index].head]
            hosts[index].head += 1
            pendingProbes -= 1
            if hosts[index].head > 1024, hosts[index].head * 2 > hosts[index].queue.count {
                hosts[index].queue.removeFirst(hosts[index].head)
                hosts[index].head = 0
            }
            try send(probe, now: now)
        }
        return nil
    }

    /// The next host, from the cursor on, with a probe queued and its per-host bucket ready.
    private func nextReadyHost(now: UInt64) -> Int? {
        guard !hosts.isEmpty else { return nil }
        for step in 0..<hosts.count {
            let index = (cursor + step) % hosts.count
            guard hosts[index].hasPending else { continue }
            if var bucket = hosts[index].bucket {
                let wait = bucket.wait(now: now)
                hosts[index].bucket = bucket
                if wait > 0 { continue }
            }
            cursor = (index + 1) % hosts.count
            return index
        }
        return nil
    }

    /// The shortest wait of a per-host bucket among hosts with queued probes.
    private func hostWait(now: UInt64) -> UInt64? {
        var shortest: UInt64?
        for index in hosts.indices where hosts[index].hasPending {
            guard var bucket = hosts[index].bucket else { continue }
            let wait = bucket.wait(now: now)
            hosts[index].bucket = bucket
            shortest = min(shortest ?? wait, wait)
        }
        return shortest
    }

    /// Puts a probe back at the front of its host's queue (local pressure, not a port state).
    func requeueFront(_ probe: Probe) {
        let host = probe.host
        if hosts[host].head > 0 {
            hosts[host].head -= 1
            hosts[host].queue[hosts[host].head] = probe
        } else {
            hosts[host].queue.insert(probe, at: 0)
        }
        pendingProbes += 1
        statistics.requeued += 1
    }

    /// Puts a silent probe at the back of its host's queue for its next try.
    func requeueBack(_ probe: Probe) {
        hosts[probe.host].queue.append(probe)
        pendingProbes += 1
    }

    /// Opens the probe's socket, connects it (unless the protocol answers from another port),
    /// sends its datagrams and registers it.
    func send(_ probe: Probe, now: UInt64) throws(ScanError) {
        let address = hosts[probe.host].address
        let fd = Kernel.openUDPSocket(ipv6: !address.isIPv4)
        guard fd >= 0 else { return try socketFailed(probe, errno: -fd) }
        let cookie = cookie(for: probe)
        let datagrams = datagrams(for: probe.port, cookie: cookie)
        let connected = !UDPPayloads.repliesFromOtherPort(probe.port) || !configuration.protocolPayloads
        var code =
            connected
            ? Kernel.connect(fd, to: address, port: probe.port)
            : Kernel.bindEphemeral(fd, ipv6: !address.isIPv4)
        if code == 0 {
            for datagram in datagrams {
                code =
                    connected
                    ? Kernel.send(fd, datagram)
                    : datagram.withUnsafeBytes { Kernel.sendTo(fd, $0, address: address, port: probe.port) }
                if code != 0 { break }
                statistics.datagramsSent += 1
            }
        }
        if code != 0 {
            Kernel.close(fd)
            return try sendFailed(probe, errno: code)
        }
        statistics.probesSent += 1
        if probe.tries > 0 { statistics.retries += 1 }
        let addCode = epoll.add(fd, events: Epoll.datagramEvents)
        if addCode != 0 {
            Kernel.close(fd)
            return try socketFailed(probe, errno: addCode)
        }
        inFlight[fd] = InFlight(
            probe: probe, cookie: cookie, sentAt: now, deadline: now + timeout(host: probe.host),
            expectedReplies: max(1, datagrams.count), connected: connected)
        statistics.peakInFlight = max(statistics.peakInFlight, inFlight.count)
    }

    /// The datagrams for a port: its protocol requests, or one empty datagram.
    func datagrams(for port: UInt16, cookie: UInt16) -> [[UInt8]] {
        guard configuration.protocolPayloads else { return [[]] }
        let payloads = UDPPayloads.payloads(
            for: port, communities: configuration.snmpCommunities, cookie: cookie,
            recursionName: configuration.dnsRecursionName)
        return payloads.isEmpty ? [[]] : payloads
    }

    /// `socket()` or `epoll_ctl` failed: shrink the window by 10 % and requeue (EMFILE/ENFILE/ENOBUFS),
    /// or stop when not even one socket can be opened.
    private func socketFailed(_ probe: Probe, errno code: Int32) throws(ScanError) {
        requeueFront(probe)
        if inFlight.isEmpty {
            throw ScanError(
                .resources,
                "no UDP socket could be opened (\(Kernel.describe(errno: code))); raise `ulimit -n` or lower the window"
            )
        }
        window = max(1, min(window, inFlight.count) * 9 / 10)
        statistics.smallestWindow = min(statistics.smallestWindow, window)
    }

    /// `connect()`/`send()` failed: a port state when the errno is one (no route, refused,
    /// local firewall), a requeue when it is local pressure, the end of the scan on `ENETDOWN`.
    private func sendFailed(_ probe: Probe, errno code: Int32) throws(ScanError) {
        if code == Kernel.Errno.networkDown {
            throw ScanError(.networkDown, "the local network went down (\(Kernel.describe(errno: code)))")
        }
        if let verdict = UDPVerdict.classify(errno: code) {
            record(probe, Outcome(verdict: verdict, service: nil, handshakes: [:], time: Date()))
            return
        }
        try socketFailed(probe, errno: code)
    }

    /// Stores a port's conclusion.
    func record(_ probe: Probe, _ outcome: Outcome) {
        outcomes[probe.host << 16 | Int(probe.port)] = outcome
    }
}
