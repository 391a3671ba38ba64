package import BanjianDomain

/// A validated CaseService mutation: the idempotency key, the case, the optimistic-concurrency
/// check and the event to apply.
package struct CaseCommand: Hashable, Sendable {
    package let requestID: String
    package let caseNumber: CaseNumber
    /// The version the client last saw; `nil` for any.
    package let expectedVersion: UInt64?
    package let event: CaseEvent
}

/// A CaseService request that applies one event to an existing case. Each request carries the
/// event's body message under the field name of `CaseEvent.body`.
package protocol CaseTransitionRequest: Sendable {
    var requestID: String { get set }
    var caseNumber: String { get set }
    var expectedVersion: UInt64 { get set }
    /// The body, or `nil` when the client left it out.
    var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { get }
    /// The body's field name, for error messages.
    static var bodyField: String { get }
}

extension CaseTransitionRequest {
    /// The request as a command, with every field validated.
    package func command() throws(WireValidationError) -> CaseCommand {
        let requestID = try Check.requestID(requestID)
        let number = try Check.caseNumber(caseNumber, "case_number")
        guard let body = wireBody else { throw WireValidationError(Self.bodyField, "must be set") }
        return CaseCommand(
            requestID: requestID, caseNumber: number, expectedVersion: expectedVersion == 0 ? nil : expectedVersion,
            event: try CaseEvent(wire: body, caseNumber: number, field: Self.bodyField))
    }
}

extension Banjian_V1_CreateCaseRequest {
    /// The request's idempotency key and the opening event, for the number the node assigned.
    package func intake(number: CaseNumber) throws(WireValidationError) -> (requestID: String, event: CaseEvent) {
        let requestID = try Check.requestID(requestID)
        try Check.present(hasReceived, "received")
        return (requestID, try CaseEvent(wire: .received(received), caseNumber: number, field: "received"))
    }
}

extension Banjian_V1_CreateCaseRequest {
    /// A request to open a case with this intake; the node assigns the number.
    package init(requestID: String, intake: Intake) {
        self.init()
        self.requestID = requestID
        if case .received(let received) = Banjian_V1_CaseEvent.OneOf_Body(.received(intake)) { self.received = received }
    }
}

extension Banjian_V1_SubmitAgencyCaseRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasAgencySubmitted ? .agencySubmitted(agencySubmitted) : nil }
    package static var bodyField: String { "agency_submitted" }
}

extension Banjian_V1_DeclareOutOfScopeRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasDeclaredOutOfScope ? .declaredOutOfScope(declaredOutOfScope) : nil }
    package static var bodyField: String { "declared_out_of_scope" }
}

extension Banjian_V1_RequestSupplementRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasSupplementRequested ? .supplementRequested(supplementRequested) : nil }
    package static var bodyField: String { "supplement_requested" }
}

extension Banjian_V1_SupplyMaterialsRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasMaterialsSupplied ? .materialsSupplied(materialsSupplied) : nil }
    package static var bodyField: String { "materials_supplied" }
}

extension Banjian_V1_AcceptCaseRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasAccepted ? .accepted(accepted) : nil }
    package static var bodyField: String { "accepted" }
}

extension Banjian_V1_AssignHandlerRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasHandlerAssigned ? .handlerAssigned(handlerAssigned) : nil }
    package static var bodyField: String { "handler_assigned" }
}

extension Banjian_V1_CompleteJointDepartmentRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? {
        hasJointDepartmentCompleted ? .jointDepartmentCompleted(jointDepartmentCompleted) : nil
    }
    package static var bodyField: String { "joint_department_completed" }
}

extension Banjian_V1_RecordFollowUpRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasFollowUpRecorded ? .followUpRecorded(followUpRecorded) : nil }
    package static var bodyField: String { "follow_up_recorded" }
}

extension Banjian_V1_EscalateCaseRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasEscalated ? .escalated(escalated) : nil }
    package static var bodyField: String { "escalated" }
}

extension Banjian_V1_AcknowledgeEscalationRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? {
        hasEscalationAcknowledged ? .escalationAcknowledged(escalationAcknowledged) : nil
    }
    package static var bodyField: String { "escalation_acknowledged" }
}

extension Banjian_V1_DecideEscalationRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasEscalationDecided ? .escalationDecided(escalationDecided) : nil }
    package static var bodyField: String { "escalation_decided" }
}

extension Banjian_V1_StartSpecialStepRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasSpecialStepStarted ? .specialStepStarted(specialStepStarted) : nil }
    package static var bodyField: String { "special_step_started" }
}

extension Banjian_V1_EndSpecialStepRequest: CaseTransitionRequest {
    /// An empty body is a step ended with no outcome text.
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { .specialStepEnded(specialStepEnded) }
    package static var bodyField: String { "special_step_ended" }
}

extension Banjian_V1_RequestExtensionRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasExtensionRequested ? .extensionRequested(extensionRequested) : nil }
    package static var bodyField: String { "extension_requested" }
}

extension Banjian_V1_DecideExtensionRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasExtensionDecided ? .extensionDecided(extensionDecided) : nil }
    package static var bodyField: String { "extension_decided" }
}

extension Banjian_V1_UrgeCaseRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasUrged ? .urged(urged) : nil }
    package static var bodyField: String { "urged" }
}

extension Banjian_V1_ReturnCaseRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasReturned ? .returned(returned) : nil }
    package static var bodyField: String { "returned" }
}

extension Banjian_V1_ReviewReturnRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasReturnReviewed ? .returnReviewed(returnReviewed) : nil }
    package static var bodyField: String { "return_reviewed" }
}

extension Banjian_V1_DeclareCannotHandleRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasCannotHandle ? .cannotHandle(cannotHandle) : nil }
    package static var bodyField: String { "cannot_handle" }
}

extension Banjian_V1_CompleteCaseRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasCompleted ? .completed(completed) : nil }
    package static var bodyField: String { "completed" }
}

extension Banjian_V1_ReplyCaseRequest: CaseTransitionRequest {
    /// The reply has no fields: an absent body is the same as an empty one.
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { .replied(replied) }
    package static var bodyField: String { "replied" }
}

extension Banjian_V1_HandOverCaseRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasHandedOver ? .handedOver(handedOver) : nil }
    package static var bodyField: String { "handed_over" }
}

extension Banjian_V1_RecordFeedbackRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasFeedbackRecorded ? .feedbackRecorded(feedbackRecorded) : nil }
    package static var bodyField: String { "feedback_recorded" }
}

extension Banjian_V1_ArchiveCaseRequest: CaseTransitionRequest {
    /// Archiving has no fields: an absent body is the same as an empty one.
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { .archived(archived) }
    package static var bodyField: String { "archived" }
}

/// The response of every transition RPC: the updated case and the appended event.
package protocol CaseTransitionResponse: Sendable {
    init()
    var caseRecord: Banjian_V1_Case { get set }
    var event: Banjian_V1_CaseEvent { get set }
}

extension Banjian_V1_CreateCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_SubmitAgencyCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_DeclareOutOfScopeResponse: CaseTransitionResponse {}
extension Banjian_V1_RequestSupplementResponse: CaseTransitionResponse {}
extension Banjian_V1_SupplyMaterialsResponse: CaseTransitionResponse {}
extension Banjian_V1_AcceptCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_AssignHandlerResponse: CaseTransitionResponse {}
extension Banjian_V1_CompleteJointDepartmentResponse: CaseTransitionResponse {}
extension Banjian_V1_EscalateCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_AcknowledgeEscalationResponse: CaseTransitionResponse {}
extension Banjian_V1_DecideEscalationResponse: CaseTransitionResponse {}
extension Banjian_V1_StartSpecialStepResponse: CaseTransitionResponse {}
extension Banjian_V1_EndSpecialStepResponse: CaseTransitionResponse {}
extension Banjian_V1_RequestExtensionResponse: CaseTransitionResponse {}
extension Banjian_V1_DecideExtensionResponse: CaseTransitionResponse {}
extension Banjian_V1_UrgeCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_ReturnCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_ReviewReturnResponse: CaseTransitionResponse {}
extension Banjian_V1_DeclareCannotHandleResponse: CaseTransitionResponse {}
extension Banjian_V1_CompleteCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_ReplyCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_HandOverCaseResponse: CaseTransitionResponse {}
extension Banjian_V1_RecordFeedbackResponse: CaseTransitionResponse {}
extension Banjian_V1_RecordFollowUpResponse: CaseTransitionResponse {}
extension Banjian_V1_ArchiveCaseResponse: CaseTransitionResponse {}
