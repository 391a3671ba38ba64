@testable import BanjianDomain
import Testing

/// The events that alert the supervisors beside the rungs (issue 13 §1).
@Suite("Case alerts") struct CaseAlertTests {
    typealias F = Fixture

    @Test("a return and a dissatisfied applicant alert the supervisors; a satisfied one does not")
    func alerts() throws {
        var returned = CaseDriver()
        try returned.apply(.received(F.intake()), by: F.acceptor)
        let actions = try returned.apply(.returned(category: .incompleteDocuments, reason: "缺少原件", appealRights: "可申请复议"), by: F.acceptor)
        #expect(actions.contains(.alertSupervisors(.returned)))

        for (satisfaction, alerted) in [(Satisfaction.dissatisfied, true), (.satisfied, false)] {
            var driver = try FollowUpRuleTests.handedOver()
            let feedback = try driver.apply(.feedbackRecorded(satisfaction: satisfaction, comment: ""), by: F.acceptor)
            #expect(feedback.contains(.alertSupervisors(.dissatisfied)) == alerted, "\(satisfaction)")
        }
    }
}

/// 回访: the follow-up a dissatisfied applicant opens (issue 13 §3).
@Suite("Follow-ups") struct FollowUpRuleTests {
    typealias F = Fixture

    /// A case handed over to the applicant.
    static func handedOver() throws -> CaseDriver {
        var driver = CaseDriver()
        try driver.apply(.received(F.intake()), by: F.acceptor)
        try driver.apply(.accepted(Acceptance(route: F.promisedRoute)), by: F.acceptor)
        try driver.apply(.completed(F.decision), by: F.handler)
        try driver.apply(.replied, by: F.handler)
        try driver.apply(.handedOver(recipient: "张三", method: .inPerson, recipientSigned: true), by: F.acceptor)
        return driver
    }

    @Test("a dissatisfied applicant opens the follow-up; archiving waits for it; its outcome stops the clock")
    func followUp() throws {
        var driver = try Self.handedOver()
        let actions = try driver.apply(.feedbackRecorded(satisfaction: .dissatisfied, comment: "", followUpWithin: .workingDays(3)), by: F.acceptor)
        #expect(actions.contains(.notify(.director, .followUpOpened)) && actions.contains(.scheduleRungs(.followUp)))
        #expect(driver.record?.followUp?.isOpen == true && driver.record?.clocks[.followUp]?.isRunning == true)
        #expect(throws: CaseTransitionError.followUpPending) { try driver.apply(.archived, by: F.acceptor) }
        #expect(throws: CaseTransitionError.roleNotPermitted(.acceptor, event: .followUpRecorded)) {
            try driver.apply(.followUpRecorded(outcome: .unfounded, note: "不属实"), by: F.acceptor)
        }
        try driver.apply(.followUpRecorded(outcome: .unfounded, note: "经核实不属实"), by: F.director)
        #expect(driver.record?.followUp?.outcome == .unfounded && driver.record?.clocks[.followUp]?.isStopped == true)
        #expect(throws: CaseTransitionError.followUpAlreadyRecorded) {
            try driver.apply(.followUpRecorded(outcome: .verified, note: "再次"), by: F.director)
        }
        try driver.apply(.archived, by: F.acceptor)
    }

    @Test("feedback recorded before follow-ups existed replays as it was: no follow-up, archived at once")
    func oldFeedback() throws {
        var driver = try Self.handedOver()
        try driver.apply(.feedbackRecorded(satisfaction: .dissatisfied, comment: ""), by: F.acceptor)
        #expect(driver.record?.followUp == nil && driver.record?.clocks[.followUp] == nil)
        try driver.apply(.archived, by: F.acceptor)
        var satisfied = try Self.handedOver()
        #expect(throws: CaseTransitionError.invalidField("feedback_recorded.follow_up_within", reason: "only a dissatisfied applicant opens a follow-up")) {
            try satisfied.apply(.feedbackRecorded(satisfaction: .satisfied, comment: "", followUpWithin: .workingDays(3)), by: F.acceptor)
        }
        #expect(throws: CaseTransitionError.noFollowUp) { try satisfied.apply(.followUpRecorded(outcome: .verified, note: "x"), by: F.director) }
    }
}
