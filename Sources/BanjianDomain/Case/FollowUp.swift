public import Foundation

/// What the director's follow-up (回访) of a dissatisfied applicant found.
public enum FollowUpOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// 不满意属实: the dissatisfaction was justified; it counts in the assessment.
    case verified
    /// 不属实.
    case unfounded
}

/// The follow-up (回访) a dissatisfied applicant opens for the centre's director, with its limit.
public struct FollowUp: Hashable, Sendable, Codable {
    public var openedAt: Date
    public var within: TimeLimit
    public var outcome: FollowUpOutcome?
    public var note: String
    public var recordedBy: Actor?
    public var recordedAt: Date?

    public init(openedAt: Date, within: TimeLimit) {
        self.openedAt = openedAt
        self.within = within
        note = ""
    }

    public var isOpen: Bool { outcome == nil }
}

extension CaseStateMachine.Step {
    /// Opens the follow-up of a dissatisfied applicant, when the feedback event carries its limit
    /// (events recorded before follow-ups existed carry none).
    mutating func openFollowUp(within limit: TimeLimit?) throws(CaseTransitionError) {
        guard let limit else { return }
        guard limit.isValid else { throw .invalidField("feedback_recorded.follow_up_within", reason: "is out of range: \(limit)") }
        record.followUp = FollowUp(openedAt: at, within: limit)
        try startClock(.followUp, limit, reference: at)
        actions.append(.notify(.director, .followUpOpened))
    }

    /// 回访: records what the follow-up found and stops its clock.
    mutating func recordFollowUp(_ outcome: FollowUpOutcome, _ note: String) throws(CaseTransitionError) {
        guard var followUp = record.followUp else { throw .noFollowUp }
        guard followUp.isOpen else { throw .followUpAlreadyRecorded }
        try Validate.nonEmpty(note, "follow_up_recorded.note")
        followUp.outcome = outcome
        followUp.note = note
        followUp.recordedBy = actor
        followUp.recordedAt = at
        record.followUp = followUp
        try stopClocks([.followUp])
    }
}
