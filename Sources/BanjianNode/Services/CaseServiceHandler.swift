import BanjianDomain
import BanjianStore
import BanjianWire
import Foundation
import GRPCCore

/// CaseService: intake, reads, every transition of the state machine, history and watch.
///
/// Every call authenticates its operator first, then validates the message, then acts; every
/// error leaves through `RPCError(banjian:)`. Transitions commit through the ``CaseWriter``
/// (one transaction per command, shared fsyncs); the state machine checks the caller's role.
struct CaseServiceHandler: Banjian_V1_CaseService.ServiceProtocol {
    let node: NodeContext

    // MARK: Intake and reads

    func createCase(request: ServerRequest<Banjian_V1_CreateCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_CreateCaseResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata)
            let intake = try request.message.intake(number: .unassigned(origin: node.code))
            guard case .received(let opening) = intake.event else { throw RPCError(code: .internalError, message: "intake") }
            let result = try await node.writer.submit(CaseWrite(.open(opening), requestID: intake.requestID, actor: actor, at: node.now()))
            return ServerResponse(message: node.response(result))
        }
    }

    func getCase(request: ServerRequest<Banjian_V1_GetCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetCaseResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let record = try await node.record(try request.message.validated())
            var response = Banjian_V1_GetCaseResponse()
            response.caseRecord = node.wire(record)
            return ServerResponse(message: response)
        }
    }

    func listCases(request: ServerRequest<Banjian_V1_ListCasesRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ListCasesResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let query = try request.message.validated()
            let page = try await node.database.cases(query)
            var response = Banjian_V1_ListCasesResponse()
            response.cases = page.records.map(node.wire)
            if let next = page.next {
                response.nextPageToken = next.pageToken
            }
            return ServerResponse(message: response)
        }
    }

    func listCaseEvents(request: ServerRequest<Banjian_V1_ListCaseEventsRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ListCaseEventsResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let page = try request.message.validated()
            _ = try await node.record(page.number)
            let events = try await node.database.events(of: page.number, after: page.afterVersion, limit: page.pageSize + 1)
            var response = Banjian_V1_ListCaseEventsResponse()
            response.events = events.prefix(page.pageSize).map(Banjian_V1_CaseEvent.init)
            if events.count > page.pageSize, let last = response.events.last {
                response.nextPageToken = Banjian_V1_ListCaseEventsRequest.pageToken(after: last.caseVersion)
            }
            return ServerResponse(message: response)
        }
    }

    func watchCase(request: ServerRequest<Banjian_V1_WatchCaseRequest>, context: ServerContext)
        async throws -> StreamingServerResponse<Banjian_V1_WatchCaseResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let number = try request.message.validated()
            _ = try await node.record(number)
            // Subscribe before reading the log, so no event falls between the two.
            let live = node.hub.subscribe(number)
            let after = request.message.afterVersion
            return StreamingServerResponse { writer in
                var sent = after
                while true {
                    let backlog = try await node.database.events(of: number, after: sent, limit: 500)
                    for event in backlog { try await writer.write(.with { $0.event = Banjian_V1_CaseEvent(event) }) }
                    sent = backlog.last?.caseVersion ?? sent
                    if backlog.count < 500 { break }
                }
                for await event in live where event.caseVersion > sent {
                    try await writer.write(.with { $0.event = Banjian_V1_CaseEvent(event) })
                    sent = event.caseVersion
                }
                return [:]
            }
        }
    }

    // MARK: Notices and the refusal register

    func listNotices(request: ServerRequest<Banjian_V1_ListNoticesRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ListNoticesResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let number = try request.message.validated()
            _ = try await node.record(number)
            var response = Banjian_V1_ListNoticesResponse()
            response.notices = try await node.database.notices(of: number).map(Banjian_V1_Notice.init)
            return ServerResponse(message: response)
        }
    }

    func getNotice(request: ServerRequest<Banjian_V1_GetNoticeRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetNoticeResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            let number = try request.message.validated()
            guard let notice = try await node.database.notice(number) else {
                throw RPCError(code: .notFound, message: "notice \(number) not found")
            }
            var response = Banjian_V1_GetNoticeResponse()
            response.notice = Banjian_V1_Notice(notice)
            response.centreName = node.centreName
            return ServerResponse(message: response)
        }
    }

    func listRefusals(request: ServerRequest<Banjian_V1_ListRefusalsRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ListRefusalsResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata, allowed: Role.leaders.union([.supervisor]))
            let query = try request.message.validated()
            var response = Banjian_V1_ListRefusalsResponse()
            response.refusals = try await node.database.refusals(in: query.state, limit: query.limit).map(Banjian_V1_RefusalEntry.init)
            return ServerResponse(message: response)
        }
    }

    // MARK: Transitions

    func submitAgencyCase(request: ServerRequest<Banjian_V1_SubmitAgencyCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_SubmitAgencyCaseResponse> { try await node.transition(request) }
    func declareOutOfScope(request: ServerRequest<Banjian_V1_DeclareOutOfScopeRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_DeclareOutOfScopeResponse> { try await node.transition(request) }
    func requestSupplement(request: ServerRequest<Banjian_V1_RequestSupplementRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_RequestSupplementResponse> { try await node.transition(request) }
    func supplyMaterials(request: ServerRequest<Banjian_V1_SupplyMaterialsRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_SupplyMaterialsResponse> { try await node.transition(request) }
    func acceptCase(request: ServerRequest<Banjian_V1_AcceptCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_AcceptCaseResponse> { try await node.transition(request) }
    func assignHandler(request: ServerRequest<Banjian_V1_AssignHandlerRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_AssignHandlerResponse> { try await node.transition(request) }
    func completeJointDepartment(request: ServerRequest<Banjian_V1_CompleteJointDepartmentRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_CompleteJointDepartmentResponse> { try await node.transition(request) }
    func escalateCase(request: ServerRequest<Banjian_V1_EscalateCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_EscalateCaseResponse> { try await node.transition(request) }
    func acknowledgeEscalation(request: ServerRequest<Banjian_V1_AcknowledgeEscalationRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_AcknowledgeEscalationResponse> { try await node.transition(request) }
    func decideEscalation(request: ServerRequest<Banjian_V1_DecideEscalationRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_DecideEscalationResponse> { try await node.transition(request) }
    func startSpecialStep(request: ServerRequest<Banjian_V1_StartSpecialStepRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_StartSpecialStepResponse> { try await node.transition(request) }
    func endSpecialStep(request: ServerRequest<Banjian_V1_EndSpecialStepRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_EndSpecialStepResponse> { try await node.transition(request) }
    func requestExtension(request: ServerRequest<Banjian_V1_RequestExtensionRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_RequestExtensionResponse> { try await node.transition(request) }
    func decideExtension(request: ServerRequest<Banjian_V1_DecideExtensionRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_DecideExtensionResponse> { try await node.transition(request) }
    func urgeCase(request: ServerRequest<Banjian_V1_UrgeCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_UrgeCaseResponse> { try await node.transition(request) }
    func returnCase(request: ServerRequest<Banjian_V1_ReturnCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ReturnCaseResponse> { try await node.transition(request) }
    func reviewReturn(request: ServerRequest<Banjian_V1_ReviewReturnRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ReviewReturnResponse> { try await node.transition(request) }
    func declareCannotHandle(request: ServerRequest<Banjian_V1_DeclareCannotHandleRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_DeclareCannotHandleResponse> { try await node.transition(request) }
    func completeCase(request: ServerRequest<Banjian_V1_CompleteCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_CompleteCaseResponse> { try await node.transition(request) }
    func replyCase(request: ServerRequest<Banjian_V1_ReplyCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ReplyCaseResponse> { try await node.transition(request) }
    func handOverCase(request: ServerRequest<Banjian_V1_HandOverCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_HandOverCaseResponse> { try await node.transition(request) }
    func recordFeedback(request: ServerRequest<Banjian_V1_RecordFeedbackRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_RecordFeedbackResponse> { try await node.transition(request) }
    func recordFollowUp(request: ServerRequest<Banjian_V1_RecordFollowUpRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_RecordFollowUpResponse> { try await node.transition(request) }

    /// 咨询登记: front-desk staff, handlers, agents and leaders register a consultation; a retry
    /// with the same request id returns the first.
    func recordConsultation(request: ServerRequest<Banjian_V1_RecordConsultationRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_RecordConsultationResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata, allowed: Role.leaders.union([.acceptor, .handler, .agent]))
            let (requestID, asked) = try request.message.validated()
            let draft = Consultation(number: "", node: node.code, channel: asked.channel, topic: asked.topic, matterCode: asked.matterCode,
                                     department: asked.department, answeredBy: actor, at: node.now())
            _ = try await node.writer.submitAll([CaseWrite(.recordConsultation(draft), requestID: requestID, actor: actor, at: draft.at)])
            guard let kept = try await node.database.consultation(operatorID: actor.operatorID, requestID: requestID) else {
                throw RPCError(code: .internalError, message: "the consultation was not kept")
            }
            return ServerResponse(message: .with { $0.consultation = Banjian_V1_Consultation(kept) })
        }
    }
    func archiveCase(request: ServerRequest<Banjian_V1_ArchiveCaseRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ArchiveCaseResponse> { try await node.transition(request) }
}
