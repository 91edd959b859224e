import PortwardenCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The module's only platform shim: reads a file with a bound on how much is read, so that a huge
/// file or a device such as /dev/zero fails fast instead of exhausting memory.
enum PolicyFileReader {
    enum Outcome {
        case bytes([UInt8])
        case tooLarge
        case failed(String)
    }

    /// Reads at most `limit` bytes; `.tooLarge` when the file holds more.
    static func read(path: String, limit: Int) -> Outcome {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failed(describe(errno)) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { return .failed("it is a directory") }
            if Int(info.st_size) > limit { return .tooLarge }
        }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                systemRead(fd, buffer.baseAddress, buffer.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(describe(errno))
            }
            if count == 0 { return .bytes(result) }
            result.append(contentsOf: chunk[0..<count])
            if result.count > limit { return .tooLarge }
        }
    }

    private static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// `read(2)`, named apart from `PolicyFileReader.read(path:limit:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
