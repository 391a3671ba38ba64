import BanjianDomain
import BanjianStore
import BanjianWire
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import X509

/// The parent end of the federation links: `FederationService.Link` on the federation listener
/// (mutual TLS). The child's node code is its verified client certificate's common name; only
/// registered children are accepted. Every refusal is logged with the peer's code and ends only
/// that link.
struct FederationServiceHandler: Banjian_V1_FederationService.SimpleServiceProtocol {
    let link: LinkContext

    func link(request: RPCAsyncSequence<Banjian_V1_LinkMessage, any Error>, response: RPCWriter<Banjian_V1_LinkMessage>,
              context: ServerContext) async throws {
        let certificate = (context.transportSpecific as? HTTP2ServerTransport.Posix.Context)?.peerCertificate
        let peer: NodeCode
        do { peer = try await registeredChild(certificate) } catch let error as RPCError {
            link.logger.warning("link refused", metadata: [
                "peer": "\(certificate?.nodeCode?.rawValue ?? "none")", "remote": "\(context.remotePeer)", "error": "\(error.message)",
            ])
            throw error
        }
        let session = LinkSession(end: .parent, peer: peer, context: link)
        do {
            try await LinkPump.run(session, inbound: request) { try await response.write($0) }
        } catch {
            let status = error as? RPCError ?? RPCError(code: .unavailable, message: "\(error)")
            logLinkEnd(status, peer: peer, logger: link.logger)
            throw status
        }
    }

    /// The registered child that the verified client certificate names.
    private func registeredChild(_ certificate: Certificate?) async throws -> NodeCode {
        guard let certificate else {
            throw RPCError(code: .permissionDenied, message: "a link needs a client certificate")
        }
        guard let code = certificate.nodeCode else {
            throw RPCError(code: .permissionDenied, message: "the client certificate names no node code")
        }
        guard try await link.settings.children.contains(code) ? true : link.database.children().contains(where: { $0.code == code }) else {
            throw RPCError(code: .permissionDenied, message: "node \(code) is not a registered child of node \(link.node)")
        }
        return code
    }
}

/// Runs a session with its outbound messages written by one task, in order.
enum LinkPump {
    static func run<Inbound: AsyncSequence & Sendable>(
        _ session: LinkSession, inbound: Inbound, write: @escaping @Sendable (Banjian_V1_LinkMessage) async throws -> Void
    ) async throws where Inbound.Element == Banjian_V1_LinkMessage {
        let (outbound, continuation) = AsyncStream.makeStream(of: Banjian_V1_LinkMessage.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in outbound { try await write(message) }
            }
            group.addTask {
                defer { continuation.finish() }
                try await session.run(inbound: inbound, outbound: continuation)
            }
            try await group.next()
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}

/// Logs how a link ended: a refusal of the peer's input as a warning, anything else as a notice.
func logLinkEnd(_ status: RPCError, peer: NodeCode, logger: Logger) {
    let metadata: Logger.Metadata = ["peer": "\(peer)", "status": "\(status.code)", "error": "\(status.message)"]
    switch status.code {
    case .permissionDenied, .invalidArgument, .failedPrecondition: logger.warning("link refused", metadata: metadata)
    default: logger.notice("link down", metadata: metadata)
    }
}

extension Certificate {
    /// The node code in the subject's common name, if it is one.
    var nodeCode: NodeCode? {
        for name in subject {
            for attribute in name where attribute.type == .RDNAttributeType.commonName {
                return NodeCode(String(describing: attribute.value))
            }
        }
        return nil
    }
}
