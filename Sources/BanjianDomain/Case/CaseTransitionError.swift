public import Foundation

/// Why an event was refused. Nothing changes when one is thrown.
public enum CaseTransitionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A `received` event for a case that exists.
    case caseAlreadyOpen(CaseNumber)
    /// Any other event before `received`.
    case caseNotOpen
    /// The event is not allowed in the current state.
    case illegalTransition(event: CaseEvent.Name, state: CaseState.Name)
    case roleNotPermitted(Role, event: CaseEvent.Name)
    /// An actor from another node did what only `expected` may do.
    case wrongNode(actual: NodeCode, expected: NodeCode)
    /// A field's value breaks a rule of the domain.
    case invalidField(String, reason: String)
    /// Acceptance while materials are still missing.
    case materialsMissing([String])
    /// A main document (主件) is missing: the case must be returned, not supplemented.
    case mainDocumentMissing(String)
    case unknownMaterial(String)
    /// A joint case with fewer departments than the centre's threshold.
    case jointBelowThreshold(count: Int, threshold: Int)
    /// Completion while departments of a joint case are not done.
    case jointDepartmentsPending([String])
    case unknownDepartment(String)
    case departmentAlreadyCompleted(String)
    case extensionAlreadyPending
    case noPendingExtension
    /// Leaders may not approve their own requests.
    case selfApproval
    case specialStepInProgress
    case noSpecialStep
    case noSuchClock(ClockKind)
    case rungAlreadyFired(RungKey)
    /// A rung of an old epoch, or of a paused or stopped clock.
    case staleRung(RungKey)
    /// A case is archived only once the applicant's satisfaction is recorded, or recorded as not
    /// evaluated (the applicant declined).
    case feedbackRequired
    /// The node may not decide the matter: it is of another level and not delegated here.
    case notAuthorized(matter: String, authority: NodeLevel, node: NodeCode)
    /// Village agents may not take the matter (it is not on the 代办 list).
    case agencyNotAllowed(matter: String)
    /// An extension asked for once the clock was already due.
    case alreadyOverdue(ClockKind, due: Date)
    /// Only the case's full-process handler (全程承办人) or a leader of the node may do this.
    case notAccountable(event: CaseEvent.Name, accountable: Actor)
    /// A refusal cannot be filed before the leader's review.
    case refusalReviewPending
    /// A 督办 order answered twice.
    case orderAlreadyAnswered(String)
    /// A follow-up (回访) recorded on a case without one open, or twice.
    case noFollowUp
    case followUpAlreadyRecorded
    /// A case is archived only once its follow-up (回访) is recorded.
    case followUpPending
    case ledger(DeadlineClock.LedgerError)

    public var description: String {
        switch self {
        case .caseAlreadyOpen(let number): "case \(number) already exists"
        case .caseNotOpen: "the case does not exist yet: the first event must be 'received'"
        case .illegalTransition(let event, let state): "'\(event.rawValue)' is not allowed in state '\(state.rawValue)'"
        case .roleNotPermitted(let role, let event): "role '\(role.rawValue)' may not do '\(event.rawValue)'"
        case .wrongNode(let actual, let expected): "only node \(expected) may do this, not \(actual)"
        case .invalidField(let field, let reason): "\(field): \(reason)"
        case .materialsMissing(let ids): "materials still missing: \(ids.joined(separator: ", "))"
        case .mainDocumentMissing(let id): "main document '\(id)' is missing: return the case instead of asking for a supplement"
        case .unknownMaterial(let id): "no material '\(id)' is missing on this case"
        case .jointBelowThreshold(let count, let threshold): "a joint case needs at least \(threshold) departments, got \(count)"
        case .jointDepartmentsPending(let departments): "joint departments not done: \(departments.joined(separator: ", "))"
        case .unknownDepartment(let department): "department '\(department)' does not take part in this case"
        case .departmentAlreadyCompleted(let department): "department '\(department)' already completed its part"
        case .extensionAlreadyPending: "an extension request is already waiting for a decision"
        case .noPendingExtension: "no extension request is waiting for a decision"
        case .selfApproval: "an extension cannot be approved by the person who requested it"
        case .specialStepInProgress: "a special step is in progress: end it first"
        case .noSpecialStep: "no special step is in progress"
        case .noSuchClock(let kind): "the case has no \(kind.rawValue) clock"
        case .rungAlreadyFired(let key): "rung \(key.rung.rawValue) of the \(key.clock.rawValue) clock (epoch \(key.epoch)) already fired"
        case .staleRung(let key): "rung \(key.rung.rawValue) of the \(key.clock.rawValue) clock (epoch \(key.epoch)) is no longer armed"
        case .feedbackRequired:
            "record the applicant's satisfaction (or 'not evaluated' when they decline) before archiving"
        case .notAuthorized(let matter, let authority, let node):
            "authority: matter \(matter) is decided at \(authority.name) level and is not delegated to node \(node) (\(node.level.name)); receive it and escalate it (上报件)"
        case .agencyNotAllowed(let matter):
            "received.matter_code: village agents may not take matter \(matter): it is not on the agency (代办) list"
        case .alreadyOverdue(let clock, let due):
            "the case is already overdue on its \(clock.rawValue) limit (due \(due.formatted(.iso8601))): an extension must be asked for before the due instant"
        case .notAccountable(let event, let accountable):
            "only the case's handler \(accountable.name) (\(accountable.operatorID)) or a department head, deputy or director may do '\(event.rawValue)'"
        case .refusalReviewPending: "the leader has not reviewed the refusal yet"
        case .orderAlreadyAnswered(let number): "督办 order \(number) is already answered"
        case .noFollowUp: "the case has no follow-up (回访): only a dissatisfied applicant opens one"
        case .followUpAlreadyRecorded: "the follow-up (回访) is already recorded"
        case .followUpPending: "the follow-up (回访) of the dissatisfied applicant must be recorded before archiving"
        case .ledger(let error): "clock ledger: \(error)"
        }
    }
}
