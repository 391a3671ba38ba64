public import Foundation

/// A petition (信访件, domain.md §2.4): registered from a letter, a visit, a call or online, routed
/// to an answer on the spot (当即答复), a transfer (受理转办, 3 working days) or a leader's
/// instruction (领导批办, one week), replied (答复要点), and closed with the petitioner's opinion.
public struct Petition: Hashable, Sendable, Codable {
    public enum Channel: String, Hashable, Sendable, Codable, CaseIterable {
        case letter, visit, phone, online
    }

    /// 来电处理: how it is handled after registration.
    public enum Route: String, Hashable, Sendable, Codable, CaseIterable {
        /// 当即答复: answered at registration.
        case immediateReply
        /// 受理转办: transferred to a unit or handler (事项交办单), answered within `petitionReply`.
        case transfer
        /// 领导批办: a leader instructs, answered within `leaderPetitionReply`.
        case leaderInstruction
    }

    public enum State: String, Hashable, Sendable, Codable {
        /// The reply clock runs.
        case registered
        /// Answered; the petitioner's opinion may follow.
        case replied
        /// The opinion is recorded; filed.
        case closed
    }

    public enum Sex: String, Hashable, Sendable, Codable {
        case male, female
    }

    /// The petitioner as on the 信访登记.
    public struct Visitor: Hashable, Sendable, Codable {
        public var party: Party
        public var sex: Sex?
        /// 0 = not recorded.
        public var age: Int
        public var occupation: String
        public var politicalStatus: String

        public init(party: Party, sex: Sex? = nil, age: Int = 0, occupation: String = "", politicalStatus: String = "") {
            self.party = party
            self.sex = sex
            self.age = age
            self.occupation = occupation
            self.politicalStatus = politicalStatus
        }
    }

    /// 答复: what was answered, by whom and when, and whether after the limit.
    public struct Reply: Hashable, Sendable, Codable {
        public var points: String
        public var by: Actor
        public var at: Date

        public init(points: String, by: Actor, at: Date) {
            self.points = points
            self.by = by
            self.at = at
        }
    }

    /// 反馈: how the reply reached the petitioner, the result, and their opinion.
    public struct Feedback: Hashable, Sendable, Codable {
        public var method: ContactMethod?
        public var result: String
        public var satisfaction: Satisfaction
        public var recordedBy: Actor
        public var at: Date

        public init(method: ContactMethod?, result: String, satisfaction: Satisfaction, recordedBy: Actor, at: Date) {
            self.method = method
            self.result = result
            self.satisfaction = satisfaction
            self.recordedBy = recordedBy
            self.at = at
        }
    }

    /// What a client registers; the node assigns the rest.
    public struct Form: Hashable, Sendable {
        public var channel: Channel
        public var visitor: Visitor
        public var content: String
        public var category: String
        public var route: Route
        public var groupVisit: Bool
        public var confidential: Bool
        public var assignedUnit: String
        public var assignedHandler: Actor?
        /// A leader's instruction given at registration (领导批办).
        public var leaderInstruction: Opinion?
        /// 当即答复: the answer given on the spot.
        public var replyPoints: String

        public init(channel: Channel, visitor: Visitor, content: String, category: String = "", route: Route, groupVisit: Bool = false,
                    confidential: Bool = false, assignedUnit: String = "", assignedHandler: Actor? = nil, leaderInstruction: Opinion? = nil,
                    replyPoints: String = "") {
            self.channel = channel
            self.visitor = visitor
            self.content = content
            self.category = category
            self.route = route
            self.groupVisit = groupVisit
            self.confidential = confidential
            self.assignedUnit = assignedUnit
            self.assignedHandler = assignedHandler
            self.leaderInstruction = leaderInstruction
            self.replyPoints = replyPoints
        }
    }

    public let number: CaseNumber
    public private(set) var state: State
    public let channel: Channel
    public private(set) var visitor: Visitor
    public let content: String
    public let category: String
    public let route: Route
    public let groupVisit: Bool
    public let confidential: Bool
    public let receivedBy: Actor
    public let receivedAt: Date
    public let assignedUnit: String
    public let assignedHandler: Actor?
    public private(set) var leaderInstructions: [Opinion]
    public private(set) var reply: Reply?
    public private(set) var feedback: Feedback?
    public private(set) var replyClock: DeadlineClock?
    public private(set) var firedRungs: Set<RungKey> = []
    public private(set) var version: UInt64

    /// A petition as kept and copied: every field as recorded (a link's copy).
    public init(number: CaseNumber, state: State, channel: Channel, visitor: Visitor, content: String, category: String, route: Route,
                groupVisit: Bool, confidential: Bool, receivedBy: Actor, receivedAt: Date, assignedUnit: String, assignedHandler: Actor?,
                leaderInstructions: [Opinion], reply: Reply?, feedback: Feedback?, replyClock: DeadlineClock?, firedRungs: Set<RungKey>,
                version: UInt64) {
        self.number = number
        self.state = state
        self.channel = channel
        self.visitor = visitor
        self.content = content
        self.category = category
        self.route = route
        self.groupVisit = groupVisit
        self.confidential = confidential
        self.receivedBy = receivedBy
        self.receivedAt = receivedAt
        self.assignedUnit = assignedUnit
        self.assignedHandler = assignedHandler
        self.leaderInstructions = leaderInstructions
        self.reply = reply
        self.feedback = feedback
        self.replyClock = replyClock
        self.firedRungs = firedRungs
        self.version = version
    }

    /// Registers a petition numbered `number`: answered at once on the spot, else its reply clock
    /// starts under the route's limit.
    /// - Throws: ``GrievanceError`` when the form does not fit its route.
    public init(registering form: Form, number: CaseNumber, by actor: Actor, at instant: Date, settings: CentreSettings,
                calendar: WorkingCalendar) throws(GrievanceError) {
        guard actor.role != .auditor, actor.role != .system else { throw .roleNotPermitted(actor.role, action: "register a petition") }
        self.number = number
        state = .registered
        channel = form.channel
        visitor = form.visitor
        content = try checkedText(form.content, "content", max: 4000, required: true)
        category = form.category
        route = form.route
        groupVisit = form.groupVisit
        confidential = form.confidential
        receivedBy = actor
        receivedAt = instant
        assignedUnit = form.assignedUnit
        assignedHandler = form.assignedHandler
        leaderInstructions = []
        if let instruction = form.leaderInstruction { leaderInstructions = [try Self.instruction(instruction.text, by: actor, at: instant)] }
        version = 1
        switch route {
        case .immediateReply:
            let points = try checkedText(form.replyPoints, "reply_points", max: 4000)
            guard !points.isEmpty else { throw .invalidField("reply_points", reason: "a petition answered on the spot (当即答复) carries its answer") }
            reply = Reply(points: points, by: actor, at: instant)
            state = .replied
        case .transfer:
            guard !assignedUnit.isEmpty || assignedHandler != nil else {
                throw .invalidField("assigned_unit", reason: "a transferred petition (受理转办) names the unit or handler it goes to")
            }
            replyClock = .reply(.petitionReply, settings.limits.petitionReply, from: instant, settings: settings, calendar: calendar)
        case .leaderInstruction:
            replyClock = .reply(.petitionReply, settings.limits.leaderPetitionReply, from: instant, settings: settings, calendar: calendar)
        }
        guard form.replyPoints.isEmpty || route == .immediateReply else {
            throw .invalidField("reply_points", reason: "only a petition answered on the spot carries its answer at registration")
        }
    }

    /// Replies (答复要点), with the feedback when known; on a replied petition, records the feedback.
    /// A 领导批办 petition is answered after a leader's instruction, given now or before (a leader
    /// may give it alone, without points). The reply stops the clock.
    public func replying(points: String, instruction: Opinion?, feedback: Feedback?, by actor: Actor, at instant: Date)
        throws(GrievanceError) -> Petition
    {
        guard actor.role != .auditor, actor.role != .system, actor.role != .agent else { throw .roleNotPermitted(actor.role, action: "answer a petition") }
        var next = self
        if let instruction { next.leaderInstructions.append(try Self.instruction(instruction.text, by: actor, at: instant)) }
        switch state {
        case .registered:
            let points = try checkedText(points, "reply_points", max: 4000)
            if points.isEmpty, instruction != nil, feedback == nil {
                // 领导批办: the leader's instruction alone; the handler answers after it.
                next.version += 1
                return next
            }
            guard !points.isEmpty else { throw .invalidField("reply_points", reason: "is required to answer a petition") }
            if route == .leaderInstruction, next.leaderInstructions.isEmpty {
                throw .notAllowed("petition \(number) goes by a leader's instruction (领导批办): give leader_instruction with the answer")
            }
            if var clock = next.replyClock, !clock.isStopped {
                try? clock.stop(at: max(instant, receivedAt))
                next.replyClock = clock
            }
            next.reply = Reply(points: points, by: actor, at: instant)
            next.state = .replied
        case .replied:
            guard points.isEmpty else { throw .notAllowed("petition \(number) is answered already: record the petitioner's opinion only") }
            guard feedback != nil else { throw .invalidField("satisfaction", reason: "is required to record feedback on an answered petition") }
        case .closed:
            throw .notAllowed("petition \(number) is closed")
        }
        if let feedback {
            next.feedback = feedback
            next.state = .closed
        }
        next.version += 1
        return next
    }

    /// 领导批办: an instruction is given by the leader who signs it, the acting operator.
    private static func instruction(_ text: String, by actor: Actor, at instant: Date) throws(GrievanceError) -> Opinion {
        guard Role.leaders.contains(actor.role) else {
            throw .roleNotPermitted(actor.role, action: "give a leader's instruction (a department head, deputy or director signs it)")
        }
        return Opinion(text: try checkedText(text, "leader_instruction", max: 2000, required: true), signer: actor, signedAt: instant)
    }

    /// The petition after its reply clock's rung `key` fired.
    public func firing(_ key: RungKey) throws(GrievanceError) -> Petition {
        guard let clock = replyClock else { throw .staleRung(key) }
        try clock.checkFiring(key, fired: firedRungs)
        var next = self
        next.firedRungs.insert(key)
        next.version += 1
        return next
    }

    /// The copy above the handling node: a confidential petitioner's identity removed.
    public var redacted: Petition {
        guard confidential else { return self }
        var copy = self
        copy.visitor = Visitor(party: Party(name: ""))
        return copy
    }
}
