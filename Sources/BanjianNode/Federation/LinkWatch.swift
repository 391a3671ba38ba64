import BanjianDomain
import Foundation
import Logging
import ServiceLifecycle

/// Logs an alert for each link down longer than the configured time, once per outage.
struct LinkWatch: Service {
    let context: LinkContext

    func run() async throws {
        // Graceful shutdown cancels the loop; that is its normal end.
        try? await cancelWhenGracefulShutdown {
            let tick = min(context.settings.alertAfter / 4, .seconds(5))
            while !Task.isCancelled {
                try await Task.sleep(for: tick)
                for (peer, since) in context.registry.newlyDownTooLong(at: context.now(), limit: context.settings.alertAfter) {
                    context.logger.error("alert raised", metadata: ["alert": "linkDown", "peer": "\(peer)", "down.since": "\(since)"])
                }
            }
        }
    }
}
