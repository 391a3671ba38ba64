import Foundation

extension CaseStateMachine.Step {
    /// Names a (new) handler and department.
    mutating func assign(_ assignment: Assignment) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.immediate, .promised, .joint, .forwardedUp], specialStep: true)
        try Validate.nonEmpty(assignment.department, "department")
        record.assignment = assignment
        actions.append(.notify(.handler, .assigned))
    }

    /// One department of a joint case finishes its part.
    mutating func completeJointPart(_ department: String, _ outcome: Outcome, _ opinion: Opinion?) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.joint])
        guard var joint = record.joint, let index = joint.participants.firstIndex(where: { $0.department == department }) else {
            throw .unknownDepartment(department)
        }
        guard joint.participants[index].completedAt == nil else { throw .departmentAlreadyCompleted(department) }
        joint.participants[index].outcome = outcome
        joint.participants[index].opinion = opinion?.signed(by: actor, at: at)
        joint.participants[index].completedAt = at
        record.joint = joint
    }

    /// Forwards a case in handling to the higher level (上报).
    mutating func escalate(_ plan: EscalationPlan) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.promised, .joint])
        try validate(plan, field: "escalation")
        record.kind = .escalated
        record.escalation = Escalation(target: plan.target, preliminaryOpinion: plan.preliminaryOpinion.signed(by: actor, at: at), forwardedAt: at)
        record.state = .handling(HandlingStage(route: .forwardedUp))
        try startForwarding(plan)
    }

    /// The escalated case's target node, checked against the actor's node.
    private func escalationFromTarget() throws(CaseTransitionError) -> Escalation {
        guard let escalation = record.escalation else { throw illegal }
        guard actor.node == escalation.target else { throw .wrongNode(actual: actor.node, expected: escalation.target) }
        return escalation
    }

    /// The higher level issues its 决定受理通知书; forwarding is done.
    mutating func acknowledgeEscalation(_ noticeNumber: String) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.forwardedUp], specialStep: true)
        var escalation = try escalationFromTarget()
        guard escalation.acknowledgedAt == nil else { throw illegal }
        escalation.acknowledgedAt = at
        escalation.acknowledgementNumber = noticeNumber
        record.escalation = escalation
        try stopClocks([.forwarding])
    }

    /// The higher level decides; the result travels back down.
    mutating func decideEscalation(_ decision: Decision) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.forwardedUp])
        var escalation = try escalationFromTarget()
        if escalation.acknowledgedAt == nil { escalation.acknowledgedAt = at }
        escalation.decidedAt = at
        record.escalation = escalation
        try finish(decision)
    }

    /// A hearing, survey or other special step pauses the handling clocks.
    mutating func startSpecialStep(_ kind: SpecialStep.Kind, _ note: String, _ expectedEnd: Date?) throws(CaseTransitionError) {
        var stage = try handlingStage(allowing: [.promised, .joint, .forwardedUp])
        if let expectedEnd, expectedEnd <= at {
            throw .invalidField("expected_end_at", reason: "must lie after the step starts")
        }
        stage.specialStep = SpecialStep(kind: kind, note: note, startedAt: at, expectedEndAt: expectedEnd)
        record.state = .handling(stage)
        try pauseClocks([.promised, .statutory], reason: "special step: \(kind.rawValue)")
    }

    mutating func endSpecialStep(_ outcome: String) throws(CaseTransitionError) {
        var stage = try handlingStage(allowing: [.promised, .joint, .forwardedUp], specialStep: true)
        guard var step = stage.specialStep else { throw .noSpecialStep }
        step.endedAt = at
        step.outcome = outcome
        record.specialSteps.append(step)
        stage.specialStep = nil
        record.state = .handling(stage)
        try resumeClocks([.promised, .statutory])
    }

    /// The handler asks a leader for an extension (延期), with a reason, before the clock is due.
    mutating func requestExtension(_ kind: ClockKind, _ days: Int, _ reason: String) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.promised, .joint, .forwardedUp], specialStep: true)
        guard kind == .promised || kind == .statutory else {
            throw .invalidField("clock", reason: "only the promised or statutory limit can be extended")
        }
        guard let clock = record.clocks[kind], !clock.isStopped else { throw .noSuchClock(kind) }
        try requireAccountable()
        if underCatalogue, let due = clock.due(calendar: calendar)?.instant, due <= at { throw .alreadyOverdue(kind, due: due) }
        guard (1...ExtensionRecord.maximumWorkingDays).contains(days) else {
            throw .invalidField("working_days", reason: "must be in 1...\(ExtensionRecord.maximumWorkingDays), got \(days)")
        }
        try Validate.nonEmpty(reason, "reason")
        guard record.pendingExtension == nil else { throw .extensionAlreadyPending }
        record.extensions.append(ExtensionRecord(clock: kind, workingDays: days, reason: reason, requestedBy: actor, requestedAt: at))
        actions.append(.notify(.deputy, .extensionRequested))
    }

    /// A leader approves or rejects the pending extension; an approval extends the clock and the
    /// applicant is told why.
    mutating func decideExtension(_ approved: Bool, _ note: String) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.promised, .joint, .forwardedUp], specialStep: true)
        guard var pending = record.pendingExtension else { throw .noPendingExtension }
        guard pending.requestedBy.operatorID != actor.operatorID else { throw .selfApproval }
        pending.decidedBy = actor
        pending.decidedAt = at
        pending.approved = approved
        pending.decisionNote = note
        record.extensions[record.extensions.count - 1] = pending
        guard approved else { return }
        guard var clock = record.clocks[pending.clock], !clock.isStopped else { throw .noSuchClock(pending.clock) }
        let day = clock.measure == .workingTime ? calendar.workingSecondsPerDay : 86_400
        do {
            try clock.extend(bySeconds: Int64(pending.workingDays) * day, at: at, approver: actor.name, reason: pending.reason)
        } catch { throw .ledger(error) }
        record.clocks[pending.clock] = clock
        if clock.isRunning { actions.append(.scheduleRungs(pending.clock)) }
        actions.append(.issueNotice(.extensionNotice))
    }

    /// A 催办单 to the handler.
    mutating func urge(_ reason: String, _ instruction: Opinion?) throws(CaseTransitionError) {
        _ = try handlingStage(allowing: [.immediate, .promised, .joint, .forwardedUp], specialStep: true)
        try Validate.nonEmpty(reason, "reason")
        record.urgings.append(Urging(reason: reason, directorInstruction: instruction, handler: record.assignment?.handler, by: actor, at: at))
        actions.append(.issueNotice(.urgingSlip))
        actions.append(.notify(.handler, .urged))
    }
}
