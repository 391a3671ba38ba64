public import Foundation

/// A signed opinion on a form: the text, who signed it and when (e.g. 单位负责人处理意见,
/// 复核意见, 中心主任批办, 初步审查意见).
public struct Opinion: Hashable, Sendable, Codable {
    public var text: String
    public var signer: Actor?
    public var signedAt: Date?
    public init(text: String, signer: Actor? = nil, signedAt: Date? = nil) {
        self.text = text
        self.signer = signer
        self.signedAt = signedAt
    }

    /// The opinion with `actor` and `instant` as signer and date where none were given.
    func signed(by actor: Actor, at instant: Date) -> Opinion {
        Opinion(text: text, signer: signer ?? actor, signedAt: signedAt ?? instant)
    }
}

/// 不能受理, referred elsewhere: which unit or window to apply to, with its contact
/// (002 一(二)3).
public struct Referral: Hashable, Sendable, Codable {
    public var unit: String
    public var contact: String
    public init(unit: String, contact: String) {
        self.unit = unit
        self.contact = contact
    }
}

/// The one-time notice of missing materials (一次性告知 / 补交材料清单): everything the applicant
/// must still hand in, listed once.
public struct SupplementRequest: Hashable, Sendable, Codable {
    /// The materials still to supply; each is added to the case's materials as `missing`.
    public var missing: [Material]
    public var note: String
    public init(missing: [Material], note: String) {
        self.missing = missing
        self.note = note
    }
}

/// The handler and department named for a case (承办部室, 全程承办人).
public struct Assignment: Hashable, Sendable, Codable {
    public var department: String
    public var handler: Actor
    public init(department: String, handler: Actor) {
        self.department = department
        self.handler = handler
    }
}

/// One department taking part in a joint case (联办件) and where its part stands.
public struct JointParticipant: Hashable, Sendable, Codable {
    public var department: String
    public var outcome: Outcome?
    public var opinion: Opinion?
    public var completedAt: Date?
    public init(department: String, outcome: Outcome? = nil, opinion: Opinion? = nil, completedAt: Date? = nil) {
        self.department = department
        self.outcome = outcome
        self.opinion = opinion
        self.completedAt = completedAt
    }
}

/// A joint case's lead department (牵头单位) and participants.
public struct JointHandling: Hashable, Sendable, Codable {
    public var lead: String
    public var participants: [JointParticipant]
    public var isComplete: Bool { participants.allSatisfy { $0.completedAt != nil } }
    public init(lead: String, participants: [JointParticipant]) {
        self.lead = lead
        self.participants = participants
    }
}

/// A case forwarded to a higher level (上报件 / 代办转报) and where it stands there.
public struct Escalation: Hashable, Sendable, Codable {
    /// The node that decides.
    public var target: NodeCode
    /// 初步审查意见: the lower level's preliminary review, sent with all materials so the higher
    /// level never asks for them again.
    public var preliminaryOpinion: Opinion
    public var forwardedAt: Date
    /// When the higher level issued its 决定受理通知书, and the notice's number.
    public var acknowledgedAt: Date?
    public var acknowledgementNumber: String = ""
    public var decidedAt: Date?
    public init(target: NodeCode, preliminaryOpinion: Opinion, forwardedAt: Date) {
        self.target = target
        self.preliminaryOpinion = preliminaryOpinion
        self.forwardedAt = forwardedAt
    }
}

/// Why a case was returned (退回件), with the grounds of the 否定报备 register (002 六) and of
/// 003 篇1 六件 五.
public enum ReturnCategory: String, Hashable, Sendable, Codable, CaseIterable {
    case mainDocumentMissing, policyViolation, conditionsNotMet, controlledItem
    case unlawful, secret, incompleteDocuments, wrongProcedure, tooLateOrEarly, other
}

/// A return (退回) and its negative filing (否定报备): the reason is mandatory and given in writing
/// once; the refusal goes to the responsible leader, who reviews it within 2 working days.
public struct ReturnRecord: Hashable, Sendable, Codable {
    public var category: ReturnCategory
    public var reason: String
    /// The applicant's rights of review and litigation, as told on the notice.
    public var appealRights: String
    public var returnedBy: Actor
    public var returnedAt: Date
    /// The responsible leader's review (否定报备), once done.
    public var review: ReturnReview?
    public init(category: ReturnCategory, reason: String, appealRights: String, returnedBy: Actor, returnedAt: Date) {
        self.category = category
        self.reason = reason
        self.appealRights = appealRights
        self.returnedBy = returnedBy
        self.returnedAt = returnedAt
    }
}

/// The responsible leader's review of a refusal: upheld, or found unlawful and overturned
/// (002 六(五)).
public struct ReturnReview: Hashable, Sendable, Codable {
    public var upheld: Bool
    public var note: String
    public var by: Actor
    public var at: Date
    public init(upheld: Bool, note: String, by: Actor, at: Date) {
        self.upheld = upheld
        self.note = note
        self.by = by
        self.at = at
    }
}

/// A special step (特殊环节) that pauses the clocks: hearing, testing, appraisal, expert review,
/// site survey, public notice (001 篇三 6(2)).
public struct SpecialStep: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case hearing, testing, appraisal, expertReview, siteSurvey, publicNotice
    }
    public var kind: Kind
    public var note: String
    public var startedAt: Date
    /// When the step is expected to end, as told to the applicant (by SMS, 001 篇三).
    public var expectedEndAt: Date?
    public var endedAt: Date?
    public var outcome: String = ""
    public init(kind: Kind, note: String, startedAt: Date, expectedEndAt: Date? = nil) {
        self.kind = kind
        self.note = note
        self.startedAt = startedAt
        self.expectedEndAt = expectedEndAt
    }
}

/// An extension (延期) request and the leader's decision.
public struct ExtensionRecord: Hashable, Sendable, Codable {
    /// The longest extension one request may ask for: 60 working days, about three months.
    /// The seeds set no number; Banjian's bound.
    public static let maximumWorkingDays = 60

    public var clock: ClockKind
    public var workingDays: Int
    public var reason: String
    public var requestedBy: Actor
    public var requestedAt: Date
    public var decidedBy: Actor?
    public var decidedAt: Date?
    public var approved: Bool?
    public var decisionNote: String
    public init(clock: ClockKind, workingDays: Int, reason: String, requestedBy: Actor, requestedAt: Date) {
        self.clock = clock
        self.workingDays = workingDays
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.decisionNote = ""
    }
}

/// A 催办单: the acceptor (or a leader) chases the handler, with the director's instruction.
public struct Urging: Hashable, Sendable, Codable {
    public var reason: String
    /// 中心主任批办.
    public var directorInstruction: Opinion?
    /// The handler urged (全程承办人), as assigned at the time.
    public var handler: Actor?
    public var by: Actor
    public var at: Date
    public init(reason: String, directorInstruction: Opinion?, handler: Actor?, by: Actor, at: Date) {
        self.reason = reason
        self.directorInstruction = directorInstruction
        self.handler = handler
        self.by = by
        self.at = at
    }
}

/// The outcome of handling.
public enum Outcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// Approved or granted (准予).
    case approved
    /// Refused by decision (不予许可), with appeal rights.
    case refused
    /// A service done (办结) where approval is not the question.
    case done
}

/// The 回复 part of the 办(代)理单: the decision, signed by whoever completed the case.
public struct CaseResult: Hashable, Sendable, Codable {
    public var decision: Decision
    public var completedBy: Actor
    public var completedAt: Date
    public init(decision: Decision, completedBy: Actor, completedAt: Date) {
        self.decision = decision
        self.completedBy = completedBy
        self.completedAt = completedAt
    }
}

/// A signed hand-over of the result: handler → acceptance (reply), then acceptance or the village
/// agent → applicant (hand-over).
public struct HandOver: Hashable, Sendable, Codable {
    public enum Method: String, Hashable, Sendable, Codable, CaseIterable { case inPerson, post, agent, online }
    public var by: Actor
    public var recipient: String
    public var method: Method
    /// The recipient signed for it.
    public var recipientSigned: Bool
    public var at: Date
    public init(by: Actor, recipient: String, method: Method, recipientSigned: Bool, at: Date) {
        self.by = by
        self.recipient = recipient
        self.method = method
        self.recipientSigned = recipientSigned
        self.at = at
    }
}

/// The three satisfaction levels on the 办(代)理单 and the 服务意见反馈表.
public enum Satisfaction: String, Hashable, Sendable, Codable, CaseIterable {
    case satisfied, basicallySatisfied, dissatisfied
    /// The applicant declined to evaluate: the case leaves the satisfaction rate's base.
    case notEvaluated
}

/// The applicant's feedback (反馈情况), signed.
public struct Feedback: Hashable, Sendable, Codable {
    public var satisfaction: Satisfaction
    public var comment: String
    public var recordedBy: Actor
    public var at: Date
    public init(satisfaction: Satisfaction, comment: String, recordedBy: Actor, at: Date) {
        self.satisfaction = satisfaction
        self.comment = comment
        self.recordedBy = recordedBy
        self.at = at
    }
}
