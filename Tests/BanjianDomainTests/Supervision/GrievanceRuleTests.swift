import BanjianDomain
import Foundation
import Testing

/// Petitions and complaints as pure rules (domain.md §2.4, §2.5, §3.1), on the China mainland
/// calendar with office hours ending 17:30, and the default settings (clocks from the next day).
@Suite struct GrievanceRuleTests {
    static let township = NodeCode("341182102")!
    static let calendar = WorkingCalendar.chinaMainland()
    static let settings = CentreSettings()
    static func actor(_ role: Role) -> Actor { Actor(operatorID: "\(role.rawValue)-1", name: role.rawValue, role: role, node: township) }
    static func at(_ day: String, _ hour: Int) -> Date { calendar.zone.instant(CivilDate(iso: day)!, secondOfDay: hour * 3600) }
    static func number(_ n: Int) -> CaseNumber { CaseNumber("341182102-20250310-\(String(format: "%06d", n))")! }
    /// Monday 10 March 2025, 10:00.
    static let monday = at("2025-03-10", 10)
    static let visitor = Petition.Visitor(party: Party(name: "王五"))

    static func petition(_ route: Petition.Route, unit: String = "交通办", reply: String = "", confidential: Bool = false,
                         by role: Role = .acceptor) throws(GrievanceError) -> Petition {
        try Petition(registering: Petition.Form(channel: .visit, visitor: visitor, content: "反映村道损坏", route: route, confidential: confidential,
                                                assignedUnit: unit, replyPoints: reply),
                     number: number(1), by: actor(role), at: monday, settings: settings, calendar: calendar)
    }

    static func complaint(complex: Bool = false, written: Bool = false, settings: CentreSettings = settings) throws(GrievanceError) -> Complaint {
        try Complaint(registering: Complaint.Form(channel: .phone, complainant: Party(name: "赵六"), content: "态度生硬", targetDepartment: "社会事务服务部",
                                                  complex: complex, written: written),
                      number: number(2), by: actor(.acceptor), at: monday, settings: settings, calendar: calendar)
    }

    static func due(_ clock: DeadlineClock?) -> Date? { clock?.due(calendar: calendar)?.instant }

    @Test func aPetitionTakesEachRouteWithItsLimit() throws {
        let spot = try Self.petition(.immediateReply, reply: "已当面解释")
        #expect(spot.state == .replied && spot.replyClock == nil && spot.reply?.points == "已当面解释")
        #expect(throws: GrievanceError.self) { try Self.petition(.immediateReply) }
        #expect(throws: GrievanceError.self) { try Self.petition(.transfer, unit: "") }
        #expect(throws: GrievanceError.self) { try Self.petition(.transfer, reply: "only on the spot") }
        // 受理转办: 3 working days from Tuesday: Thursday at the end of office hours.
        let transfer = try Self.petition(.transfer)
        #expect(transfer.state == .registered && Self.due(transfer.replyClock) == Self.at("2025-03-13", 17) + 1800)
        // 领导批办: one week (7 days) from Tuesday 00:00.
        let leader = try Self.petition(.leaderInstruction)
        #expect(Self.due(leader.replyClock) == Self.at("2025-03-18", 0))
        #expect(throws: GrievanceError.self) {
            try leader.replying(points: "已答复", instruction: nil, feedback: nil, by: Self.actor(.handler), at: Self.at("2025-03-12", 9))
        }
        #expect(throws: GrievanceError.roleNotPermitted(.handler, action: "give a leader's instruction (a department head, deputy or director signs it)")) {
            try leader.replying(points: "已答复", instruction: Opinion(text: "同意", signer: Self.actor(.director)), feedback: nil,
                                by: Self.actor(.handler), at: Self.at("2025-03-12", 9))
        }
        // The director instructs alone; the handler answers after it.
        let instructed = try leader.replying(points: "", instruction: Opinion(text: "请交通办落实"), feedback: nil,
                                             by: Self.actor(.director), at: Self.at("2025-03-11", 9))
        #expect(instructed.state == .registered && instructed.leaderInstructions.map(\.signer?.role) == [.director] && instructed.version == 2)
        #expect(Grievance.petition(instructed).isSuccessor(of: .petition(leader)))
        let answered = try instructed.replying(points: "按政策办理", instruction: nil, feedback: nil, by: Self.actor(.handler), at: Self.at("2025-03-12", 9))
        #expect(answered.state == .replied && answered.replyClock?.isStopped == true && answered.reply?.by.role == .handler)
        // The feedback comes later, and closes it; nothing after.
        let feedback = Petition.Feedback(method: .phone, result: "电话告知", satisfaction: .dissatisfied, recordedBy: Self.actor(.handler), at: Self.at("2025-03-13", 9))
        #expect(throws: GrievanceError.self) {
            try answered.replying(points: "again", instruction: nil, feedback: feedback, by: Self.actor(.handler), at: Self.at("2025-03-13", 9))
        }
        let closed = try answered.replying(points: "", instruction: nil, feedback: feedback, by: Self.actor(.handler), at: Self.at("2025-03-13", 9))
        #expect(closed.state == .closed && closed.version == 4 && closed.feedback?.recordedBy.role == .handler)
        #expect(Grievance.petition(closed).alerts(since: .petition(answered)) == [.dissatisfied])
        #expect(throws: GrievanceError.self) {
            try closed.replying(points: "", instruction: nil, feedback: feedback, by: Self.actor(.handler), at: Self.at("2025-03-14", 9))
        }
        // A confidential petitioner is removed from the copy above; an auditor registers nothing.
        #expect(try Self.petition(.transfer, confidential: true).redacted.visitor.party.name == "")
        #expect(try Self.petition(.transfer).redacted.visitor.party.name == "王五")
        #expect(throws: GrievanceError.self) { try Self.petition(.transfer, by: .auditor) }
    }

    @Test func aComplaintIsDueTheNextWorkingDayOrWithinTheComplexLimit() throws {
        #expect(Self.due(try Self.complaint().replyClock) == Self.at("2025-03-11", 17) + 1800)
        // Complex: 5 working days (Tuesday to the next Monday), or a week where the centre says so.
        #expect(Self.due(try Self.complaint(complex: true).replyClock) == Self.at("2025-03-17", 17) + 1800)
        var weekly = Self.settings
        weekly.complexComplaintLimit = .oneWeek
        #expect(Self.due(try Self.complaint(complex: true, settings: weekly).replyClock) == Self.at("2025-03-18", 0))
        // A written complaint gets a written reply.
        let written = try Self.complaint(written: true)
        #expect(throws: GrievanceError.invalidField("reply_method", reason: "a written complaint gets a written reply (LETTER)")) {
            try written.replying(Complaint.ReplyForm(text: "已答复", method: .phone), satisfaction: nil, by: Self.actor(.handler),
                                 at: Self.at("2025-03-11", 9), settings: Self.settings, calendar: Self.calendar)
        }
    }

    @Test func anUnansweredComplaintEscalatesIsAnsweredLateAndReopened() throws {
        let registered = try Self.complaint()
        let dueKey = RungKey(clock: .complaintReply, rung: .due, epoch: 0)
        // At a county there is no county above: the due rung alerts but escalates nothing.
        #expect(try registered.firing(dueKey, at: Self.at("2025-03-11", 18), escalatingTo: nil).state == .registered)
        let escalated = try registered.firing(dueKey, at: Self.at("2025-03-11", 18), escalatingTo: NodeCode("341182")!)
        #expect(escalated.state == .escalated && escalated.escalatedTo == NodeCode("341182") && escalated.wasOverdue)
        #expect(throws: GrievanceError.rungAlreadyFired(dueKey)) { try escalated.firing(dueKey, at: Self.at("2025-03-11", 19), escalatingTo: nil) }
        #expect(Grievance.complaint(escalated).alerts(since: .complaint(registered)) == [.rung(dueKey), .escalated])
        // Answered on Thursday morning: 2 working days late (Wednesday, and part of Thursday).
        let answered = try escalated.replying(Complaint.ReplyForm(investigation: "属实", text: "已整改", method: .phone, verified: true), satisfaction: nil,
                                              by: Self.actor(.handler), at: Self.at("2025-03-13", 9), settings: Self.settings, calendar: Self.calendar)
        #expect(answered.state == .replied && answered.replies.last?.workingDaysLate == 2 && answered.replies.last?.dueAt == Self.at("2025-03-11", 17) + 1800)
        // Dissatisfied: handled again under a new epoch of the same limit, answered by the director or a deputy only.
        let reopened = try answered.recordingOpinion(.dissatisfied, by: Self.actor(.handler), at: Self.at("2025-03-13", 10), settings: Self.settings,
                                                     calendar: Self.calendar)
        #expect(reopened.state == .rehandling && reopened.rehandlingCount == 1 && reopened.replyClock?.epoch == 1)
        #expect(Self.due(reopened.replyClock) == Self.at("2025-03-14", 17) + 1800)
        let again = try reopened.firing(RungKey(clock: .complaintReply, rung: .due, epoch: 1), at: Self.at("2025-03-14", 18), escalatingTo: NodeCode("341182")!)
        #expect(again.state == .rehandling, "escalated once already")
        #expect(throws: GrievanceError.self) {
            try again.replying(Complaint.ReplyForm(text: "再答复", method: .phone), satisfaction: nil, by: Self.actor(.handler),
                               at: Self.at("2025-03-17", 9), settings: Self.settings, calendar: Self.calendar)
        }
        let final = try again.replying(Complaint.ReplyForm(text: "主任约谈整改", method: .inPerson, verified: true), satisfaction: .satisfied,
                                       by: Self.actor(.director), at: Self.at("2025-03-17", 9), settings: Self.settings, calendar: Self.calendar)
        #expect(final.state == .closed && final.replies.count == 2)
        // Facts: found true once, and each late answer with its working days.
        let facts = Grievance.complaint(final).scoreFacts
        #expect(facts.filter { $0.rule == .complaintVerified }.count == 1)
        #expect(facts.filter { $0.rule == .complaintLate }.map(\.count) == [2, 1])
        #expect(facts.allSatisfy { $0.department == "社会事务服务部" && $0.node == Self.township })
        // Statistics: one complaint, overdue; the copy above names no complainant.
        let tally = Grievance.complaint(final).tally(zone: Self.calendar.zone)
        #expect(tally.counters == [.complaints, .complaintsOverdue] && tally.key.department == "社会事务服务部" && tally.key.day == 20250310)
        #expect(final.redacted.complainant.name.isEmpty && final.complainant.name == "赵六")
        // A copy must follow the one before: answers only grow, fixed fields stay.
        #expect(Grievance.complaint(final).isSuccessor(of: .complaint(answered)))
        #expect(!Grievance.complaint(answered).isSuccessor(of: .complaint(final)))
        #expect(!Grievance.complaint(final).isSuccessor(of: .petition(try Self.petition(.transfer))))
    }

    @Test func aGroupVisitAlertsAtOnce() throws {
        let group = try Petition(registering: Petition.Form(channel: .visit, visitor: Self.visitor, content: "集体反映征地补偿", route: .leaderInstruction,
                                                            groupVisit: true),
                                 number: Self.number(3), by: Self.actor(.acceptor), at: Self.monday, settings: Self.settings, calendar: Self.calendar)
        #expect(Grievance.petition(group).alerts(since: nil) == [.groupVisit])
    }
}
