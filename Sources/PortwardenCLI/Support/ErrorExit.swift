import Foundation
import PortwardenCore
import PortwardenEnforce
import PortwardenHost
import PortwardenMonitor
import PortwardenScan
import PortwardenStore

/// The one mapping from an error to the exit code and the message the user reads
/// (ARCHITECTURE.md, "The command line"): every input problem, wherever a command meets it, is 2;
/// a scan that could not run for lack of resources or a network is 3.
enum ErrorExit {
    /// The exit status for `error`.
    static func status(of error: any Error) -> ExitStatus {
        switch error {
        case let failure as CLIFailure: return failure.status
        case let scan as ScanError:
            // A configuration the engine cannot run, or a request larger than one run, is the user's
            // input; the network going down or the kernel refusing sockets is not.
            switch scan.code {
            case .configuration, .tooLarge: return .usage
            case .networkDown, .eventLoop, .thread, .resources: return .runtime
            }
        case let store as StoreError: return StoreFailure.map(store).status
        case is Diagnostic, is TargetError, is ScopeError,
            is PortList.ParseError, is PortSpec.ParseError, is EnforceError, is JSONParser.SyntaxError,
            is DecodingError:
            return .usage
        default: return .runtime
        }
    }

    /// What to print for `error` (without the `portwarden: ` prefix), in the user's words.
    static func message(of error: any Error) -> String {
        switch error {
        case let decoding as DecodingError: return DecodingText.describe(decoding)
        case let store as StoreError: return StoreFailure.map(store).message
        default: return "\(error)"
        }
    }
}
