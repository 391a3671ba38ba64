public import Foundation

/// The matter a case is about, as named in the catalogue.
public struct MatterRef: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    /// The catalogue version the case was received under.
    public var version: Int
    public init(code: String, name: String, version: Int = 1) {
        self.code = code
        self.name = name
        self.version = version
    }
}

/// The promised (承诺) and statutory (法定) limits a case runs under, from the catalogue.
public struct CaseLimits: Hashable, Sendable, Codable {
    public var promised: TimeLimit?
    public var statutory: TimeLimit?
    public init(promised: TimeLimit? = nil, statutory: TimeLimit? = nil) {
        self.promised = promised
        self.statutory = statutory
    }
}

/// The acceptance part (受理) of the 办(代)理单.
public struct AcceptanceRecord: Hashable, Sendable, Codable {
    public var acceptor: Actor
    /// 受理员意见.
    public var opinion: String
    /// 告知申请人权利或义务.
    public var rightsAndDuties: String
    public var at: Date
    public init(acceptor: Actor, opinion: String, rightsAndDuties: String, at: Date) {
        self.acceptor = acceptor
        self.opinion = opinion
        self.rightsAndDuties = rightsAndDuties
        self.at = at
    }
}

/// A case (办件): the 办(代)理单 and its companion forms, its clocks and its history.
/// Only `CaseStateMachine` changes it.
public struct CaseRecord: Hashable, Sendable, Codable {
    public let number: CaseNumber
    public let channel: Channel
    public internal(set) var applicant: Party
    /// 委托人: the principal who entrusted the applicant, if any.
    public internal(set) var principal: Party?
    public internal(set) var matter: MatterRef
    /// 申请事项: what is applied for, in the applicant's terms.
    public internal(set) var summary: String
    public internal(set) var materials: [Material]
    public internal(set) var fees: [Fee]
    public internal(set) var agency: AgencyHandover?
    /// When and to which township the village agent submitted the case (V-SUBMITTED).
    public internal(set) var agencySubmittedAt: Date?
    public internal(set) var agencySubmittedTo: NodeCode?
    /// 受理电话 and 监督电话.
    public internal(set) var acceptancePhone: String
    public internal(set) var supervisionPhone: String
    public internal(set) var receivedAt: Date
    public internal(set) var receivedBy: Actor

    public internal(set) var state: CaseState
    public internal(set) var kind: CaseKind?
    /// Whether the case went through the supplement path (补办件) at some point.
    public internal(set) var supplemented: Bool
    /// The one-time notice, when one was issued.
    public internal(set) var supplementRequest: SupplementRequest?
    /// 补齐之日: when the last missing material arrived; clocks count from here.
    public internal(set) var materialsCompletedAt: Date?
    /// When acceptance was registered for statistics: the receipt, or (supplement-then-accept
    /// centres) the completion of the materials.
    public internal(set) var registeredAt: Date?

    public internal(set) var limits: CaseLimits
    /// The matter's terms from the catalogue: as received, then as accepted.
    public internal(set) var terms: MatterTerms?
    public internal(set) var acceptance: AcceptanceRecord?
    public internal(set) var assignment: Assignment?
    public internal(set) var joint: JointHandling?
    public internal(set) var escalation: Escalation?
    /// Special steps that have ended, oldest first; the running one is in the handling stage.
    public internal(set) var specialSteps: [SpecialStep]
    public internal(set) var returns: [ReturnRecord]
    public internal(set) var extensions: [ExtensionRecord]
    public internal(set) var urgings: [Urging]
    public internal(set) var result: CaseResult?
    /// Handler → acceptance.
    public internal(set) var reply: HandOver?
    /// Acceptance or agent → applicant.
    public internal(set) var handOver: HandOver?
    public internal(set) var feedback: Feedback?
    /// The director's follow-up (回访) of a dissatisfied applicant, if one was opened.
    public internal(set) var followUp: FollowUp?
    /// When the case ended without a result (not in scope, returned, cannot handle).
    public internal(set) var closedAt: Date?
    public internal(set) var archivedAt: Date?
    /// When the last event was applied.
    public internal(set) var updatedAt: Date

    public internal(set) var clocks: [ClockKind: DeadlineClock]
    public internal(set) var firedRungs: Set<RungKey>
    /// Clocks whose due rung has fired: the case was overdue (超期) on them.
    public internal(set) var breached: Set<ClockKind>
    /// The number of events applied.
    public internal(set) var version: UInt64
    /// 督办 orders from the levels above, oldest first (stored optional, so that a projection
    /// written before orders existed reads back).
    var orderRecords: [SupervisionOrderRecord]?
    public var supervisionOrders: [SupervisionOrderRecord] { orderRecords ?? [] }

    /// The extension awaiting a leader's decision, if any.
    public var pendingExtension: ExtensionRecord? {
        extensions.last.flatMap { $0.approved == nil ? $0 : nil }
    }

    /// The materials still missing.
    public var missingMaterials: [Material] { materials.filter { $0.status == .missing } }

    /// Whether the case was ever overdue on its promised or statutory limit.
    public var wasOverdue: Bool { !breached.isDisjoint(with: [.promised, .statutory]) }

    /// The node responsible for the case now, the only one that may change it: the village before
    /// submission and again from the reply until the applicant's feedback (the agent hands the
    /// result over), the higher level while an escalation awaits its decision, else the node that
    /// received or took it over.
    public var holder: NodeCode {
        if let village = agency?.village {
            if state == .agencyIntake { return village }
            if agencySubmittedTo != nil, state == .replied || state == .handedOver { return village }
        }
        if let escalation, escalation.decidedAt == nil, case .handling(let stage) = state, stage.route == .forwardedUp {
            return escalation.target
        }
        return agencySubmittedTo ?? number.origin
    }

    /// Whether an approved extension exists.
    public var wasExtended: Bool { extensions.contains { $0.approved == true } }

    /// The rungs that fired early on clocks still counting: `calendar` says the clock had not
    /// reached them by `now` (``RungLadder/firedEarly(of:fired:at:calendar:)``), in key order.
    public func rungsFiredEarly(at now: Date, ladder: RungLadder, calendar: WorkingCalendar) -> [RungKey] {
        clocks.values.flatMap { ladder.firedEarly(of: $0, fired: firedRungs, at: now, calendar: calendar) }.sorted()
    }
}
