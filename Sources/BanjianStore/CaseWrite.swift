public import BanjianDomain
public import Foundation

/// One command for the case log: the change, who asked for it, when, and under which request id.
public struct CaseWrite: Sendable {
    /// What to change.
    public enum Change: Sendable {
        /// Open a new case; the store assigns the number (`intake.number` is replaced).
        case open(Intake)
        /// Apply an event to an existing case, optionally only at the version the client saw.
        case apply(CaseNumber, CaseEvent, expectedVersion: UInt64?)
        /// Record that a deadline rung fired (at most once per rung key).
        case fireRung(CaseNumber, RungKey)
        /// Apply an event another node minted, delivered over the link with `peer`: the event
        /// keeps its global id, and the peer's link cursor advances to `cursor` in the same
        /// transaction. An id already present changes nothing but the cursor.
        case applyPeer(NodeCode, RecordedEvent, cursor: UInt64)
        /// Store a matter version the parent sent (and pass it on to the children), advancing the
        /// parent's link cursor to `cursor`; a version already stored changes nothing but the cursor.
        case applyPeerMatter(NodeCode, Matter, cursor: UInt64)
        /// Load a holiday year published at the top (`from` is `nil` there, else the parent that
        /// sent it, whose cursor advances to `cursor`): the calendar changes and the live deadlines
        /// are re-projected in the same transaction.
        case loadHolidayYear(HolidayYear, from: NodeCode?, cursor: UInt64)
        /// Issue a 督办 order on a case held in this node's subtree (numbered here, kept under the
        /// request id): recorded on the case when this node holds it, else queued for the child on
        /// the way to the holder.
        case issueOrder(SupervisionOrder)
        /// A 督办 order from the parent, whose cursor advances to `cursor`: recorded on the case when
        /// this node holds it, else passed on toward the holder. An order already recorded changes
        /// nothing but the cursor.
        case applyPeerOrder(NodeCode, SupervisionOrder, cursor: UInt64)
        /// Journal an alert for one of this node's links down too long, and pass it up.
        case raiseLinkAlert(LinkAlert)
        /// A link alert from a child's subtree, whose cursor advances to `cursor`: journaled and
        /// passed up.
        case applyPeerLinkAlert(NodeCode, LinkAlert, cursor: UInt64)
        /// Register a consultation (numbered here, answered by the actor), keep it under the
        /// request id, count it, and pass it up.
        case recordConsultation(Consultation)
        /// A consultation from a child's subtree, whose cursor advances to `cursor`: kept,
        /// counted and passed up; one already kept changes nothing but the cursor.
        case applyPeerConsultation(NodeCode, Consultation, cursor: UInt64)
        /// Register a petition or complaint (numbered here like a case), kept under the request id.
        case registerGrievance(GrievanceForm)
        /// Answer a petition or complaint held here, or record the citizen's opinion.
        case replyGrievance(CaseNumber, GrievanceReply)
        /// A version of a petition or complaint from a child's subtree, whose cursor advances to
        /// `cursor`: kept when newer than the one here, and passed up.
        case applyPeerGrievance(NodeCode, Grievance, cursor: UInt64)
    }

    public var change: Change
    /// The client's idempotency key, unique per operator; `nil` for the node's own commands.
    public var requestID: String?
    public var actor: Actor
    /// When the command takes effect (the node's clock when it was received).
    public var at: Date

    public init(_ change: Change, requestID: String?, actor: Actor, at: Date) {
        self.change = change
        self.requestID = requestID
        self.actor = actor
        self.at = at
    }

    /// The command's name in the request-id table: a retry must name the same command.
    var commandName: String {
        switch change {
        case .open: CaseEvent.Name.received.rawValue
        case .apply(_, let event, _): event.name.rawValue
        case .fireRung: CaseEvent.Name.rungFired.rawValue
        case .applyPeer(_, let event, _): event.event.name.rawValue
        case .applyPeerMatter: "matter"
        case .loadHolidayYear: "holidayYear"
        case .issueOrder, .applyPeerOrder: CaseEvent.Name.supervisionOrdered.rawValue
        case .raiseLinkAlert, .applyPeerLinkAlert: "linkAlert"
        case .recordConsultation, .applyPeerConsultation: "consultation"
        case .registerGrievance(.petition): "petitionRegistered"
        case .registerGrievance(.complaint): "complaintRegistered"
        case .replyGrievance: "grievanceReplied"
        case .applyPeerGrievance: "grievance"
        }
    }
}

/// What a committed (or replayed) command produced.
public struct CaseWriteResult: Sendable {
    /// The case after the event.
    public let record: CaseRecord
    /// The event appended.
    public let event: RecordedEvent
    /// What the node must do now; empty for a replay.
    public let actions: [CaseAction]
    /// Every rung of the case still to fire, replacing the ones scheduled before; `nil` for a
    /// replay (nothing changed).
    public let pendingRungs: [PendingRung]?

    /// True when the request id was seen before and this is the first result again.
    public var isReplay: Bool { pendingRungs == nil }
}

/// A deadline rung waiting to fire.
public struct PendingRung: Hashable, Sendable {
    /// What a rung belongs to: a case, or a petition's or complaint's reply clock.
    public enum Owner: Hashable, Sendable {
        case cases, grievances
    }

    /// Whether it is a rung of a petition's or complaint's reply clock.
    public var owner: Owner { Grievance.Kind(clock: key.clock) == nil ? .cases : .grievances }

    public let caseNumber: CaseNumber
    public let key: RungKey
    public let fireAt: Date

    public init(caseNumber: CaseNumber, key: RungKey, fireAt: Date) {
        self.caseNumber = caseNumber
        self.key = key
        self.fireAt = fireAt
    }
}

/// A change of the node's calendar and what it did to the stored deadlines, as journaled (see
/// ``NodeDatabase/reconcileCalendar(_:at:)``).
public struct CalendarChange: Hashable, Sendable {
    public let changedAt: Date
    /// The fingerprint the deadlines were projected with; `nil` when none was recorded.
    public let previousFingerprint: String?
    /// The calendar's fingerprint from then on.
    public let fingerprint: String
    /// The calendar, for people: zone, office hours and holiday years.
    public let summary: String
    /// Cases whose clock or rung rows were rewritten.
    public let casesReprojected: Int
    /// Every clock whose due instant moved.
    public let shifts: [DeadlineShift]
    /// The cases whose early rung firings were withdrawn, each by a `deadlinesCorrected` event
    /// in its log.
    public let corrections: [CaseNumber: DeadlineCorrection]
}

/// A running clock whose due instant moved when the calendar changed.
public struct DeadlineShift: Hashable, Sendable {
    public let caseNumber: CaseNumber
    public let clock: ClockKind
    public let previousDue: Date?
    public let currentDue: Date?
}
