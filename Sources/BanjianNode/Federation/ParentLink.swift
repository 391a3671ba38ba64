import BanjianDomain
import BanjianStore
import BanjianWire
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// The child end of the link to the parent: dials over mutual TLS (checking that the parent's
/// certificate carries the configured parent code), keeps one `Link` stream open, and redials
/// with exponential backoff and jitter whenever it ends. The node goes on serving and queuing
/// while the link is down.
struct ParentLink: Service {
    let context: LinkContext
    let parent: NodeCode
    let address: HostPort
    let certificatePath: String
    let privateKeyPath: String
    let trustRootsPath: String

    func run() async throws {
        // Graceful shutdown cancels the loop; that is its normal end.
        try? await cancelWhenGracefulShutdown {
            var attempt = 0
            while !Task.isCancelled {
                let started = ContinuousClock.now
                do {
                    try await linkOnce()
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    logLinkEnd(error as? RPCError ?? RPCError(code: .unavailable, message: "\(error)"), peer: parent, logger: context.logger)
                }
                // A link that stayed up a while starts the backoff again.
                if ContinuousClock.now - started > context.settings.maximumRedial { attempt = 0 }
                let delay = context.settings.redialDelay(attempt: attempt, jitter: Double.random(in: 0...1))
                attempt += 1
                context.logger.debug("redialling the parent", metadata: ["peer": "\(parent)", "delay": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// One connection and one link stream, until it ends.
    private func linkOnce() async throws {
        let security = HTTP2ClientTransport.Posix.TransportSecurity.mTLS(
            certificateChain: [.file(path: certificatePath, format: .pem)], privateKey: .file(path: privateKeyPath, format: .pem)
        ) { tls in
            tls.trustRoots = .certificates([.file(path: trustRootsPath, format: .pem)])
            tls.serverCertificateVerification = .fullVerification
        }
        let host = address.host == "localhost" ? "127.0.0.1" : address.host
        let target: any ResolvableTarget = host.contains(":") ? .ipv6(address: host, port: address.port)
            : host.first?.isNumber == true ? .ipv4(address: host, port: address.port) : .dns(host: host, port: address.port)
        let transport = try HTTP2ClientTransport.Posix(
            target: target, transportSecurity: security,
            config: .defaults { $0.http2.authority = NodeIdentity.hostname(of: parent) })
        let session = LinkSession(end: .child, peer: parent, context: context)
        try await withGRPCClient(transport: transport) { grpc in
            let client = Banjian_V1_FederationService.Client(wrapping: grpc)
            let (outbound, continuation) = AsyncStream.makeStream(of: Banjian_V1_LinkMessage.self)
            var options = CallOptions.defaults
            options.waitForReady = false
            try await client.link(
                request: StreamingClientRequest { writer in
                    for await message in outbound { try await writer.write(message) }
                },
                options: options
            ) { response in
                defer { continuation.finish() }
                try await session.run(inbound: response.messages, outbound: continuation)
            }
        }
    }
}
