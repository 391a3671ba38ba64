import Foundation

extension CaseStateMachine.Step {
    /// 办结 at this node: immediate, promised or joint (all departments done).
    mutating func complete(_ decision: Decision) throws(CaseTransitionError) {
        let stage = try handlingStage(allowing: [.immediate, .promised, .joint])
        try requireAccountable()
        if stage.route == .joint, let joint = record.joint, !joint.isComplete {
            throw .jointDepartmentsPending(joint.participants.filter { $0.completedAt == nil }.map(\.department))
        }
        try finish(decision)
    }

    /// Records the result, stops the handling clocks and starts the delivery clock.
    mutating func finish(_ decision: Decision) throws(CaseTransitionError) {
        try Validate.nonEmpty(decision.summary, "decision.summary")
        record.result = CaseResult(decision: decision, completedBy: actor, completedAt: at)
        try stopClocks(Self.handlingClocks + [.refusalRecheck])
        record.state = .completed
        try startClock(.delivery, settings.limits.delivery, reference: at)
        let origin = record.agency?.village ?? record.number.origin
        if origin != actor.node { actions.append(.emit(.result, to: .node(origin))) }
        actions.append(.notify(.acceptor, .resultReady))
    }

    /// The handler hands the result back to acceptance (signed).
    mutating func reply() throws(CaseTransitionError) {
        guard record.state == .completed else { throw illegal }
        record.reply = HandOver(by: actor, recipient: record.acceptance?.acceptor.name ?? "", method: .inPerson, recipientSigned: true, at: at)
        record.state = .replied
        actions.append(.issueNotice(.resultReady))
    }

    /// The result reaches the applicant, at the window or through the village agent.
    mutating func handOver(_ recipient: String, _ method: HandOver.Method, _ signed: Bool) throws(CaseTransitionError) {
        guard record.state == .replied else { throw illegal }
        try Validate.nonEmpty(recipient, "recipient")
        record.handOver = HandOver(by: actor, recipient: recipient, method: method, recipientSigned: signed, at: at)
        try stopClocks([.delivery])
        record.state = .handedOver
    }

    /// 反馈情况: 满意 / 基本满意 / 不满意, or not evaluated when the applicant declines.
    mutating func recordFeedback(_ satisfaction: Satisfaction, _ comment: String, followUpWithin: TimeLimit?) throws(CaseTransitionError) {
        guard record.state == .handedOver else { throw illegal }
        if followUpWithin != nil, satisfaction != .dissatisfied {
            throw .invalidField("feedback_recorded.follow_up_within", reason: "only a dissatisfied applicant opens a follow-up")
        }
        record.feedback = Feedback(satisfaction: satisfaction, comment: comment, recordedBy: actor, at: at)
        record.state = .feedbackGiven
        if satisfaction == .dissatisfied {
            actions.append(.alertSupervisors(.dissatisfied))
            try openFollowUp(within: followUpWithin)
        }
    }

    /// 归档. A handed-over case needs its feedback first (possibly "not evaluated"); a refusal
    /// needs the leader's review first.
    mutating func archive() throws(CaseTransitionError) {
        let closure: Closure?
        switch record.state {
        case .feedbackGiven:
            if record.followUp?.isOpen == true { throw .followUpPending }
            closure = nil
        case .handedOver:
            // Satisfaction rates need a known base: recorded, or explicitly not evaluated. (Window
            // cases received before the catalogue drove them archived without it.)
            if underCatalogue || record.channel == .agency { throw .feedbackRequired }
            closure = nil
        case .closed(let ended):
            if ended == .returned, record.returns.last?.review == nil { throw .refusalReviewPending }
            closure = ended
        default:
            throw illegal
        }
        try stopAllClocks()
        record.archivedAt = at
        record.state = .archived(closure: closure)
    }

    /// A rung fired: recorded exactly once per clock epoch.
    mutating func fireRung(_ key: RungKey) throws(CaseTransitionError) {
        guard let clock = record.clocks[key.clock] else { throw .noSuchClock(key.clock) }
        guard !record.firedRungs.contains(key) else { throw .rungAlreadyFired(key) }
        guard key.epoch == clock.epoch, clock.isRunning else { throw .staleRung(key) }
        record.firedRungs.insert(key)
        actions.append(.raiseAlert(key))
        // The follow-up (回访) is the director's to do: its rungs go to the director, and urge no handler.
        let followUp = key.clock == .followUp
        switch key.rung {
        case .warning:
            actions.append(.notify(followUp ? .director : .handler, .rungWarning))
        case .due:
            record.breached.insert(key.clock)
            if key.clock == .supervisionOrder { breachTimedOrder() }
            actions.append(.notify(followUp ? .director : .acceptor, .rungDue))
        case .urge where followUp:
            actions.append(.notify(.director, .urged))
        case .urge:
            record.urgings.append(Urging(reason: "\(key.clock.rawValue) limit reached", directorInstruction: nil,
                                        handler: record.assignment?.handler, by: actor, at: at))
            actions.append(.issueNotice(.urgingSlip))
            actions.append(.notify(.handler, .urged))
        case .supervise:
            actions.append(.notify(.deputy, .rungSupervise))
        case .reportUp:
            break
        }
    }

    /// Withdraws rung firings that a calendar correction showed to be early. Each clock
    /// concerned starts a new epoch, so its withdrawn rungs fire again at their corrected
    /// instants, while the rungs it keeps stay fired under the new epoch. A withdrawn due rung
    /// lifts the overdue finding (超期) on that clock. Notices already issued stay in history.
    mutating func correctDeadlines(_ correction: DeadlineCorrection) throws(CaseTransitionError) {
        guard !correction.withdrawn.isEmpty else { throw .invalidField("withdrawn", reason: "names no rung") }
        let withdrawn = Set(correction.withdrawn)
        for kind in Set(withdrawn.map(\.clock)).sorted() {
            guard var clock = record.clocks[kind] else { throw .noSuchClock(kind) }
            // In key order, so that the first stale rung named is always the same one.
            for key in correction.withdrawn where key.clock == kind {
                guard key.epoch == clock.epoch, !clock.isStopped, record.firedRungs.contains(key) else { throw .staleRung(key) }
            }
            let kept = record.firedRungs.filter { $0.clock == kind && $0.epoch == clock.epoch && !withdrawn.contains($0) }
            do { try clock.rearm() } catch { throw .ledger(error) }
            record.clocks[kind] = clock
            for key in kept { record.firedRungs.insert(RungKey(clock: kind, rung: key.rung, epoch: clock.epoch)) }
            if withdrawn.contains(RungKey(clock: kind, rung: .due, epoch: clock.epoch - 1)) { record.breached.remove(kind) }
        }
    }
}
