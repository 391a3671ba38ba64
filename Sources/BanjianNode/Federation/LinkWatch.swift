import BanjianDomain
import BanjianStore
import Foundation
import Logging
import ServiceLifecycle

/// Raises an alert for each link down longer than the configured time, once per outage: logged,
/// journaled for the alert stream, and passed up to the ancestors.
struct LinkWatch: Service {
    let context: LinkContext

    func run() async throws {
        // Graceful shutdown cancels the loop; that is its normal end.
        try? await cancelWhenGracefulShutdown {
            let tick = min(context.settings.alertAfter / 4, .seconds(5))
            while !Task.isCancelled {
                try await Task.sleep(for: tick)
                let now = context.now()
                for (peer, since) in context.registry.newlyDownTooLong(at: now, limit: context.settings.alertAfter) {
                    context.logger.error("alert raised", metadata: ["alert": "linkDown", "peer": "\(peer)", "down.since": "\(since)"])
                    let alert = LinkAlert(reporter: context.node, peer: peer, downSince: since, raisedAt: now)
                    do {
                        _ = try await context.writer.submitAll([CaseWrite(.raiseLinkAlert(alert), requestID: nil, actor: .system(of: context.node), at: now)])
                    } catch {
                        context.logger.error("link alert not journaled", metadata: ["peer": "\(peer)", "error": "\(error)"])
                    }
                }
            }
        }
    }
}
