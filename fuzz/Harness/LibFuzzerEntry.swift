#if canImport(Glibc)
import Glibc
#endif

/// The target the process fuzzes, chosen once in ``FuzzMain/main()`` before libFuzzer starts.
nonisolated(unsafe) private var selectedTarget: (any FuzzTarget.Type)?

/// libFuzzer's per-input entry point: copies the input and hands it to the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget?.run(input)
    return 0
}

/// libFuzzer's driver (`-sanitize=fuzzer` links it): parses libFuzzer's flags and runs the inputs.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// `portwarden-fuzz TARGET [libFuzzer flags and corpus folders…]`: selects the target by its name,
/// then hands the remaining arguments to libFuzzer.
@main
enum FuzzMain {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = FuzzTargets.named(arguments[1]) else {
            let names = FuzzTargets.all.map { $0.name }.joined(separator: " ")
            let message = "usage: portwarden-fuzz TARGET [libFuzzer arguments]\ntargets: \(names)\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        selectedTarget = target
        var driverArguments: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map {
            strdup($0)
        }
        driverArguments.append(nil)
        var argc = CInt(driverArguments.count - 1)
        let status = driverArguments.withUnsafeMutableBufferPointer { buffer in
            var argv = buffer.baseAddress
            return withUnsafeMutablePointer(to: &argv) { runDriver(&argc, $0, fuzzerTestOneInput) }
        }
        exit(status)
    }
}
