public import Foundation

/// A complaint (投诉件, domain.md §2.5, §3.1): registered (投诉来访登记表), investigated and answered
/// on the spot, the next day, or within the centre's complex-complaint limit; a written complaint
/// gets a written reply; a dissatisfied complainant reopens it (重新办理, led by a centre leader);
/// one left unanswered past its limit escalates to the county's efficiency supervision.
public struct Complaint: Hashable, Sendable, Codable {
    public enum Channel: String, Hashable, Sendable, Codable, CaseIterable {
        case onSite, phone, letter, online
    }

    public enum State: String, Hashable, Sendable, Codable {
        /// Being investigated (调查核实); the reply clock runs.
        case registered
        /// Answered; waiting for the complainant's opinion.
        case replied
        /// 重新办理 after the complainant was dissatisfied; the clock runs again.
        case rehandling
        /// Unanswered past its limit: the county's efficiency supervision watches it; the clock runs on.
        case escalated
        /// 立卷归档.
        case closed
    }

    /// What the handling node answers, as asked and as stored.
    public struct ReplyForm: Hashable, Sendable, Codable {
        /// 调查结果.
        public var investigation: String
        /// 整改通知 to the window or department.
        public var rectification: String
        /// 处理结果, told to the complainant.
        public var text: String
        public var method: ContactMethod?
        /// 投诉属实: the investigation found the complaint true.
        public var verified: Bool

        public init(investigation: String = "", rectification: String = "", text: String, method: ContactMethod?, verified: Bool = false) {
            self.investigation = investigation
            self.rectification = rectification
            self.text = text
            self.method = method
            self.verified = verified
        }
    }

    /// One answer, as recorded: a complaint handled again has several.
    public struct Reply: Hashable, Sendable, Codable {
        public var form: ReplyForm
        public var by: Actor
        public var at: Date
        /// The clock's due instant when it was answered.
        public var dueAt: Date?
        /// Working days past the limit (0 when in time); any part of a working day counts as one.
        public var workingDaysLate: Int
        /// The complaint's version this answer made.
        public var version: UInt64

        public init(form: ReplyForm, by: Actor, at: Date, dueAt: Date?, workingDaysLate: Int, version: UInt64) {
            self.form = form
            self.by = by
            self.at = at
            self.dueAt = dueAt
            self.workingDaysLate = workingDaysLate
            self.version = version
        }
    }

    /// What a client registers; the node assigns the rest.
    public struct Form: Hashable, Sendable {
        public var channel: Channel
        public var complainant: Party
        public var content: String
        public var targetWindow: String
        public var targetDepartment: String
        public var targetStaff: String
        public var caseNumber: CaseNumber?
        /// Complex or involving two departments or more: the complex-complaint limit applies.
        public var complex: Bool
        /// 书面投诉: the reply must be written.
        public var written: Bool
        /// Answered on the spot (当场答复).
        public var reply: ReplyForm?

        public init(channel: Channel, complainant: Party, content: String, targetWindow: String = "", targetDepartment: String = "",
                    targetStaff: String = "", caseNumber: CaseNumber? = nil, complex: Bool = false, written: Bool = false, reply: ReplyForm? = nil) {
            self.channel = channel
            self.complainant = complainant
            self.content = content
            self.targetWindow = targetWindow
            self.targetDepartment = targetDepartment
            self.targetStaff = targetStaff
            self.caseNumber = caseNumber
            self.complex = complex
            self.written = written
            self.reply = reply
        }
    }

    public let number: CaseNumber
    public private(set) var state: State
    public let channel: Channel
    public private(set) var complainant: Party
    public let content: String
    public let targetWindow: String
    public let targetDepartment: String
    public let targetStaff: String
    public let caseNumber: CaseNumber?
    public let complex: Bool
    public let written: Bool
    public let receivedBy: Actor
    public let receivedAt: Date
    /// The limit every round of handling gets.
    public let limit: TimeLimit
    public private(set) var replies: [Reply] = []
    public private(set) var satisfaction: Satisfaction?
    public private(set) var rehandlingCount = 0
    /// The county whose efficiency supervision it went to, and when.
    public private(set) var escalatedTo: NodeCode?
    public private(set) var escalatedAt: Date?
    public private(set) var replyClock: DeadlineClock?
    public private(set) var firedRungs: Set<RungKey> = []
    public private(set) var version: UInt64

    /// A complaint as kept and copied: every field as recorded (a link's copy).
    public init(number: CaseNumber, state: State, channel: Channel, complainant: Party, content: String, targetWindow: String,
                targetDepartment: String, targetStaff: String, caseNumber: CaseNumber?, complex: Bool, written: Bool, receivedBy: Actor,
                receivedAt: Date, limit: TimeLimit, replies: [Reply], satisfaction: Satisfaction?, rehandlingCount: Int, escalatedTo: NodeCode?,
                escalatedAt: Date?, replyClock: DeadlineClock?, firedRungs: Set<RungKey>, version: UInt64) {
        self.number = number
        self.state = state
        self.channel = channel
        self.complainant = complainant
        self.content = content
        self.targetWindow = targetWindow
        self.targetDepartment = targetDepartment
        self.targetStaff = targetStaff
        self.caseNumber = caseNumber
        self.complex = complex
        self.written = written
        self.receivedBy = receivedBy
        self.receivedAt = receivedAt
        self.limit = limit
        self.replies = replies
        self.satisfaction = satisfaction
        self.rehandlingCount = rehandlingCount
        self.escalatedTo = escalatedTo
        self.escalatedAt = escalatedAt
        self.replyClock = replyClock
        self.firedRungs = firedRungs
        self.version = version
    }

    /// Registers a complaint numbered `number`: answered on the spot when the form carries the
    /// answer, else its reply clock starts: the next working day for a simple complaint, the
    /// centre's `complexComplaintLimit` for a complex one.
    public init(registering form: Form, number: CaseNumber, by actor: Actor, at instant: Date, settings: CentreSettings,
                calendar: WorkingCalendar) throws(GrievanceError) {
        guard actor.role != .auditor, actor.role != .system else { throw .roleNotPermitted(actor.role, action: "register a complaint") }
        self.number = number
        state = .registered
        channel = form.channel
        complainant = form.complainant
        content = try checkedText(form.content, "content", max: 4000, required: true)
        targetWindow = form.targetWindow
        targetDepartment = form.targetDepartment
        targetStaff = form.targetStaff
        caseNumber = form.caseNumber
        complex = form.complex
        written = form.written || form.channel == .letter
        receivedBy = actor
        receivedAt = instant
        limit = form.complex ? settings.complexComplaintLimit.limit : settings.limits.simpleComplaintReply
        version = 1
        if let reply = form.reply {
            replies = [Reply(form: try checked(reply), by: actor, at: instant, dueAt: nil, workingDaysLate: 0, version: 1)]
            state = .replied
        } else {
            replyClock = .reply(.complaintReply, limit, from: instant, settings: settings, calendar: calendar)
        }
    }

    /// Whether its limit was ever missed: a due rung fired, or an answer came late.
    public var wasOverdue: Bool {
        firedRungs.contains { $0.rung == .due } || replies.contains { $0.workingDaysLate > 0 }
    }

    /// Answers the complaint (registered, escalated, or handled again), with the complainant's
    /// opinion when already known. A written complaint gets a written reply; a complaint handled
    /// again is answered by the director or a deputy.
    public func replying(_ form: ReplyForm, satisfaction: Satisfaction?, by actor: Actor, at instant: Date, settings: CentreSettings,
                         calendar: WorkingCalendar) throws(GrievanceError) -> Complaint
    {
        guard ![.auditor, .system, .agent].contains(actor.role) else { throw .roleNotPermitted(actor.role, action: "answer a complaint") }
        switch state {
        case .registered, .escalated where rehandlingCount == 0: break
        case .rehandling, .escalated:
            guard [.director, .deputy].contains(actor.role) else {
                throw .roleNotPermitted(actor.role, action: "answer a complaint handled again (重新办理 is led by the director or a deputy)")
            }
        case .replied: throw .notAllowed("complaint \(number) is answered already: record the complainant's opinion, or wait for it")
        case .closed: throw .notAllowed("complaint \(number) is closed")
        }
        let record = try checked(form)
        var next = self
        var dueAt: Date?
        var late = 0
        if var clock = next.replyClock, !clock.isStopped {
            let at = max(instant, receivedAt)
            dueAt = clock.due(calendar: calendar)?.instant
            if let due = dueAt, due < at {
                late = calendar.workingDaysLate(from: due, to: at)
            }
            try? clock.stop(at: at)
            next.replyClock = clock
        }
        next.version += 1
        next.replies.append(Reply(form: record, by: actor, at: instant, dueAt: dueAt, workingDaysLate: late, version: next.version))
        next.state = .replied
        next.satisfaction = nil
        guard let satisfaction else { return next }
        return next.opinion(satisfaction, at: instant, settings: settings, calendar: calendar)
    }

    /// The answer as stored, checked: a written complaint gets a written reply.
    private func checked(_ form: ReplyForm) throws(GrievanceError) -> ReplyForm {
        if written, form.method != .letter {
            throw .invalidField("reply_method", reason: "a written complaint gets a written reply (LETTER)")
        }
        return ReplyForm(investigation: try checkedText(form.investigation, "investigation_result", max: 4000),
                               rectification: try checkedText(form.rectification, "rectification_notice", max: 4000),
                               text: try checkedText(form.text, "reply", max: 4000, required: true), method: form.method,
                               verified: form.verified)
    }

    /// Records the complainant's opinion on the last answer: dissatisfied reopens the complaint
    /// (重新办理) and its clock starts again under the same limit; otherwise it is closed.
    public func recordingOpinion(_ satisfaction: Satisfaction, by actor: Actor, at instant: Date, settings: CentreSettings,
                                 calendar: WorkingCalendar) throws(GrievanceError) -> Complaint {
        guard ![.auditor, .system].contains(actor.role) else { throw .roleNotPermitted(actor.role, action: "record a complainant's opinion") }
        guard state == .replied else { throw .notAllowed("complaint \(number) has no answer waiting for the complainant's opinion") }
        var next = opinion(satisfaction, at: instant, settings: settings, calendar: calendar)
        next.version += 1
        return next
    }

    private func opinion(_ satisfaction: Satisfaction, at instant: Date, settings: CentreSettings, calendar: WorkingCalendar) -> Complaint {
        var next = self
        next.satisfaction = satisfaction
        guard satisfaction == .dissatisfied else {
            next.state = .closed
            return next
        }
        next.state = .rehandling
        next.rehandlingCount += 1
        next.replyClock = .reply(.complaintReply, limit, from: instant, settings: settings, calendar: calendar,
                                 epoch: replyClock.map { $0.epoch + 1 } ?? 0)
        return next
    }

    /// The complaint after its reply clock's rung `key` fired: at the due rung, one still
    /// unanswered below a county escalates to that county's efficiency supervision.
    public func firing(_ key: RungKey, at instant: Date, escalatingTo county: NodeCode?) throws(GrievanceError) -> Complaint {
        guard let clock = replyClock else { throw .staleRung(key) }
        try clock.checkFiring(key, fired: firedRungs)
        var next = self
        next.firedRungs.insert(key)
        if key.rung == .due, let county, escalatedTo == nil, [.registered, .rehandling].contains(state) {
            next.state = .escalated
            next.escalatedTo = county
            next.escalatedAt = instant
        }
        next.version += 1
        return next
    }

    /// The copy above the handling node: the complainant's identity removed.
    public var redacted: Complaint {
        var copy = self
        copy.complainant = Party(name: "")
        return copy
    }

    /// The assessment's facts, charged to the window complained about: the complaint found true
    /// (once, by its first answer that says so), and each answer after the limit with its working
    /// days late.
    var scoreFacts: [ScoreFact] {
        let firstVerified = replies.first { $0.form.verified }?.version
        return replies.flatMap { reply -> [ScoreFact] in
            func fact(_ rule: ScoreFact.Rule, _ count: Int, since: Date? = nil) -> ScoreFact {
                ScoreFact(caseNumber: number, rule: rule, event: EventID(origin: number.origin, sequence: reply.version), occurredAt: reply.at,
                          node: number.origin, department: targetDepartment, handler: "", handlerName: "", count: count, since: since)
            }
            var facts: [ScoreFact] = []
            if reply.version == firstVerified { facts.append(fact(.complaintVerified, 1)) }
            if reply.workingDaysLate > 0 { facts.append(fact(.complaintLate, reply.workingDaysLate, since: reply.dueAt)) }
            return facts
        }
    }
}
