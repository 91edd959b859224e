import PortwardenCore
import PortwardenHost

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Turns listeners into observations with the host address a policy can judge.
///
/// A wildcard listener is open on every address of its namespace, so in this process's own
/// namespace it becomes one observation per local address of its family (loopback included);
/// `--host` replaces all of that with one named address.
enum ListenerObservations {
    static func make(_ listeners: [Listener], host: IPAddress?, vantage: String?, at time: Date) -> [Observation] {
        if let host { return listeners.map { $0.observation(at: time, host: host, vantage: vantage) } }
        let ownNamespace = currentNamespaceInode()
        let local = LocalAddresses.all()
        var out: [Observation] = []
        for listener in listeners {
            if listener.bind == .wildcard, listener.namespace.inode == ownNamespace {
                let family = local.filter { $0.isIPv4 == listener.address.isIPv4 }
                if !family.isEmpty {
                    out += family.map { listener.observation(at: time, host: $0, vantage: vantage) }
                    continue
                }
            }
            out.append(listener.observation(at: time, host: nil, vantage: vantage))
        }
        return out
    }

    /// The inode of this thread's network namespace (from /proc/self/ns/net).
    static func currentNamespaceInode() -> UInt64? {
        var buffer = [CChar](repeating: 0, count: 128)
        let n = readlink("/proc/self/ns/net", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let open = text.firstIndex(of: "["), let close = text.lastIndex(of: "]") else { return nil }
        return UInt64(text[text.index(after: open)..<close])
    }
}
