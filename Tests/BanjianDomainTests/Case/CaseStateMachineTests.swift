import Foundation
import Testing
@testable import BanjianDomain

@Suite("Case state machine")
struct CaseStateMachineTests {
    typealias F = Fixture

    private func promisedCase(settings: CentreSettings = .standard, limit: TimeLimit = .workingDays(5),
                              start: Date = F.at("2025-09-26", 10)) throws -> CaseDriver {
        var d = CaseDriver(settings: settings, start: start)
        try d.apply(.received(F.intake()), by: F.acceptor, after: 0)
        try d.apply(.accepted(Acceptance(route: F.promisedRoute, limits: CaseLimits(promised: limit))), by: F.acceptor, after: 0)
        return d
    }

    @Test("a promised case's clock counts from the next day and skips National Day 2025")
    func promisedClockAcrossNationalDay() throws {
        // Accepted Friday 2025-09-26. Working days after it: 09-28 (Sunday, 调休), 09-29, 09-30,
        // then 10-01…10-08 are off, so 10-09 and 10-10.
        let d = try promisedCase()
        let record = try #require(d.record)
        let due = try #require(record.clocks[.promised]?.due(calendar: F.calendar))
        #expect(due.instant == F.at("2025-10-10", 17, 30))
        #expect(!due.provisional)
        #expect(d.lastActions.contains(.scheduleRungs(.promised)))
        #expect(d.lastActions.contains(.issueNotice(.promisedAcceptance)))
    }

    @Test("receipt-day centres count the acceptance day as day one")
    func receiptDayClockStart() throws {
        var settings = CentreSettings.standard
        settings.clockStart = .receiptDay
        let d = try promisedCase(settings: settings, limit: .workingDays(2), start: F.at("2025-03-10", 10))
        let due = try #require(d.record?.clocks[.promised]?.due(calendar: F.calendar))
        #expect(due.instant == F.at("2025-03-11", 17, 30))
    }

    @Test("an immediate case gets 30 working minutes from acceptance")
    func immediateClock() throws {
        var d = CaseDriver(start: F.at("2025-03-10", 11, 50))
        try d.apply(.received(F.intake()), by: F.acceptor, after: 0)
        try d.apply(.accepted(Acceptance(route: .immediate)), by: F.acceptor, after: 0)
        // 10 minutes before lunch, 20 after it.
        let due = try #require(d.record?.clocks[.promised]?.due(calendar: F.calendar))
        #expect(due.instant == F.at("2025-03-10", 14, 50))
        try d.apply(.completed(F.decision), by: F.acceptor)
        #expect(d.state == .completed)
        #expect(d.record?.clocks[.promised]?.isStopped == true)
        #expect(d.record?.clocks[.delivery]?.isRunning == true)
    }

    @Test("a 补办件's clock starts from the day the materials are complete")
    func supplementClockFromCompletion() throws {
        var d = CaseDriver(start: F.at("2025-03-10", 10))
        try d.apply(.received(F.intake()), by: F.acceptor, after: 0)
        try d.apply(.supplementRequested(SupplementRequest(missing: [F.missingLicence, Material(id: "m4", name: "收入证明", status: .missing)], note: "一次性告知")), by: F.acceptor)
        #expect(d.record?.kind == .supplement)
        #expect(throws: CaseTransitionError.illegalTransition(event: .accepted, state: .supplementPending)) {
            try d.apply(.accepted(Acceptance(route: F.promisedRoute)), by: F.acceptor)
        }
        try d.apply(.materialsSupplied(materialIDs: ["m3"]), by: F.acceptor, after: 60 * 24)
        #expect(d.state == .supplementPending(resumeTo: nil))
        try d.apply(.materialsSupplied(materialIDs: ["m4"]), by: F.acceptor, after: 60 * 24) // Wed 03-12
        #expect(d.state == .received)
        #expect(d.record?.materialsCompletedAt == d.now)
        try d.apply(.accepted(Acceptance(route: F.promisedRoute, limits: CaseLimits(promised: .workingDays(3)))), by: F.acceptor, after: 60 * 24)
        let due = try #require(d.record?.clocks[.promised]?.due(calendar: F.calendar))
        #expect(due.instant == F.at("2025-03-17", 17, 30)) // Thu, Fri, Mon after Wed 03-12
        #expect(d.record?.supplemented == true)
        #expect(d.record?.kind == .promised)
    }

    @Test("a missing main document means a return, not a supplement, on accept-then-supplement centres")
    func mainDocumentRule() throws {
        var d = CaseDriver()
        try d.apply(.received(F.intake()), by: F.acceptor)
        let main = Material(id: "m5", name: "营业执照", isMainDocument: true, status: .missing)
        #expect(throws: CaseTransitionError.mainDocumentMissing("m5")) {
            try d.apply(.supplementRequested(SupplementRequest(missing: [main], note: "")), by: F.acceptor)
        }
        var settings = CentreSettings.standard
        settings.incompleteMaterials = .supplementThenAccept
        var b = CaseDriver(settings: settings)
        try b.apply(.received(F.intake()), by: F.acceptor)
        #expect(b.record?.registeredAt == nil)
        try b.apply(.supplementRequested(SupplementRequest(missing: [main], note: "")), by: F.acceptor)
        #expect(b.record?.kind == nil, "supplement-then-accept centres do not count a 补办件")
        try b.apply(.materialsSupplied(materialIDs: ["m5"]), by: F.acceptor)
        #expect(b.record?.registeredAt == b.now)
    }

    @Test("the one-time notice is given once")
    func oneTimeNotice() throws {
        var d = CaseDriver()
        try d.apply(.received(F.intake()), by: F.acceptor)
        try d.apply(.supplementRequested(SupplementRequest(missing: [F.missingLicence], note: "")), by: F.acceptor)
        try d.apply(.materialsSupplied(materialIDs: ["m3"]), by: F.acceptor)
        #expect(throws: CaseTransitionError.invalidField("missing", reason: "the one-time notice (一次性告知) was already issued for this case")) {
            try d.apply(.supplementRequested(SupplementRequest(missing: [Material(id: "m8", name: "x", status: .missing)], note: "")), by: F.acceptor)
        }
    }

    @Test("a 补正 during handling pauses the clocks and resumes them")
    func correctionPauses() throws {
        var d = try promisedCase(start: F.at("2025-03-10", 9))
        try d.apply(.supplementRequested(SupplementRequest(missing: [F.missingLicence], note: "补正")), by: F.acceptor, after: 24 * 60)
        #expect(d.record?.clocks[.promised]?.due(calendar: F.calendar) == nil)
        #expect(d.lastActions.contains(.cancelRungs(.promised)))
        try d.apply(.materialsSupplied(materialIDs: ["m3"]), by: F.acceptor, after: 7 * 24 * 60)
        #expect(d.state == .handling(HandlingStage(route: .promised)))
        // Counting began Tue 03-11; paused at 09:00 after 30 minutes; resumed Tue 03-18 09:00 with
        // 1920 minutes left: 360 that Tuesday, then Wed, Thu, Fri and Mon 03-24 to 17:30.
        let due = try #require(d.record?.clocks[.promised]?.due(calendar: F.calendar))
        #expect(due.instant == F.at("2025-03-24", 17, 30))
    }

    @Test("a special step pauses the promised and statutory clocks")
    func specialStep() throws {
        var d = try promisedCase(start: F.at("2025-03-10", 9))
        try d.apply(.specialStepStarted(kind: .hearing, note: "听证会", expectedEndAt: nil), by: F.handler, after: 24 * 60 + 60) // Tue 10:00
        let paused = try #require(d.record?.clocks[.promised])
        #expect(paused.consumedSeconds(at: d.now, calendar: F.calendar) == 90 * 60)
        try d.apply(.specialStepEnded(outcome: "听证完成"), by: F.handler, after: 7 * 24 * 60)
        #expect(d.record?.clocks[.promised]?.isRunning == true)
        #expect(d.lastActions == [.scheduleRungs(.promised), .emit(.supervisionCopy, to: .parent)])
    }

    @Test("an extension needs a reason and a leader other than the requester, and moves the due instant")
    func extensionNeedsLeader() throws {
        var d = try promisedCase(start: F.at("2025-03-10", 9))
        let before = try #require(d.record?.clocks[.promised]?.due(calendar: F.calendar))
        #expect(throws: CaseTransitionError.invalidField("reason", reason: "must not be empty")) {
            try d.apply(.extensionRequested(clock: .promised, workingDays: 2, reason: " "), by: F.handler)
        }
        try d.apply(.extensionRequested(clock: .promised, workingDays: 2, reason: "需现场核实"), by: F.handler)
        #expect(throws: CaseTransitionError.extensionAlreadyPending) {
            try d.apply(.extensionRequested(clock: .promised, workingDays: 1, reason: "again"), by: F.handler)
        }
        #expect(throws: CaseTransitionError.roleNotPermitted(.handler, event: .extensionDecided)) {
            try d.apply(.extensionDecided(approved: true, note: ""), by: F.handler)
        }
        let selfApprover = Actor(operatorID: F.handler.operatorID, name: "x", role: .deputy, node: F.township)
        #expect(throws: CaseTransitionError.selfApproval) {
            try d.apply(.extensionDecided(approved: true, note: ""), by: selfApprover)
        }
        try d.apply(.extensionDecided(approved: true, note: "同意"), by: F.deputy)
        let after = try #require(d.record?.clocks[.promised]?.due(calendar: F.calendar))
        #expect(after.instant == F.calendar.addingWorkingDays(2, to: before.instant).instant)
        #expect(d.record?.wasExtended == true)
        #expect(d.record?.clocks[.promised]?.epoch == 1)
        #expect(d.lastActions == [.scheduleRungs(.promised), .issueNotice(.extensionNotice), .emit(.supervisionCopy, to: .parent)])
    }

    @Test("a return files a refusal; the leader overturns it and the handler gets one working day")
    func returnAndOverturn() throws {
        var d = CaseDriver(start: F.at("2025-03-10", 10))
        try d.apply(.received(F.intake()), by: F.acceptor, after: 0)
        #expect(throws: CaseTransitionError.invalidField("reason", reason: "must not be empty")) {
            try d.apply(.returned(category: .other, reason: "", appealRights: ""), by: F.acceptor)
        }
        let actions = try d.apply(.returned(category: .policyViolation, reason: "不符合政策", appealRights: "可申请复议"), by: F.acceptor)
        #expect(actions.contains(.fileRefusal))
        #expect(d.record?.kind == .returned)
        let review = try #require(d.record?.clocks[.refusalReview]?.due(calendar: F.calendar))
        #expect(review.instant == F.at("2025-03-12", 17, 30))
        #expect(throws: CaseTransitionError.refusalReviewPending) { try d.apply(.archived, by: F.acceptor) }
        #expect(throws: CaseTransitionError.invalidField("note", reason: "must not be empty")) {
            try d.apply(.returnReviewed(upheld: false, note: ""), by: F.director)
        }
        try d.apply(.returnReviewed(upheld: false, note: "退回理由不成立"), by: F.director)
        #expect(d.state == .received)
        #expect(d.record?.clocks[.refusalReview]?.isStopped == true)
        #expect(d.record?.clocks[.refusalRecheck]?.isRunning == true)
        try d.apply(.accepted(Acceptance(route: F.promisedRoute)), by: F.acceptor)
        #expect(d.record?.clocks[.refusalRecheck]?.isStopped == true)
        #expect(d.record?.returns.last?.review?.by == F.director)
    }

    @Test("joint cases need the centre's threshold of departments and all parts done", arguments: [2, 3])
    func jointThreshold(threshold: Int) throws {
        var settings = CentreSettings.standard
        settings.jointThreshold = threshold
        var d = CaseDriver(settings: settings)
        try d.apply(.received(F.intake()), by: F.acceptor)
        let accept = CaseEvent.accepted(Acceptance(route: F.jointRoute))
        if threshold == 3 {
            #expect(throws: CaseTransitionError.jointBelowThreshold(count: 2, threshold: 3)) { try d.apply(accept, by: F.acceptor) }
            return
        }
        try d.apply(accept, by: F.acceptor)
        #expect(d.lastActions.contains(.issueNotice(.jointNotice)))
        try d.apply(.jointDepartmentCompleted(department: "民政", outcome: .approved, opinion: Opinion(text: "同意")), by: F.handler)
        #expect(throws: CaseTransitionError.departmentAlreadyCompleted("民政")) {
            try d.apply(.jointDepartmentCompleted(department: "民政", outcome: .approved, opinion: nil), by: F.handler)
        }
        #expect(throws: CaseTransitionError.unknownDepartment("财政")) {
            try d.apply(.jointDepartmentCompleted(department: "财政", outcome: .approved, opinion: nil), by: F.handler)
        }
        #expect(throws: CaseTransitionError.jointDepartmentsPending(["国土"])) { try d.apply(.completed(F.decision), by: F.handler) }
        try d.apply(.jointDepartmentCompleted(department: "国土", outcome: .approved, opinion: Opinion(text: "同意")), by: F.handler)
        try d.apply(.completed(F.decision), by: F.handler)
        #expect(d.state == .completed)
    }

    @Test("escalation: only the target node acknowledges and decides; the result goes down")
    func escalation() throws {
        var d = CaseDriver()
        try d.apply(.received(F.intake()), by: F.acceptor)
        #expect(throws: CaseTransitionError.invalidField("route.escalated.target", reason: "341182102201 is not a higher level above node 341182102")) {
            try d.apply(.accepted(Acceptance(route: .escalated(EscalationPlan(target: F.village, preliminaryOpinion: Opinion(text: "x")), handler: nil))), by: F.acceptor)
        }
        let actions = try d.apply(.accepted(Acceptance(route: F.escalatedRoute)), by: F.acceptor)
        #expect(actions.contains(.emit(.escalation, to: .node(F.county))))
        #expect(d.record?.clocks[.forwarding]?.isRunning == true)
        #expect(throws: CaseTransitionError.wrongNode(actual: F.township, expected: F.county)) {
            try d.apply(.escalationAcknowledged(noticeNumber: "决字〔2025〕1号"), by: F.handler)
        }
        try d.apply(.escalationAcknowledged(noticeNumber: "决字〔2025〕1号"), by: F.countyHandler)
        #expect(d.record?.clocks[.forwarding]?.isStopped == true)
        let decided = try d.apply(.escalationDecided(F.decision), by: F.countyHandler)
        #expect(decided.contains(.emit(.result, to: .node(F.township))))
        #expect(d.state == .completed)
        #expect(d.record?.escalation?.decidedAt == d.now)
    }

    @Test("an agency case runs from the village through the township back to the citizen, with feedback required")
    func agencyFlow() throws {
        var d = CaseDriver()
        #expect(throws: CaseTransitionError.invalidField("channel", reason: "a village agent records agency cases only")) {
            try d.apply(.received(F.intake()), by: F.agent)
        }
        try d.apply(.received(F.intake(channel: .agency)), by: F.agent)
        #expect(d.state == .agencyIntake)
        let submitted = try d.apply(.agencySubmitted(to: F.township), by: F.agent)
        #expect(submitted == [.emit(.escalation, to: .node(F.township)), .emit(.supervisionCopy, to: .parent)])
        try d.apply(.accepted(Acceptance(route: F.promisedRoute)), by: F.acceptor)
        #expect(d.lastActions.contains(.notify(.agent, .agencyAccepted)))
        let done = try d.apply(.completed(F.decision), by: F.handler)
        #expect(done.contains(.emit(.result, to: .node(F.village))))
        try d.apply(.replied, by: F.handler)
        try d.apply(.handedOver(recipient: "张三", method: .agent, recipientSigned: true), by: F.agent)
        #expect(throws: CaseTransitionError.feedbackRequired) { try d.apply(.archived, by: F.acceptor) }
        try d.apply(.feedbackRecorded(satisfaction: .satisfied, comment: "很方便"), by: F.agent)
        try d.apply(.archived, by: F.acceptor)
        #expect(d.state == .archived(closure: nil))
        #expect(d.record?.version == 8)
    }

    @Test("roles are checked for every event", arguments: CaseEvent.Name.allCases)
    func roleTable(name: CaseEvent.Name) {
        #expect(!name.permittedRoles.isEmpty)
        #expect(!name.permittedRoles.contains(.auditor), "auditors only read")
        #expect(name.permittedRoles.contains(.system) == [.rungFired, .deadlinesCorrected, .supervisionOrdered].contains(name))
    }

    @Test("a rung fires exactly once per epoch and the due rung marks the breach")
    func rungsExactlyOnce() throws {
        var d = try promisedCase(start: F.at("2025-03-10", 9))
        let key = RungKey(clock: .promised, rung: .due, epoch: 0)
        let actions = try d.apply(.rungFired(key), by: F.system)
        #expect(actions.contains(.raiseAlert(key)))
        #expect(d.record?.wasOverdue == true)
        #expect(throws: CaseTransitionError.rungAlreadyFired(key)) { try d.apply(.rungFired(key), by: F.system) }
        #expect(throws: CaseTransitionError.staleRung(RungKey(clock: .promised, rung: .warning, epoch: 3))) {
            try d.apply(.rungFired(RungKey(clock: .promised, rung: .warning, epoch: 3)), by: F.system)
        }
        #expect(throws: CaseTransitionError.noSuchClock(.statutory)) {
            try d.apply(.rungFired(RungKey(clock: .statutory, rung: .due, epoch: 0)), by: F.system)
        }
        #expect(throws: CaseTransitionError.roleNotPermitted(.director, event: .rungFired)) {
            try d.apply(.rungFired(RungKey(clock: .promised, rung: .warning, epoch: 0)), by: F.director)
        }
        try d.apply(.rungFired(RungKey(clock: .promised, rung: .urge, epoch: 0)), by: F.system)
        #expect(d.record?.urgings.count == 1)
    }

    @Test("a calendar correction withdraws early firings, re-arms them and lifts the breach")
    func deadlineCorrection() throws {
        var d = try promisedCase(start: F.at("2025-03-10", 9))
        let fired = [RungKind.warning, .due, .urge].map { RungKey(clock: .promised, rung: $0, epoch: 0) }
        for key in fired { try d.apply(.rungFired(key), by: F.system) }
        let before = try #require(d.record)
        #expect(before.wasOverdue)
        // Past the due (Monday 03-17, closing time) nothing fired early; on Monday morning four
        // of the five working days (from Tuesday 03-11) are used: the warning was due, the rest not.
        #expect(before.rungsFiredEarly(at: F.at("2025-03-18", 9), ladder: .standard, calendar: F.calendar).isEmpty)
        let early = before.rungsFiredEarly(at: F.at("2025-03-17", 9), ladder: .standard, calendar: F.calendar)
        #expect(early == Array(fired.dropFirst()))

        let correction = DeadlineCorrection(calendar: "corrected", withdrawn: early)
        #expect(throws: CaseTransitionError.roleNotPermitted(.director, event: .deadlinesCorrected)) {
            try d.apply(.deadlinesCorrected(correction), by: F.director)
        }
        #expect(throws: CaseTransitionError.invalidField("withdrawn", reason: "names no rung")) {
            try d.apply(.deadlinesCorrected(DeadlineCorrection(calendar: "corrected", withdrawn: [])), by: F.system)
        }
        #expect(throws: CaseTransitionError.staleRung(RungKey(clock: .promised, rung: .supervise, epoch: 0))) {
            try d.apply(.deadlinesCorrected(DeadlineCorrection(calendar: "corrected", withdrawn: [RungKey(clock: .promised, rung: .supervise, epoch: 0)])), by: F.system)
        }
        #expect(d.record == before, "a rejected correction changed the record")

        let actions = try d.apply(.deadlinesCorrected(correction), by: F.system)
        let after = try #require(d.record)
        #expect(actions == [.emit(.supervisionCopy, to: .parent)] && !after.wasOverdue && after.invariantViolations == [])
        let clock = try #require(after.clocks[.promised])
        #expect(clock.epoch == 1)
        #expect(after.firedRungs == Set(fired + [RungKey(clock: .promised, rung: .warning, epoch: 1)]))
        let pending = RungLadder.standard.pendingRungs(of: clock, fired: after.firedRungs, calendar: F.calendar)
        #expect(pending.map(\.key.rung) == [.due, .urge, .supervise, .reportUp] && pending.allSatisfy { $0.key.epoch == 1 })
        // The old keys are stale now; the re-armed due fires once more and marks the breach again.
        #expect(throws: CaseTransitionError.staleRung(fired[1])) { try d.apply(.deadlinesCorrected(correction), by: F.system) }
        try d.apply(.rungFired(RungKey(clock: .promised, rung: .due, epoch: 1)), by: F.system)
        #expect(d.record?.wasOverdue == true)
    }

    @Test("the first event must open the case, and only once")
    func opening() throws {
        var d = CaseDriver()
        #expect(throws: CaseTransitionError.caseNotOpen) { try d.apply(.archived, by: F.acceptor) }
        try d.apply(.received(F.intake()), by: F.acceptor)
        #expect(throws: CaseTransitionError.caseAlreadyOpen(F.number())) { try d.apply(.received(F.intake()), by: F.acceptor) }
        var bad = F.intake()
        bad.materials.append(Material(id: "m1", name: "dup", status: .provided))
        var fresh = CaseDriver()
        #expect(throws: CaseTransitionError.invalidField("materials[2].id", reason: "duplicate id 'm1'")) {
            try fresh.apply(.received(bad), by: F.acceptor)
        }
    }

    @Test("replaying the log rebuilds the same record")
    func replay() throws {
        var d = CaseDriver()
        var log: [(event: CaseEvent, at: Date, by: Actor)] = []
        let steps: [(CaseEvent, Actor)] = [
            (.received(F.intake()), F.acceptor),
            (.accepted(Acceptance(route: F.promisedRoute)), F.acceptor),
            (.extensionRequested(clock: .promised, workingDays: 1, reason: "r"), F.handler),
            (.extensionDecided(approved: false, note: "no"), F.deputy),
            (.urged(reason: "快", directorInstruction: nil), F.acceptor),
            (.completed(F.decision), F.handler),
        ]
        for (event, actor) in steps {
            try d.apply(event, by: actor)
            log.append((event, d.now, actor))
        }
        #expect(try d.machine.replay(log) == d.record)
    }
}
