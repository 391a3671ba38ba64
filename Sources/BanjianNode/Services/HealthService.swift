import BanjianWire
import Foundation
import GRPCCore
import Synchronization

/// `grpc.health.v1.Health`: SERVING for the whole node ("") and each of its services until
/// shutdown begins, then NOT_SERVING; watchers get the change and their stream ends.
final class HealthService: Grpc_Health_V1_Health.ServiceProtocol, Sendable {
    static let services: Set<String> = ["", "banjian.v1.CaseService", "banjian.v1.CatalogService"]

    private struct State {
        var serving = true
        var watchers: [UUID: AsyncStream<Void>.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// Reports NOT_SERVING from now on and ends every watch.
    func markNotServing() {
        let watchers = state.withLock { state in
            state.serving = false
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.finish() }
    }

    private var status: Grpc_Health_V1_HealthCheckResponse.ServingStatus {
        state.withLock { $0.serving } ? .serving : .notServing
    }

    func check(request: ServerRequest<Grpc_Health_V1_HealthCheckRequest>, context: ServerContext)
        async throws -> ServerResponse<Grpc_Health_V1_HealthCheckResponse>
    {
        guard Self.services.contains(request.message.service) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.message.service.prefix(100))'")
        }
        return ServerResponse(message: .with { $0.status = status })
    }

    func watch(request: ServerRequest<Grpc_Health_V1_HealthCheckRequest>, context: ServerContext)
        async throws -> StreamingServerResponse<Grpc_Health_V1_HealthCheckResponse>
    {
        let known = Self.services.contains(request.message.service)
        let (ended, continuation) = AsyncStream<Void>.makeStream()
        let id = UUID()
        let serving = state.withLock { state in
            if state.serving { state.watchers[id] = continuation }
            return state.serving
        }
        if serving {
            // A watcher that goes away is forgotten at once, not at shutdown.
            continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.watchers.removeValue(forKey: id) } }
        } else {
            continuation.finish()
        }
        return StreamingServerResponse { writer in
            try await writer.write(.with { $0.status = known ? (serving ? .serving : .notServing) : .serviceUnknown })
            for await _ in ended {}
            if known { try await writer.write(.with { $0.status = .notServing }) }
            return [:]
        }
    }
}
