import PortwardenCore

/// One TCP connection used by one probe: connect and read deadlines, closed when released.
///
/// Not shared between threads: each probe opens, uses and drops its own connection.
final class ProbeConnection {
    /// Why a probe connection could not be opened.
    enum OpenFailure: Error {
        case refused
        case timedOut
        case failed(errno: Int32)
    }

    private let fd: Int32
    private let readTimeoutMilliseconds: Int
    /// Whether the peer has closed its side (end of stream seen).
    private(set) var peerClosed = false
    /// Upper bound on bytes kept from one reply, so that a chatty service cannot exhaust memory.
    static let maximumReply = 64 * 1024

    private init(fd: Int32, readTimeoutMilliseconds: Int) {
        self.fd = fd
        self.readTimeoutMilliseconds = readTimeoutMilliseconds
    }

    private var closed = false

    deinit { close() }

    /// Closes the connection now; safe to call twice.
    func close() {
        guard !closed else { return }
        closed = true
        DetectionSystem.closeSocket(fd)
    }

    /// Connects to `host`:`port` within the configuration's connect timeout.
    static func open(
        host: IPAddress, port: UInt16, configuration: DetectionConfiguration
    ) -> Result<
        ProbeConnection, OpenFailure
    > {
        let connectMilliseconds = configuration.connectTimeout.milliseconds
        switch DetectionSystem.connect(host: host, port: port, timeoutMilliseconds: connectMilliseconds) {
        case .connected(let fd):
            return .success(
                ProbeConnection(fd: fd, readTimeoutMilliseconds: configuration.readTimeout.milliseconds))
        case .timedOut:
            return .failure(.timedOut)
        case .failed(let code):
            return .failure(DetectionSystem.isRefused(code) ? .refused : .failed(errno: code))
        }
    }

    /// Sends all of `bytes` before the read deadline; returns false when the peer is gone or slow.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(readTimeoutMilliseconds)
        var offset = 0
        while !closed, offset < bytes.count {
            let sent = DetectionSystem.send(fd: fd, bytes[offset...])
            if sent > 0 {
                offset += sent
                continue
            }
            let left = Self.millisecondsLeft(until: deadline)
            guard sent < 0, left > 0 else { return false }
            guard
                case .ready = DetectionSystem.poll(fd: fd, events: DetectionSystem.writable, timeoutMilliseconds: left)
            else {
                return false
            }
        }
        return !closed
    }

    /// Sends ASCII text.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until `isComplete` says the reply is whole, the peer closes, the reply grows past
    /// ``maximumReply``, or `timeout` (default: the read timeout) passes. Returns what arrived.
    func receive(
        timeout: Duration? = nil, appendingTo initial: [UInt8] = [], until isComplete: ([UInt8]) -> Bool
    ) -> [UInt8] {
        var reply = initial
        let wait = timeout?.milliseconds ?? readTimeoutMilliseconds
        let deadline = ContinuousClock.now + .milliseconds(wait)
        while !closed, !peerClosed, reply.count < Self.maximumReply, !isComplete(reply) {
            let left = Self.millisecondsLeft(until: deadline)
            guard left > 0 else { break }
            guard
                case .ready = DetectionSystem.poll(fd: fd, events: DetectionSystem.readable, timeoutMilliseconds: left)
            else {
                break
            }
            guard let (bytes, wouldBlock) = DetectionSystem.receive(fd: fd, capacity: 16 * 1024) else {
                peerClosed = true
                break
            }
            if wouldBlock { continue }
            if bytes.isEmpty {
                peerClosed = true
                break
            }
            reply += bytes
        }
        return reply
    }

    /// Reads until a line ending (`\n`) has arrived.
    func receiveLine(timeout: Duration? = nil) -> [UInt8] {
        receive(timeout: timeout) { $0.contains(10) }
    }

    private static func millisecondsLeft(until deadline: ContinuousClock.Instant) -> Int {
        let left = ContinuousClock.now.duration(to: deadline)
        return left <= .zero ? 0 : max(1, left.milliseconds)
    }
}

extension Duration {
    /// The duration in whole milliseconds, saturating at `Int.max`.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return seconds < 0 ? 0 : Int.max }
        return max(0, Int(clamping: total.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
