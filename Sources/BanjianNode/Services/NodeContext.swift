import BanjianDomain
import BanjianStore
import BanjianWire
import Foundation
import GRPCCore

/// What the node's RPC handlers share: the database, the writer, the operators, the watch hub,
/// the rules, and the node's clock.
struct NodeContext: Sendable {
    let code: NodeCode
    /// Where this node's catalogue and escalations come from; `nil` at the top of the tree.
    let parent: NodeCode?
    /// The centre's name, printed at the head of its notices.
    let centreName: String
    let database: NodeDatabase
    let writer: CaseWriter
    let directory: OperatorDirectory
    let hub: CaseEventHub
    /// The case log, whose state machine runs under the calendar as it stands.
    let log: CaseLog
    /// The node's clock (real, accelerated or manual), as a date.
    let now: @Sendable () -> Date

    /// Runs an RPC body, turning every error into its gRPC status in one place.
    func rpc<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw RPCError(banjian: error) }
    }

    /// Applies a transition request: authenticate, validate, commit, answer.
    func transition<Request: CaseTransitionRequest, Response: CaseTransitionResponse>(
        _ request: ServerRequest<Request>
    ) async throws -> ServerResponse<Response> {
        try await rpc {
            let actor = try await directory.actor(for: request.metadata)
            let command = try request.message.command()
            let result = try await writer.submit(CaseWrite(
                .apply(command.caseNumber, command.event, expectedVersion: command.expectedVersion),
                requestID: command.requestID, actor: actor, at: now()))
            return ServerResponse(message: response(result))
        }
    }

    /// The case or NOT_FOUND.
    func record(_ number: CaseNumber) async throws -> CaseRecord {
        guard let record = try await database.caseRecord(number) else {
            throw RPCError(code: .notFound, message: "case \(number) not found")
        }
        return record
    }

    /// The wire form of a case, its clocks projected at the node's now.
    func wire(_ record: CaseRecord) -> Banjian_V1_Case {
        let machine = log.machine
        return Banjian_V1_Case(record, projection: CaseProjection(calendar: machine.calendar, ladder: machine.settings.ladder, now: now()))
    }

    func response<Response: CaseTransitionResponse>(_ result: CaseWriteResult) -> Response {
        var response = Response()
        response.caseRecord = wire(result.record)
        response.event = Banjian_V1_CaseEvent(result.event)
        return response
    }
}
