import Foundation

extension CaseStateMachine.Step {
    /// 退回: the reason is mandatory; the refusal is filed (否定报备) and the responsible leader's
    /// review clock starts.
    mutating func returnCase(_ category: ReturnCategory, _ reason: String, _ appealRights: String) throws(CaseTransitionError) {
        switch record.state {
        case .received, .supplementPending(resumeTo: nil): break
        case .handling(let stage) where stage.route == .promised || stage.route == .joint: break
        default: throw illegal
        }
        try requireAccountable()
        try Validate.nonEmpty(reason, "reason")
        try stopAllClocks()
        record.kind = .returned
        record.returns.append(ReturnRecord(category: category, reason: reason, appealRights: appealRights, returnedBy: actor, returnedAt: at))
        record.state = .closed(.returned)
        try startClock(.refusalReview, settings.limits.refusalReview, reference: at)
        actions.append(.issueNotice(.returnNotice))
        actions.append(.fileRefusal)
        actions.append(.notify(.deputy, .refusalFiled))
        actions.append(.alertSupervisors(.returned))
    }

    /// The leader's review of the last refusal. Overturned, the case reopens and the handler has
    /// the recheck limit to process it again.
    mutating func reviewReturn(_ upheld: Bool, _ note: String) throws(CaseTransitionError) {
        guard record.state == .closed(.returned), var last = record.returns.last, last.review == nil else { throw illegal }
        if !upheld { try Validate.nonEmpty(note, "note") }
        last.review = ReturnReview(upheld: upheld, note: note, by: actor, at: at)
        record.returns[record.returns.count - 1] = last
        try stopClocks([.refusalReview])
        actions.append(.recordRefusalReview)
        guard !upheld else { return }
        record.kind = nil
        record.closedAt = nil
        record.state = .received
        try startClock(.refusalRecheck, settings.limits.refusalRecheck, reference: at)
        actions.append(.notify(.handler, .refusalOverturned))
    }

    /// 不能办理: the handler writes the reason and signs.
    mutating func declareCannotHandle(_ reason: String) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.promised, .joint])
        try requireAccountable()
        try Validate.nonEmpty(reason, "reason")
        try stopAllClocks()
        record.state = .closed(.cannotHandle(reason: reason, by: actor))
        actions.append(.issueNotice(.cannotHandleNotice))
    }
}
