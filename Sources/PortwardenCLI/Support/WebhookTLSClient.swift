import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PortwardenCore
import PortwardenMonitor
import Synchronization

/// One https attempt of the webhook sink at a time, from the sink's own thread: connect, TLS handshake
/// with the receiver's certificate verified (the chain against the system's trust store, or only the CA
/// bundle given; the certificate must name the URL's IP address), send the request, read the status line,
/// all within the attempt's timeout. There is no way to turn verification off.
final class WebhookTLSClient: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let context: NIOSSLContext
    /// What the certificate is verified against, for the messages.
    private let trusted: String

    /// - Parameter caFile: a PEM file of the CA certificates to trust instead of the system's.
    /// - Throws: `CLIFailure.input` when the CA file cannot be read or holds no certificate.
    init(caFile: String?) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw CLIFailure.input("--webhook-ca \(caFile): not a readable PEM file of CA certificates (\(error))")
            }
            guard !certificates.isEmpty else {
                throw CLIFailure.input("--webhook-ca \(caFile): no certificate in the file")
            }
            configuration.trustRoots = .certificates(certificates)
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw CLIFailure.runtime("cannot set up TLS for the webhook: \(error)")
        }
        trusted = caFile.map { "the CA certificates of \($0)" } ?? "the system's trust store"
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// What one attempt came to: the receiver's answer, or why there is none.
    enum Answer {
        case response(WebhookResponse)
        case failure(String)
    }

    /// Posts `request` to `url` and waits for the status line, at most `timeout` seconds in all.
    func post(_ url: WebhookURL, _ request: [UInt8], timeout: Double) -> Answer {
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: url.address.description, port: Int(url.port))
        } catch {
            return .failure("cannot connect (\(error))")
        }
        let limit = TimeAmount.milliseconds(Int64(timeout * 1000))
        let promise = group.next().makePromise(of: WebhookResponse.self)
        let context = self.context
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(limit)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // No server name: the URL holds an IP literal, which NIOSSL checks against the certificate's
                    // IP subject alternative names.
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(StatusLineReader(promise: promise))
                }
            }
        let finished = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<WebhookResponse, any Error>?>(nil)
        promise.futureResult.whenComplete { result in
            outcome.withLock { $0 = result }
            finished.signal()
        }
        let channel: any Channel
        do {
            channel = try bootstrap.connect(to: address).wait()
        } catch {
            promise.fail(error)
            return .failure("cannot connect (\(error))")
        }
        channel.writeAndFlush(ByteBuffer(bytes: request), promise: nil)
        let inTime = finished.wait(timeout: .now() + timeout) == .success
        channel.close(promise: nil)
        guard inTime, let result = outcome.withLock({ $0 }) else {
            return .failure("no answer within \(timeout) s")
        }
        switch result {
        case .success(let response): return .response(response)
        case .failure(let error as NIOSSLExtraError) where error == .failedToValidateHostname:
            return .failure(
                "TLS handshake refused: the receiver's certificate does not name \(url.address) "
                    + "(no matching IP subject alternative name)")
        case .failure(let error as NIOSSLError):
            if "\(error)".contains("CERTIFICATE_VERIFY_FAILED") {
                return .failure(
                    "TLS handshake refused: the receiver's certificate does not verify against \(trusted) (\(error))")
            }
            return .failure("TLS handshake failed (\(error))")
        case .failure(let error): return .failure("\(error)")
        }
    }

    /// Stops the event loop (not from one of its threads).
    func shutdown() { try? group.syncShutdownGracefully() }
}

/// Collects the decrypted answer until its status line is complete and completes the promise once.
private final class StatusLineReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<WebhookResponse>
    private var answer: [UInt8] = []
    private var completed = false

    init(promise: EventLoopPromise<WebhookResponse>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        answer += buffer.readBytes(length: buffer.readableBytes) ?? []
        do {
            if let response = try WebhookResponse.parse(answer) { complete(.success(response), context) }
        } catch {
            complete(.failure(error), context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { complete(.failure(error), context) }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(ClosedWithoutAnswer()), context)
        context.fireChannelInactive()
    }

    private func complete(_ result: Result<WebhookResponse, any Error>, _ context: ChannelHandlerContext) {
        guard !completed else { return }
        completed = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}

private struct ClosedWithoutAnswer: Error, CustomStringConvertible {
    var description: String { "the receiver closed without an answer" }
}
