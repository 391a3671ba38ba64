import BanjianDomain
import BanjianNode
import BanjianWire
import GRPCCore

/// Sends a domain event as the CaseService RPC of its kind.
enum CaseTransitionCall {
    /// - Returns: the updated case and the appended event.
    static func send(_ event: CaseEvent, to number: String, requestID: String, expectedVersion: UInt64 = 0,
                     client: NodeClient) async throws -> (Banjian_V1_Case, Banjian_V1_CaseEvent) {
        let body = Banjian_V1_CaseEvent.OneOf_Body(event)
        let cases = client.cases, m = client.metadata
        func fill<R: CaseTransitionRequest>(_ request: inout R) {
            request.requestID = requestID
            request.caseNumber = number
            request.expectedVersion = expectedVersion
        }
        func result<R: CaseTransitionResponse>(_ response: R) -> (Banjian_V1_Case, Banjian_V1_CaseEvent) { (response.caseRecord, response.event) }
        switch body {
        case .agencySubmitted(let w): var r = Banjian_V1_SubmitAgencyCaseRequest(); fill(&r); r.agencySubmitted = w; return result(try await cases.submitAgencyCase(r, metadata: m))
        case .declaredOutOfScope(let w): var r = Banjian_V1_DeclareOutOfScopeRequest(); fill(&r); r.declaredOutOfScope = w; return result(try await cases.declareOutOfScope(r, metadata: m))
        case .supplementRequested(let w): var r = Banjian_V1_RequestSupplementRequest(); fill(&r); r.supplementRequested = w; return result(try await cases.requestSupplement(r, metadata: m))
        case .materialsSupplied(let w): var r = Banjian_V1_SupplyMaterialsRequest(); fill(&r); r.materialsSupplied = w; return result(try await cases.supplyMaterials(r, metadata: m))
        case .accepted(let w): var r = Banjian_V1_AcceptCaseRequest(); fill(&r); r.accepted = w; return result(try await cases.acceptCase(r, metadata: m))
        case .handlerAssigned(let w): var r = Banjian_V1_AssignHandlerRequest(); fill(&r); r.handlerAssigned = w; return result(try await cases.assignHandler(r, metadata: m))
        case .jointDepartmentCompleted(let w): var r = Banjian_V1_CompleteJointDepartmentRequest(); fill(&r); r.jointDepartmentCompleted = w; return result(try await cases.completeJointDepartment(r, metadata: m))
        case .escalated(let w): var r = Banjian_V1_EscalateCaseRequest(); fill(&r); r.escalated = w; return result(try await cases.escalateCase(r, metadata: m))
        case .escalationAcknowledged(let w): var r = Banjian_V1_AcknowledgeEscalationRequest(); fill(&r); r.escalationAcknowledged = w; return result(try await cases.acknowledgeEscalation(r, metadata: m))
        case .escalationDecided(let w): var r = Banjian_V1_DecideEscalationRequest(); fill(&r); r.escalationDecided = w; return result(try await cases.decideEscalation(r, metadata: m))
        case .specialStepStarted(let w): var r = Banjian_V1_StartSpecialStepRequest(); fill(&r); r.specialStepStarted = w; return result(try await cases.startSpecialStep(r, metadata: m))
        case .specialStepEnded(let w): var r = Banjian_V1_EndSpecialStepRequest(); fill(&r); r.specialStepEnded = w; return result(try await cases.endSpecialStep(r, metadata: m))
        case .extensionRequested(let w): var r = Banjian_V1_RequestExtensionRequest(); fill(&r); r.extensionRequested = w; return result(try await cases.requestExtension(r, metadata: m))
        case .extensionDecided(let w): var r = Banjian_V1_DecideExtensionRequest(); fill(&r); r.extensionDecided = w; return result(try await cases.decideExtension(r, metadata: m))
        case .urged(let w): var r = Banjian_V1_UrgeCaseRequest(); fill(&r); r.urged = w; return result(try await cases.urgeCase(r, metadata: m))
        case .returned(let w): var r = Banjian_V1_ReturnCaseRequest(); fill(&r); r.returned = w; return result(try await cases.returnCase(r, metadata: m))
        case .returnReviewed(let w): var r = Banjian_V1_ReviewReturnRequest(); fill(&r); r.returnReviewed = w; return result(try await cases.reviewReturn(r, metadata: m))
        case .cannotHandle(let w): var r = Banjian_V1_DeclareCannotHandleRequest(); fill(&r); r.cannotHandle = w; return result(try await cases.declareCannotHandle(r, metadata: m))
        case .completed(let w): var r = Banjian_V1_CompleteCaseRequest(); fill(&r); r.completed = w; return result(try await cases.completeCase(r, metadata: m))
        case .replied(let w): var r = Banjian_V1_ReplyCaseRequest(); fill(&r); r.replied = w; return result(try await cases.replyCase(r, metadata: m))
        case .handedOver(let w): var r = Banjian_V1_HandOverCaseRequest(); fill(&r); r.handedOver = w; return result(try await cases.handOverCase(r, metadata: m))
        case .feedbackRecorded(let w): var r = Banjian_V1_RecordFeedbackRequest(); fill(&r); r.feedbackRecorded = w; return result(try await cases.recordFeedback(r, metadata: m))
        case .archived(let w): var r = Banjian_V1_ArchiveCaseRequest(); fill(&r); r.archived = w; return result(try await cases.archiveCase(r, metadata: m))
        case .followUpRecorded(let w): var r = Banjian_V1_RecordFollowUpRequest(); fill(&r); r.followUpRecorded = w; return result(try await cases.recordFollowUp(r, metadata: m))
        case .supervisionOrderAnswered(let w): var r = Banjian_V1_AnswerSupervisionOrderRequest(); fill(&r); r.answer = w; return result(try await client.supervision.answerSupervisionOrder(r, metadata: m))
        case .received, .rungFired, .deadlinesCorrected, .supervisionOrdered:
            throw RPCError(code: .invalidArgument, message: "\(event.name.rawValue) is not a transition a client sends")
        }
    }
}
