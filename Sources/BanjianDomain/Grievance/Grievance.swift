public import Foundation

/// A petition (信访) or a complaint (投诉): a record of its own beside the cases, with a reply
/// clock that shares the deadline machinery (rungs, alerts, the wheel).
///
/// Each record is kept whole at its node and copied whole to every ancestor at each change (its
/// `version` orders the copies). What it counts in the statistics, the facts it gives the
/// assessment and the alerts a change raises are pure functions of the record (and of its
/// previous version), so every node that keeps a copy derives the same.
public enum Grievance: Hashable, Sendable, Codable {
    case petition(Petition)
    case complaint(Complaint)

    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case petition, complaint

        /// The reply clock of this kind of record.
        public var clock: ClockKind { self == .petition ? .petitionReply : .complaintReply }

        /// The kind whose reply clock is `clock`, if any.
        public init?(clock: ClockKind) {
            switch clock {
            case .petitionReply: self = .petition
            case .complaintReply: self = .complaint
            default: return nil
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .petition: .petition
        case .complaint: .complaint
        }
    }

    public var number: CaseNumber {
        switch self {
        case .petition(let p): p.number
        case .complaint(let c): c.number
        }
    }

    /// The node that registered it and handles it.
    public var node: NodeCode { number.origin }

    public var version: UInt64 {
        switch self {
        case .petition(let p): p.version
        case .complaint(let c): c.version
        }
    }

    public var receivedAt: Date {
        switch self {
        case .petition(let p): p.receivedAt
        case .complaint(let c): c.receivedAt
        }
    }

    /// The reply clock: running until the reply, absent when replied at registration.
    public var replyClock: DeadlineClock? {
        switch self {
        case .petition(let p): p.replyClock
        case .complaint(let c): c.replyClock
        }
    }

    public var firedRungs: Set<RungKey> {
        switch self {
        case .petition(let p): p.firedRungs
        case .complaint(let c): c.firedRungs
        }
    }

    /// The record after its reply clock's rung `key` fired at `instant`.
    /// - Throws: ``GrievanceError/staleRung(_:)`` when the clock no longer arms it;
    ///   ``GrievanceError/rungAlreadyFired(_:)`` for a second fire.
    public func firing(_ key: RungKey, at instant: Date, escalatingTo county: NodeCode?) throws(GrievanceError) -> Grievance {
        switch self {
        case .petition(let p): .petition(try p.firing(key))
        case .complaint(let c): .complaint(try c.firing(key, at: instant, escalatingTo: county))
        }
    }

    /// The copy an ancestor keeps: the complainant always removed, a confidential petitioner too.
    public var redacted: Grievance {
        switch self {
        case .petition(let p): .petition(p.redacted)
        case .complaint(let c): .complaint(c.redacted)
        }
    }

    /// The window it concerns: a petition's unit, the department a complaint is about.
    public var department: String {
        switch self {
        case .petition(let p): p.assignedUnit
        case .complaint(let c): c.targetDepartment
        }
    }

    /// The handler it was given to: a petition's; a complaint names none.
    public var handler: Actor? {
        if case .petition(let p) = self { p.assignedHandler } else { nil }
    }

    /// Where it counts in the statistics: its day of receipt at its node, under the window it
    /// concerns.
    public func tally(zone: CalendarZone) -> (key: CaseTally.Key, counters: Set<StatisticsCounter>) {
        let key = CaseTally.Key(day: zone.civilDate(of: receivedAt).dayKey, node: node, department: department,
                                handler: handler?.operatorID ?? "", matter: "")
        switch self {
        case .petition: return (key, [.petitions])
        case .complaint(let c): return (key, c.wasOverdue ? [.complaints, .complaintsOverdue] : [.complaints])
        }
    }

    /// The facts the assessment scores, each named by the version of the record that raised it.
    public var scoreFacts: [ScoreFact] {
        guard case .complaint(let complaint) = self else { return [] }
        return complaint.scoreFacts
    }

    /// Whether this version can follow `previous` of the same record: what is fixed at
    /// registration is unchanged, and what only grows (answers, fired rungs, re-handlings) grew.
    /// A link copy that is not refuses the batch: its statistics and facts would not add up.
    public func isSuccessor(of previous: Grievance) -> Bool {
        guard version > previous.version, number == previous.number, receivedAt == previous.receivedAt,
              firedRungs.isSuperset(of: previous.firedRungs)
        else { return false }
        switch (self, previous) {
        case (.petition(let p), .petition(let b)):
            return (p.route, p.assignedUnit, p.assignedHandler, p.groupVisit, p.confidential)
                == (b.route, b.assignedUnit, b.assignedHandler, b.groupVisit, b.confidential)
                && (b.feedback == nil || p.feedback == b.feedback)
        case (.complaint(let c), .complaint(let b)):
            return c.targetDepartment == b.targetDepartment && c.limit == b.limit && c.replies.starts(with: b.replies)
                && c.rehandlingCount >= b.rehandlingCount && (b.escalatedTo == nil || c.escalatedTo == b.escalatedTo)
        default:
            return false
        }
    }

    /// The alerts the change from `previous` (none for a new record) to this version raises.
    public func alerts(since previous: Grievance?) -> [GrievanceAlert] {
        var alerts: [GrievanceAlert] = firedRungs.subtracting(previous?.firedRungs ?? []).sorted().map { .rung($0) }
        switch self {
        case .petition(let p):
            let before: Petition? = if case .petition(let b)? = previous { b } else { nil }
            if p.groupVisit, previous == nil { alerts.append(.groupVisit) }
            if p.feedback?.satisfaction == .dissatisfied, before?.feedback?.satisfaction != .dissatisfied { alerts.append(.dissatisfied) }
        case .complaint(let c):
            let before: Complaint? = if case .complaint(let b)? = previous { b } else { nil }
            if c.rehandlingCount > (before?.rehandlingCount ?? 0) { alerts.append(.dissatisfied) }
            if c.escalatedTo != nil, before?.escalatedTo == nil { alerts.append(.escalated) }
        }
        return alerts
    }
}

/// Why a petition or complaint raised an alert.
public enum GrievanceAlert: Hashable, Sendable {
    /// A rung of its reply clock fired: warning, due (overdue from then on), urge, supervise, report up.
    case rung(RungKey)
    /// The citizen was dissatisfied with the reply (a complaint is handled again).
    case dissatisfied
    /// A complaint unanswered past its limit went to the county's efficiency supervision.
    case escalated
    /// A group visit (集体访): the units are notified and the leader informed at once.
    case groupVisit

    /// The `alert.kind` column: `rung`, or the reason.
    public var journalKind: String {
        switch self {
        case .rung: "rung"
        case .dissatisfied: CaseAlert.dissatisfied.rawValue
        case .escalated: "escalated"
        case .groupVisit: "groupVisit"
        }
    }
}

/// Why a petition or complaint command was refused; nothing changed.
public enum GrievanceError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidField(String, reason: String)
    /// The command does not apply in the record's state.
    case notAllowed(String)
    case roleNotPermitted(Role, action: String)
    case rungAlreadyFired(RungKey)
    case staleRung(RungKey)

    public var description: String {
        switch self {
        case .invalidField(let field, let reason): "\(field): \(reason)"
        case .notAllowed(let reason): reason
        case .roleNotPermitted(let role, let action): "role '\(role.rawValue)' may not \(action)"
        case .rungAlreadyFired(let key): "rung \(key.rung.rawValue) of the \(key.clock.rawValue) clock (epoch \(key.epoch)) already fired"
        case .staleRung(let key): "rung \(key.rung.rawValue) of the \(key.clock.rawValue) clock (epoch \(key.epoch)) is no longer armed"
        }
    }
}

/// How a reply or feedback reached a citizen (反馈方式).
public enum ContactMethod: String, Hashable, Sendable, Codable, CaseIterable {
    case inPerson, phone, letter, online, sms
}

/// The reply clock's shared rules.
extension DeadlineClock {
    /// A reply clock for `limit` from `reference`, started per the centre's `clockStart`.
    static func reply(_ kind: ClockKind, _ limit: TimeLimit, from reference: Date, settings: CentreSettings, calendar: WorkingCalendar,
                      epoch: Int = 0) -> DeadlineClock {
        DeadlineClock(kind: kind, measure: limit.measure, budgetSeconds: limit.budgetSeconds(workingSecondsPerDay: calendar.workingSecondsPerDay),
                      origin: limit.origin(reference: reference, clockStart: settings.clockStart, calendar: calendar), epoch: epoch)
    }

    /// Checks that rung `key` may fire on this clock given the rungs `fired` already.
    func checkFiring(_ key: RungKey, fired: Set<RungKey>) throws(GrievanceError) {
        guard key.clock == kind, key.epoch == epoch, isRunning else { throw .staleRung(key) }
        guard !fired.contains(key) else { throw .rungAlreadyFired(key) }
    }
}

/// Checks a free text field: trimmed, within `max` characters, present when `required`.
func checkedText(_ text: String, _ field: String, max: Int, required: Bool = false) throws(GrievanceError) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if required && trimmed.isEmpty { throw .invalidField(field, reason: "is required") }
    guard trimmed.count <= max else { throw .invalidField(field, reason: "is longer than \(max) characters") }
    return trimmed
}

/// A petition or complaint to register.
public enum GrievanceForm: Hashable, Sendable {
    case petition(Petition.Form)
    case complaint(Complaint.Form)
}

/// An answer, or the citizen's opinion on one.
public enum GrievanceReply: Hashable, Sendable {
    /// 答复要点 (empty to record only the feedback), a leader's instruction, and the feedback when known.
    case petition(points: String, instruction: Opinion?, method: ContactMethod?, result: String, satisfaction: Satisfaction?)
    /// The answer (none to record only the complainant's opinion) and the opinion when known.
    case complaint(Complaint.ReplyForm?, satisfaction: Satisfaction?)
}

extension Grievance {
    /// Registers `form` as record `number` at `instant`.
    public init(registering form: GrievanceForm, number: CaseNumber, by actor: Actor, at instant: Date, settings: CentreSettings,
                calendar: WorkingCalendar) throws(GrievanceError) {
        switch form {
        case .petition(let f): self = .petition(try Petition(registering: f, number: number, by: actor, at: instant, settings: settings, calendar: calendar))
        case .complaint(let f): self = .complaint(try Complaint(registering: f, number: number, by: actor, at: instant, settings: settings, calendar: calendar))
        }
    }

    /// The record after `reply`.
    public func replying(_ reply: GrievanceReply, by actor: Actor, at instant: Date, settings: CentreSettings, calendar: WorkingCalendar)
        throws(GrievanceError) -> Grievance
    {
        switch (self, reply) {
        case (.petition(let p), .petition(let points, let instruction, let method, let result, let satisfaction)):
            let feedback = satisfaction.map { Petition.Feedback(method: method, result: result, satisfaction: $0, recordedBy: actor, at: instant) }
            return .petition(try p.replying(points: points, instruction: instruction, feedback: feedback, by: actor, at: instant))
        case (.complaint(let c), .complaint(let form?, let satisfaction)):
            return .complaint(try c.replying(form, satisfaction: satisfaction, by: actor, at: instant, settings: settings, calendar: calendar))
        case (.complaint(let c), .complaint(nil, let satisfaction?)):
            return .complaint(try c.recordingOpinion(satisfaction, by: actor, at: instant, settings: settings, calendar: calendar))
        case (.complaint, .complaint(nil, nil)):
            throw .invalidField("reply", reason: "give the reply, or the complainant's opinion")
        case (.petition, .complaint), (.complaint, .petition):
            throw .notAllowed("\(number) is a \(kind.rawValue)")
        }
    }
}
