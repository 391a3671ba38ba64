public import Foundation

/// Everything that can happen to a case. Each event is appended to the case's log; replaying the
/// log through `CaseStateMachine` rebuilds the record.
public enum CaseEvent: Hashable, Sendable, Codable {
    /// 受理/收件 at a window, or 代办 intake by a village agent. Opens the case.
    case received(Intake)
    /// The village agent submits the application to the township (V-SUBMITTED).
    case agencySubmitted(to: NodeCode)
    /// Outside the centre's scope; the applicant is told where to apply.
    case declaredOutOfScope(Referral)
    /// The one-time list of missing materials (一次性告知).
    case supplementRequested(SupplementRequest)
    /// Missing materials handed in (by material id).
    case materialsSupplied(materialIDs: [String])
    /// Classified and accepted: immediate, promised, joint or escalated.
    case accepted(Acceptance)
    /// A (new) handler and department named.
    case handlerAssigned(Assignment)
    /// One department of a joint case finished its part.
    case jointDepartmentCompleted(department: String, outcome: Outcome, opinion: Opinion?)
    /// Forwarded upward during handling (the handler found the authority lies higher).
    case escalated(EscalationPlan)
    /// The higher level received the forwarded case and issued its 决定受理通知书 (numbered).
    case escalationAcknowledged(noticeNumber: String)
    /// The higher level decided.
    case escalationDecided(Decision)
    /// A special step pauses the clocks.
    case specialStepStarted(kind: SpecialStep.Kind, note: String, expectedEndAt: Date?)
    case specialStepEnded(outcome: String)
    /// The handler asks for an extension (延期).
    case extensionRequested(clock: ClockKind, workingDays: Int, reason: String)
    /// A leader decides on the pending extension.
    case extensionDecided(approved: Bool, note: String)
    /// A 催办单.
    case urged(reason: String, directorInstruction: Opinion?)
    /// 退回: with a mandatory reason; files a 否定报备 for the leader's review.
    case returned(category: ReturnCategory, reason: String, appealRights: String)
    /// The responsible leader reviews the last refusal: upheld, or overturned and reopened.
    case returnReviewed(upheld: Bool, note: String)
    /// 不能办理, with the reason.
    case cannotHandle(reason: String)
    /// 办结 with the result.
    case completed(Decision)
    /// The handler hands the result back to acceptance (回复, signed).
    case replied
    /// The result reaches the applicant.
    case handedOver(recipient: String, method: HandOver.Method, recipientSigned: Bool)
    /// 反馈情况.
    /// For a dissatisfied applicant, `followUpWithin` is the limit of the director's follow-up
    /// (回访), filled by the recording node from its settings; `nil` otherwise, and in events
    /// recorded before follow-ups existed.
    case feedbackRecorded(satisfaction: Satisfaction, comment: String, followUpWithin: TimeLimit? = nil)
    /// 归档.
    case archived
    /// A deadline rung fired (recorded exactly once).
    case rungFired(RungKey)
    /// The node's calendar changed, and rungs had fired before the corrected calendar says
    /// they should: those firings are withdrawn.
    case deadlinesCorrected(DeadlineCorrection)
    /// The holder recorded a 督办 order from a level above; its clock starts.
    case supervisionOrdered(SupervisionOrder)
    /// The holder answered a 督办 order.
    case supervisionOrderAnswered(orderNumber: String, answer: String)
    /// 回访: the director recorded what the follow-up of a dissatisfied applicant found.
    case followUpRecorded(outcome: FollowUpOutcome, note: String)

    /// A stable name for messages, permissions and wire mapping.
    public var name: Name {
        switch self {
        case .received: .received
        case .agencySubmitted: .agencySubmitted
        case .declaredOutOfScope: .declaredOutOfScope
        case .supplementRequested: .supplementRequested
        case .materialsSupplied: .materialsSupplied
        case .accepted: .accepted
        case .handlerAssigned: .handlerAssigned
        case .jointDepartmentCompleted: .jointDepartmentCompleted
        case .escalated: .escalated
        case .escalationAcknowledged: .escalationAcknowledged
        case .escalationDecided: .escalationDecided
        case .specialStepStarted: .specialStepStarted
        case .specialStepEnded: .specialStepEnded
        case .extensionRequested: .extensionRequested
        case .extensionDecided: .extensionDecided
        case .urged: .urged
        case .returned: .returned
        case .returnReviewed: .returnReviewed
        case .cannotHandle: .cannotHandle
        case .completed: .completed
        case .replied: .replied
        case .handedOver: .handedOver
        case .feedbackRecorded: .feedbackRecorded
        case .archived: .archived
        case .rungFired: .rungFired
        case .deadlinesCorrected: .deadlinesCorrected
        case .supervisionOrdered: .supervisionOrdered
        case .supervisionOrderAnswered: .supervisionOrderAnswered
        case .followUpRecorded: .followUpRecorded
        }
    }

    /// The event names.
    public enum Name: String, Hashable, Sendable, Codable, CaseIterable {
        case received, agencySubmitted, declaredOutOfScope, supplementRequested, materialsSupplied
        case accepted, handlerAssigned, jointDepartmentCompleted, escalated, escalationAcknowledged
        case escalationDecided, specialStepStarted, specialStepEnded, extensionRequested
        case extensionDecided, urged, returned, returnReviewed, cannotHandle, completed, replied
        case handedOver, feedbackRecorded, archived, rungFired, deadlinesCorrected
        case supervisionOrdered, supervisionOrderAnswered, followUpRecorded

        /// The roles that may cause the event. Checked by the state machine; the node checks the
        /// same table before it calls it.
        public var permittedRoles: Set<Role> {
            switch self {
            case .received: [.agent, .acceptor]
            case .agencySubmitted: [.agent]
            case .declaredOutOfScope, .supplementRequested, .materialsSupplied: [.acceptor]
            case .accepted: [.acceptor, .handler]
            case .handlerAssigned: [.acceptor, .departmentHead, .deputy, .director]
            case .jointDepartmentCompleted: [.handler, .departmentHead]
            case .escalated: [.acceptor, .handler]
            case .escalationAcknowledged, .escalationDecided: [.acceptor, .handler, .departmentHead, .deputy, .director]
            case .specialStepStarted, .specialStepEnded: [.handler]
            case .extensionRequested, .cannotHandle: Role.leaders.union([.handler])
            case .extensionDecided, .returnReviewed: Role.leaders
            case .urged: [.acceptor, .deputy, .director, .supervisor]
            case .returned, .completed: Role.leaders.union([.acceptor, .handler])
            case .replied: [.handler, .acceptor]
            case .handedOver, .feedbackRecorded: [.acceptor, .agent]
            case .archived: [.acceptor, .director]
            case .rungFired, .deadlinesCorrected: [.system]
            // The node records an order that arrives over a link; at the holder itself, the supervisor issuing it.
            case .supervisionOrdered: [.system, .supervisor, .deputy, .director]
            case .supervisionOrderAnswered: Role.leaders.union([.handler])
            case .followUpRecorded: [.director, .deputy]
            }
        }
    }
}

/// Rung firings withdrawn because the node's calendar changed and, through the new calendar,
/// the clock had not reached them yet (``RungLadder/firedEarly(of:fired:at:calendar:)``).
public struct DeadlineCorrection: Hashable, Sendable, Codable {
    /// The fingerprint of the calendar now in force (``WorkingCalendar/fingerprint``).
    public var calendar: String
    /// The withdrawn firings, each of its clock's current epoch, in key order.
    public var withdrawn: [RungKey]

    public init(calendar: String, withdrawn: [RungKey]) {
        self.calendar = calendar
        self.withdrawn = withdrawn.sorted()
    }
}

/// The content of a new case: the acceptance part of the 办(代)理单 and the materials.
public struct Intake: Hashable, Sendable, Codable {
    /// Assigned by the origin node before the event is recorded.
    public var number: CaseNumber
    public var channel: Channel
    /// 受理电话 and 监督电话 printed on the slip.
    public var acceptancePhone: String
    public var supervisionPhone: String
    public var applicant: Party
    public var principal: Party?
    public var matter: MatterRef
    public var summary: String
    /// Materials handed in (`provided`); the one-time notice adds the missing ones.
    public var materials: [Material]
    public var fees: [Fee]
    /// Required for the agency channel.
    public var agency: AgencyHandover?
    /// The matter's terms, resolved by the receiving node from its catalogue (`matter` is then
    /// its reference); `nil` only in events recorded before the catalogue drove intake.
    public var terms: MatterTerms?

    public init(number: CaseNumber, channel: Channel, applicant: Party, principal: Party? = nil, matter: MatterRef,
                summary: String, materials: [Material], fees: [Fee] = [], agency: AgencyHandover? = nil,
                acceptancePhone: String = "", supervisionPhone: String = "", terms: MatterTerms? = nil) {
        self.number = number
        self.channel = channel
        self.acceptancePhone = acceptancePhone
        self.supervisionPhone = supervisionPhone
        self.applicant = applicant
        self.principal = principal
        self.matter = matter
        self.summary = summary
        self.materials = materials
        self.fees = fees
        self.agency = agency
        self.terms = terms
    }
}

/// The classification at acceptance, with the limits from the catalogue.
public struct Acceptance: Hashable, Sendable, Codable {
    public enum Route: Hashable, Sendable, Codable {
        /// 即办件.
        case immediate
        /// 承诺件, with its handler.
        case promised(Assignment)
        /// 联办件: the lead department, every participating department (the lead included) and
        /// the lead's handler.
        case joint(lead: String, departments: [String], handler: Assignment)
        /// 上报件, with the full-process handler (代理责任人) at this level, if named.
        case escalated(EscalationPlan, handler: Assignment?)
    }

    public var route: Route
    /// The limits the accepting centre asks for: a promise no longer than the catalogue's, and no
    /// statutory limit but the catalogue's. Unset parts come from `terms`.
    public var limits: CaseLimits
    /// 受理员意见.
    public var opinion: String
    /// 告知申请人权利或义务.
    public var rightsAndDuties: String
    /// The matter's terms, resolved by the accepting node from its catalogue at acceptance;
    /// `nil` only in events recorded before the catalogue drove acceptance.
    public var terms: MatterTerms?

    public init(route: Route, limits: CaseLimits = CaseLimits(), opinion: String = "", rightsAndDuties: String = "",
                terms: MatterTerms? = nil) {
        self.route = route
        self.limits = limits
        self.opinion = opinion
        self.rightsAndDuties = rightsAndDuties
        self.terms = terms
    }
}

/// Where an escalated case goes and what the lower level thinks of it.
public struct EscalationPlan: Hashable, Sendable, Codable {
    public var target: NodeCode
    public var preliminaryOpinion: Opinion
    /// 上报时限 from the catalogue; the centre's default when `nil`.
    public var forwardingLimit: TimeLimit?
    /// The applicant and principal as the forwarding node knows them, for the higher level that
    /// takes the case over: set by the forwarding node's case log, never by a client, and removed
    /// for any node above that does not handle the case.
    public var disclosure: Disclosure?

    public init(target: NodeCode, preliminaryOpinion: Opinion, forwardingLimit: TimeLimit? = nil, disclosure: Disclosure? = nil) {
        self.target = target
        self.preliminaryOpinion = preliminaryOpinion
        self.forwardingLimit = forwardingLimit
        self.disclosure = disclosure
    }
}

/// A case's parties, handed to the node that takes the case over.
public struct Disclosure: Hashable, Sendable, Codable {
    public var applicant: Party
    public var principal: Party?

    public init(applicant: Party, principal: Party?) {
        self.applicant = applicant
        self.principal = principal
    }
}

/// A result: what was decided or done.
public struct Decision: Hashable, Sendable, Codable {
    public var outcome: Outcome
    /// 办理情况.
    public var summary: String
    /// 具体办理意见.
    public var handlingOpinion: String
    /// 单位负责人处理意见.
    public var departmentOpinion: Opinion?
    /// 复核意见.
    public var review: Opinion?
    public var certificateNumbers: [String]
    public var documentNumbers: [String]
    public init(outcome: Outcome, summary: String, handlingOpinion: String = "", departmentOpinion: Opinion? = nil,
                review: Opinion? = nil, certificateNumbers: [String] = [], documentNumbers: [String] = []) {
        self.outcome = outcome
        self.summary = summary
        self.handlingOpinion = handlingOpinion
        self.departmentOpinion = departmentOpinion
        self.review = review
        self.certificateNumbers = certificateNumbers
        self.documentNumbers = documentNumbers
    }
}
