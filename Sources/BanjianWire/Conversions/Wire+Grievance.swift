package import BanjianDomain
package import Foundation
import SwiftProtobuf

// 信访 petitions and 投诉 complaints (petition.proto, complaint.proto): from a client, to a client,
// and whole on a link.

extension Mappings {
    static let petitionChannel = EnumMapping<Petition.Channel, Banjian_V1_PetitionChannel>([
        (.letter, .letter), (.visit, .visit), (.phone, .phone), (.online, .online),
    ])
    static let petitionRoute = EnumMapping<Petition.Route, Banjian_V1_PetitionRoute>([
        (.immediateReply, .immediateReply), (.transfer, .transfer), (.leaderInstruction, .leaderInstruction),
    ])
    static let petitionState = EnumMapping<Petition.State, Banjian_V1_PetitionState>([
        (.registered, .registered), (.replied, .replied), (.closed, .closed),
    ])
    static let sex = EnumMapping<Petition.Sex, Banjian_V1_Sex>([(.male, .male), (.female, .female)])
    static let contactMethod = EnumMapping<ContactMethod, Banjian_V1_ContactMethod>([
        (.inPerson, .inPerson), (.phone, .phone), (.letter, .letter), (.online, .online), (.sms, .sms),
    ])
    static let complaintChannel = EnumMapping<Complaint.Channel, Banjian_V1_ComplaintChannel>([
        (.onSite, .onSite), (.phone, .phone), (.letter, .letter), (.online, .online),
    ])
    static let complaintState = EnumMapping<Complaint.State, Banjian_V1_ComplaintState>([
        (.registered, .registered), (.replied, .replied), (.rehandling, .rehandling), (.escalated, .escalated), (.closed, .closed),
    ])
}

/// An optional enum: unspecified is `nil`.
private func optional<D, W>(_ mapping: EnumMapping<D, W>, _ value: W, _ field: String) throws(WireValidationError) -> D? {
    value.rawValue == 0 ? nil : try mapping.domain(value, field)
}

/// The highest version a copy may have: versions are stored as SQLite integers.
private let maximumVersion = UInt64(Int64.max)

/// A party whose name may have been removed above its handling node.
private func redactable(_ party: Banjian_V1_Party, _ field: String) throws(WireValidationError) -> Party {
    party.name.isEmpty ? Party(name: "") : try Party(wire: party, field: field)
}

/// An answer to a complaint with its fields checked (prefixed by `field.` when given); `nil` when
/// its text is empty, and then nothing else of an answer may be given.
private func replyForm(investigation: String, rectification: String, text: String, method: Banjian_V1_ContactMethod, verified: Bool,
                       field: String?) throws(WireValidationError) -> Complaint.ReplyForm? {
    let f = field.map { "\($0)." } ?? ""
    let text = try Check.text(text, "\(f)reply", max: WireLimits.longText, multiline: true)
    guard !text.isEmpty else {
        if verified || method != .unspecified || !investigation.isEmpty || !rectification.isEmpty {
            throw WireValidationError("\(f)reply", "reply_method, verified, investigation_result and rectification_notice go with an answer")
        }
        return nil
    }
    return Complaint.ReplyForm(
        investigation: try Check.text(investigation, "\(f)investigation_result", max: WireLimits.longText, multiline: true),
        rectification: try Check.text(rectification, "\(f)rectification_notice", max: WireLimits.longText, multiline: true),
        text: text, method: try optional(Mappings.contactMethod, method, "\(f)reply_method"), verified: verified)
}

extension Petition.Visitor {
    /// The petitioner, every field checked; on a link's copy (`redacted`) the name may be removed.
    init(wire v: Banjian_V1_PetitionVisitor, field f: String, redacted: Bool) throws(WireValidationError) {
        self.init(party: redacted ? try redactable(v.party, "\(f).party") : try Party(wire: v.party, field: "\(f).party"),
                  sex: try optional(Mappings.sex, v.sex, "\(f).sex"), age: Int(try Check.range(v.age, "\(f).age", 0...150)),
                  occupation: try Check.text(v.occupation, "\(f).occupation", max: 64),
                  politicalStatus: try Check.text(v.politicalStatus, "\(f).political_status", max: 32))
    }
}

// MARK: Requests

extension Banjian_V1_CreatePetitionRequest {
    package func validated() throws(WireValidationError) -> (requestID: String, form: Petition.Form) {
        let requestID = try Check.requestID(requestID)
        try Check.present(hasPetition, "petition")
        let w = petition, f = "petition"
        try Check.present(w.hasVisitor && w.visitor.hasParty, "\(f).visitor.party")
        let form = Petition.Form(
            channel: try Mappings.petitionChannel.domain(w.channel, "\(f).channel"),
            visitor: try Petition.Visitor(wire: w.visitor, field: "\(f).visitor", redacted: false),
            content: try Check.text(w.content, "\(f).content", max: WireLimits.longText, required: true, multiline: true),
            category: try Check.text(w.category, "\(f).category", max: 64),
            route: try Mappings.petitionRoute.domain(w.route, "\(f).route"), groupVisit: w.groupVisit, confidential: w.confidential,
            assignedUnit: try Check.text(w.assignedUnit, "\(f).assigned_unit", max: WireLimits.title),
            assignedHandler: w.hasAssignedHandler ? try Actor(wire: w.assignedHandler, field: "\(f).assigned_handler") : nil,
            leaderInstruction: w.leaderInstructions.isEmpty ? nil
                : try Opinion(wire: w.leaderInstructions[w.leaderInstructions.count - 1], field: "\(f).leader_instructions", required: true),
            replyPoints: try Check.text(w.replyPoints, "\(f).reply_points", max: WireLimits.longText, multiline: true))
        try Check.count(w.leaderInstructions.count, "\(f).leader_instructions", max: 1)
        return (requestID, form)
    }
}

/// A petition reply as asked: the points, a leader's instruction, and the feedback when known.
package struct PetitionReplyRequest: Sendable {
    package let requestID: String
    package let number: CaseNumber
    package let points: String
    package let instruction: Opinion?
    package let method: ContactMethod?
    package let result: String
    package let satisfaction: Satisfaction?
}

extension Banjian_V1_ReplyPetitionRequest {
    package func validated() throws(WireValidationError) -> PetitionReplyRequest {
        if satisfaction == .unspecified, feedbackMethod != .unspecified || !feedbackResult.isEmpty {
            throw WireValidationError("satisfaction", "feedback_method and feedback_result record the feedback: give the satisfaction with them")
        }
        return PetitionReplyRequest(
            requestID: try Check.requestID(requestID), number: try Check.caseNumber(petitionNumber, "petition_number"),
            points: try Check.text(replyPoints, "reply_points", max: WireLimits.longText, multiline: true),
            instruction: hasLeaderInstruction ? try Opinion(wire: leaderInstruction, field: "leader_instruction", required: true) : nil,
            method: try optional(Mappings.contactMethod, feedbackMethod, "feedback_method"),
            result: try Check.text(feedbackResult, "feedback_result", max: WireLimits.longText, multiline: true),
            satisfaction: try optional(Mappings.satisfaction, satisfaction, "satisfaction"))
    }
}

extension Banjian_V1_CreateComplaintRequest {
    package func validated() throws(WireValidationError) -> (requestID: String, form: Complaint.Form) {
        let requestID = try Check.requestID(requestID)
        try Check.present(hasComplaint, "complaint")
        let w = complaint, f = "complaint"
        try Check.present(w.hasComplainant, "\(f).complainant")
        let form = Complaint.Form(
            channel: try Mappings.complaintChannel.domain(w.channel, "\(f).channel"),
            complainant: try Party(wire: w.complainant, field: "\(f).complainant"),
            content: try Check.text(w.content, "\(f).content", max: WireLimits.longText, required: true, multiline: true),
            targetWindow: try Check.text(w.targetWindow, "\(f).target_window", max: 64),
            targetDepartment: try Check.text(w.targetDepartment, "\(f).target_department", max: WireLimits.department),
            targetStaff: try Check.text(w.targetStaff, "\(f).target_staff", max: 64),
            caseNumber: w.caseNumber.isEmpty ? nil : try Check.caseNumber(w.caseNumber, "\(f).case_number"),
            complex: w.complex, written: w.written,
            reply: try replyForm(investigation: w.investigationResult, rectification: w.rectificationNotice, text: w.reply, method: w.replyMethod,
                                 verified: w.verified, field: f))
        return (requestID, form)
    }
}

/// A complaint reply as asked: an answer, the complainant's opinion, or both.
package struct ComplaintReplyRequest: Sendable {
    package let requestID: String
    package let number: CaseNumber
    /// `nil` when only the complainant's opinion is recorded.
    package let reply: Complaint.ReplyForm?
    package let satisfaction: Satisfaction?
}

extension Banjian_V1_ReplyComplaintRequest {
    package func validated() throws(WireValidationError) -> ComplaintReplyRequest {
        let form = try replyForm(investigation: investigationResult, rectification: rectificationNotice, text: reply, method: replyMethod,
                                 verified: verified, field: nil)
        let satisfaction = try optional(Mappings.satisfaction, satisfaction, "satisfaction")
        if form == nil, satisfaction == nil {
            throw WireValidationError("reply", "give the reply, or the complainant's opinion (satisfaction) on the previous one")
        }
        return ComplaintReplyRequest(requestID: try Check.requestID(requestID), number: try Check.caseNumber(complaintNumber, "complaint_number"),
                                     reply: form, satisfaction: satisfaction)
    }
}

// MARK: Records out

extension Banjian_V1_Petition {
    /// The petition with its clock projected at `now` through `calendar`.
    package init(_ p: Petition, calendar: WorkingCalendar?, now: Date) {
        self.init()
        number = p.number.description
        nodeCode = p.number.origin.rawValue
        state = Mappings.petitionState.wire(p.state)
        version = p.version
        channel = Mappings.petitionChannel.wire(p.channel)
        visitor = .with {
            $0.party = Banjian_V1_Party(p.visitor.party)
            if let sex = p.visitor.sex { $0.sex = Mappings.sex.wire(sex) }
            $0.age = UInt32(clamping: p.visitor.age)
            $0.occupation = p.visitor.occupation
            $0.politicalStatus = p.visitor.politicalStatus
        }
        content = p.content
        category = p.category
        route = Mappings.petitionRoute.wire(p.route)
        groupVisit = p.groupVisit
        confidential = p.confidential
        receivedBy = Banjian_V1_Actor(p.receivedBy)
        receivedAt = Google_Protobuf_Timestamp(p.receivedAt)
        assignedUnit = p.assignedUnit
        if let handler = p.assignedHandler { assignedHandler = Banjian_V1_Actor(handler) }
        leaderInstructions = p.leaderInstructions.map(Banjian_V1_Opinion.init)
        if let reply = p.reply {
            replyPoints = reply.points
            repliedBy = Banjian_V1_Actor(reply.by)
            repliedAt = Google_Protobuf_Timestamp(reply.at)
        }
        if let feedback = p.feedback {
            if let method = feedback.method { feedbackMethod = Mappings.contactMethod.wire(method) }
            feedbackAt = Google_Protobuf_Timestamp(feedback.at)
            feedbackResult = feedback.result
            satisfaction = Mappings.satisfaction.wire(feedback.satisfaction)
            feedbackBy = Banjian_V1_Actor(feedback.recordedBy)
        }
        if let clock = p.replyClock { replyClock = Banjian_V1_Clock(clock, calendar: calendar, now: now) }
        firedRungs = p.firedRungs.sorted().map { Banjian_V1_Rung(key: $0, fireAt: nil, fired: true) }
    }
}

extension Banjian_V1_Complaint {
    /// The complaint with its clock projected at `now` through `calendar`; the last answer in the
    /// top-level reply fields.
    package init(_ c: Complaint, calendar: WorkingCalendar?, now: Date) {
        self.init()
        number = c.number.description
        nodeCode = c.number.origin.rawValue
        state = Mappings.complaintState.wire(c.state)
        version = c.version
        channel = Mappings.complaintChannel.wire(c.channel)
        complainant = Banjian_V1_Party(c.complainant)
        content = c.content
        targetWindow = c.targetWindow
        targetDepartment = c.targetDepartment
        targetStaff = c.targetStaff
        caseNumber = c.caseNumber?.description ?? ""
        complex = c.complex
        written = c.written
        receivedBy = Banjian_V1_Actor(c.receivedBy)
        receivedAt = Google_Protobuf_Timestamp(c.receivedAt)
        replies = c.replies.map { r in
            .with {
                $0.investigationResult = r.form.investigation
                $0.rectificationNotice = r.form.rectification
                $0.reply = r.form.text
                if let method = r.form.method { $0.replyMethod = Mappings.contactMethod.wire(method) }
                $0.verified = r.form.verified
                $0.repliedBy = Banjian_V1_Actor(r.by)
                $0.repliedAt = Google_Protobuf_Timestamp(r.at)
                if let due = r.dueAt { $0.dueAt = Google_Protobuf_Timestamp(due) }
                $0.workingDaysLate = UInt32(clamping: r.workingDaysLate)
                $0.version = r.version
            }
        }
        if let last = replies.last {
            investigationResult = last.investigationResult
            rectificationNotice = last.rectificationNotice
            reply = last.reply
            replyMethod = last.replyMethod
            verified = last.verified
            repliedBy = last.repliedBy
            repliedAt = last.repliedAt
        }
        if let satisfaction = c.satisfaction { self.satisfaction = Mappings.satisfaction.wire(satisfaction) }
        rehandlingCount = UInt32(clamping: c.rehandlingCount)
        if let county = c.escalatedTo { escalatedToNodeCode = county.rawValue }
        if let at = c.escalatedAt { escalatedAt = Google_Protobuf_Timestamp(at) }
        if let clock = c.replyClock { replyClock = Banjian_V1_Clock(clock, calendar: calendar, now: now) }
        firedRungs = c.firedRungs.sorted().map { Banjian_V1_Rung(key: $0, fireAt: nil, fired: true) }
        limit = Banjian_V1_TimeLimit(c.limit)
    }
}

// MARK: Records in, from a link

extension DeadlineClock {
    /// A reply clock as copied: started, and possibly stopped (reply clocks never pause or extend).
    init(replyWire w: Banjian_V1_Clock, field f: String) throws(WireValidationError) {
        guard let start = w.ledger.first, start.change == .start, start.hasAt else {
            throw WireValidationError("\(f).ledger", "a reply clock starts with START")
        }
        let kind = try Mappings.clock.domain(w.kind, "\(f).kind")
        let measure = try Mappings.measure.domain(w.measure, "\(f).measure")
        // Ten years of days at most, as any limit (TimeLimit.maximumAmount).
        let budget: Int64 = switch w.budget {
        case .budgetWorkingMinutes(let minutes): try Check.range(minutes, "\(f).budget_working_minutes", 1...Int64(TimeLimit.maximumAmount) * 1440) * 60
        case .budgetDuration(let duration): try Check.range(duration.seconds, "\(f).budget_duration", 1...Int64(TimeLimit.maximumAmount) * 86_400)
        case nil: throw WireValidationError("\(f).budget", "is required")
        }
        self.init(kind: kind, measure: measure, budgetSeconds: budget, origin: try Check.date(start.at, "\(f).ledger[0].at"), epoch: Int(w.epoch))
        for (index, entry) in w.ledger.enumerated().dropFirst() {
            guard entry.change == .stop, index == w.ledger.count - 1 else {
                throw WireValidationError("\(f).ledger[\(index)]", "a reply clock only stops after its start")
            }
            do { try stop(at: try Check.date(entry.at, "\(f).ledger[\(index)].at")) } catch {
                throw WireValidationError("\(f).ledger[\(index)]", "\(error)")
            }
        }
    }
}

private func rungKeys(_ rungs: [Banjian_V1_Rung], _ f: String) throws(WireValidationError) -> Set<RungKey> {
    var keys: Set<RungKey> = []
    for (index, rung) in rungs.enumerated() {
        keys.insert(RungKey(clock: try Mappings.clock.domain(rung.clockKind, "\(f)[\(index)].clock_kind"),
                            rung: try Mappings.rung.domain(rung.kind, "\(f)[\(index)].kind"), epoch: Int(rung.epoch)))
    }
    return keys
}

extension Grievance {
    /// A petition or complaint as a link carries it, every field checked.
    package init(petitionWire w: Banjian_V1_Petition, field f: String) throws(WireValidationError) {
        try Check.present(w.hasReceivedBy && w.hasReceivedAt, "\(f).received_by")
        self = .petition(Petition(
            number: try Check.caseNumber(w.number, "\(f).number"), state: try Mappings.petitionState.domain(w.state, "\(f).state"),
            channel: try Mappings.petitionChannel.domain(w.channel, "\(f).channel"),
            visitor: try Petition.Visitor(wire: w.visitor, field: "\(f).visitor", redacted: true),
            content: try Check.text(w.content, "\(f).content", max: WireLimits.longText, required: true, multiline: true),
            category: try Check.text(w.category, "\(f).category", max: 64), route: try Mappings.petitionRoute.domain(w.route, "\(f).route"),
            groupVisit: w.groupVisit, confidential: w.confidential, receivedBy: try Actor(wire: w.receivedBy, field: "\(f).received_by"),
            receivedAt: try Check.date(w.receivedAt, "\(f).received_at"), assignedUnit: try Check.text(w.assignedUnit, "\(f).assigned_unit", max: WireLimits.title),
            assignedHandler: w.hasAssignedHandler ? try Actor(wire: w.assignedHandler, field: "\(f).assigned_handler") : nil,
            leaderInstructions: try w.leaderInstructions.enumerated().map { (i, o) throws(WireValidationError) in
                try Opinion(wire: o, field: "\(f).leader_instructions[\(i)]", required: true)
            },
            reply: w.hasRepliedBy ? Petition.Reply(points: try Check.text(w.replyPoints, "\(f).reply_points", max: WireLimits.longText, required: true, multiline: true),
                                                   by: try Actor(wire: w.repliedBy, field: "\(f).replied_by"),
                                                   at: try Check.date(w.repliedAt, "\(f).replied_at")) : nil,
            feedback: w.hasFeedbackAt ? Petition.Feedback(
                method: try optional(Mappings.contactMethod, w.feedbackMethod, "\(f).feedback_method"),
                result: try Check.text(w.feedbackResult, "\(f).feedback_result", max: WireLimits.longText, multiline: true),
                satisfaction: try Mappings.satisfaction.domain(w.satisfaction, "\(f).satisfaction"),
                recordedBy: try Actor(wire: w.feedbackBy, field: "\(f).feedback_by"), at: try Check.date(w.feedbackAt, "\(f).feedback_at")) : nil,
            replyClock: w.hasReplyClock ? try DeadlineClock(replyWire: w.replyClock, field: "\(f).reply_clock") : nil,
            firedRungs: try rungKeys(w.firedRungs, "\(f).fired_rungs"), version: try Check.range(w.version, "\(f).version", 1...maximumVersion)))
        try checkClocks(of: self, f)
    }

    package init(complaintWire w: Banjian_V1_Complaint, field f: String) throws(WireValidationError) {
        try Check.present(w.hasReceivedBy && w.hasReceivedAt, "\(f).received_by")
        try Check.present(w.hasLimit, "\(f).limit")
        var replies: [Complaint.Reply] = []
        for (i, r) in w.replies.enumerated() {
            let g = "\(f).replies[\(i)]"
            // Each answer made a version of its own, in order, up to the copy's.
            guard r.version > (replies.last?.version ?? 0), r.version <= w.version else {
                throw WireValidationError("\(g).version", "must follow the previous answer's and not pass the complaint's \(w.version), got \(r.version)")
            }
            guard let form = try replyForm(investigation: r.investigationResult, rectification: r.rectificationNotice, text: r.reply,
                                           method: r.replyMethod, verified: r.verified, field: g)
            else { throw WireValidationError("\(g).reply", "is required") }
            replies.append(Complaint.Reply(
                form: form,
                by: try Actor(wire: r.repliedBy, field: "\(g).replied_by"), at: try Check.date(r.repliedAt, "\(g).replied_at"),
                dueAt: r.hasDueAt ? try Check.date(r.dueAt, "\(g).due_at") : nil, workingDaysLate: Int(r.workingDaysLate), version: r.version))
        }
        self = .complaint(Complaint(
            number: try Check.caseNumber(w.number, "\(f).number"), state: try Mappings.complaintState.domain(w.state, "\(f).state"),
            channel: try Mappings.complaintChannel.domain(w.channel, "\(f).channel"), complainant: try redactable(w.complainant, "\(f).complainant"),
            content: try Check.text(w.content, "\(f).content", max: WireLimits.longText, required: true, multiline: true),
            targetWindow: try Check.text(w.targetWindow, "\(f).target_window", max: 64),
            targetDepartment: try Check.text(w.targetDepartment, "\(f).target_department", max: WireLimits.department),
            targetStaff: try Check.text(w.targetStaff, "\(f).target_staff", max: 64),
            caseNumber: w.caseNumber.isEmpty ? nil : try Check.caseNumber(w.caseNumber, "\(f).case_number"), complex: w.complex, written: w.written,
            receivedBy: try Actor(wire: w.receivedBy, field: "\(f).received_by"), receivedAt: try Check.date(w.receivedAt, "\(f).received_at"),
            limit: try TimeLimit(wire: w.limit, field: "\(f).limit"), replies: replies,
            satisfaction: try optional(Mappings.satisfaction, w.satisfaction, "\(f).satisfaction"), rehandlingCount: Int(w.rehandlingCount),
            escalatedTo: try Check.optionalNode(w.escalatedToNodeCode, "\(f).escalated_to_node_code"),
            escalatedAt: w.hasEscalatedAt ? try Check.date(w.escalatedAt, "\(f).escalated_at") : nil,
            replyClock: w.hasReplyClock ? try DeadlineClock(replyWire: w.replyClock, field: "\(f).reply_clock") : nil,
            firedRungs: try rungKeys(w.firedRungs, "\(f).fired_rungs"), version: try Check.range(w.version, "\(f).version", 1...maximumVersion)))
        try checkClocks(of: self, f)
    }
}

/// A copy's reply clock and fired rungs are its own kind's.
private func checkClocks(of record: Grievance, _ f: String) throws(WireValidationError) {
    let kind = record.kind.clock
    if let clock = record.replyClock, clock.kind != kind { throw WireValidationError("\(f).reply_clock.kind", "is not \(kind.rawValue)") }
    if record.firedRungs.contains(where: { $0.clock != kind }) { throw WireValidationError("\(f).fired_rungs", "belong to \(kind.rawValue) only") }
}
