/// Where a case stands (domain.md §2.2). Overlay facts (urged, overdue, extended) live on the
/// record, not in the state.
public enum CaseState: Hashable, Sendable, Codable {
    /// V-RECEIVED: a village agent has the application and the hand-over slip; not yet submitted.
    case agencyIntake
    /// 收件: registered at the centre, not yet classified.
    case received
    /// 补办中: waiting for the materials on the one-time notice. `resumeTo` is the handling stage
    /// to return to when the request came during handling (补正), `nil` before acceptance.
    case supplementPending(resumeTo: HandlingStage?)
    /// Accepted and being handled in one of the working stages.
    case handling(HandlingStage)
    /// 办结: the result exists.
    case completed
    /// The handler has handed the result back to acceptance (signed 承办单).
    case replied
    /// The result is with the applicant (or with the principal through the village agent).
    case handedOver
    /// The applicant's satisfaction is recorded.
    case feedbackGiven
    /// Ended without a result: not in scope, returned, or cannot be handled.
    case closed(Closure)
    /// Filed (归档). `closure` keeps why a closed case ended.
    case archived(closure: Closure?)

    /// A stable name for messages and wire mapping.
    public var name: Name {
        switch self {
        case .agencyIntake: .agencyIntake
        case .received: .received
        case .supplementPending: .supplementPending
        case .handling: .handling
        case .completed: .completed
        case .replied: .replied
        case .handedOver: .handedOver
        case .feedbackGiven: .feedbackGiven
        case .closed: .closed
        case .archived: .archived
        }
    }

    /// The state names.
    public enum Name: String, Hashable, Sendable, Codable, CaseIterable {
        case agencyIntake, received, supplementPending, handling, completed, replied, handedOver
        case feedbackGiven, closed, archived
    }
}

/// The working stage of an accepted case, and the special step pausing it, if any.
public struct HandlingStage: Hashable, Sendable, Codable {
    public enum Route: String, Hashable, Sendable, Codable, CaseIterable {
        /// 即办.
        case immediate
        /// 承办中 (承诺件).
        case promised
        /// 联办中.
        case joint
        /// 已上报: with the higher level.
        case forwardedUp
    }

    public var route: Route
    /// A hearing, survey or other step pausing the clocks.
    public var specialStep: SpecialStep?

    public init(route: Route, specialStep: SpecialStep? = nil) {
        self.route = route
        self.specialStep = specialStep
    }
}

/// Why a case ended without a result.
public enum Closure: Hashable, Sendable, Codable {
    /// Outside the centre's scope; the applicant was told where to go.
    case notInScope(Referral)
    /// Returned (退回件); the record is the last of `CaseRecord.returns`.
    case returned
    /// Cannot be handled (不能办理): the reason, signed.
    case cannotHandle(reason: String, by: Actor)
}
