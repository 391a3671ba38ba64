public import Foundation

/// An alert for the supervisors: a rung that fired (预警, 到期, 催办, 督办, 上报), a case returned, an
/// applicant dissatisfied, or a link down too long; raised at this node or replicated from below,
/// with the case as it stands.
public struct SupervisionAlert: Hashable, Sendable {
    /// What raised it.
    public enum Kind: Hashable, Sendable {
        case rung(RungKey)
        case caseAlert(CaseAlert)
        case linkDown(LinkAlert)
        /// A petition's or complaint's alert, with the record as kept here and the version that raised it.
        case grievance(GrievanceAlert, Grievance, version: UInt64)
    }

    /// Position in this node's alert journal: the stream's resume cursor.
    public let sequence: Int64
    /// The event behind a case's alert; `nil` for a link alert.
    public let event: EventID?
    public let kind: Kind
    public let raisedAt: Date
    /// The case, for a case's alert.
    public let record: CaseRecord?

    public init(sequence: Int64, event: EventID?, kind: Kind, raisedAt: Date, record: CaseRecord?) {
        self.sequence = sequence
        self.event = event
        self.kind = kind
        self.raisedAt = raisedAt
        self.record = record
    }
}

/// Which alerts to replay and follow.
public struct AlertQuery: Hashable, Sendable {
    /// Cases held in this node's subtree only; `nil`: every case the node knows.
    public var subtree: NodeCode?
    /// Only rung alerts of these rungs; empty: every alert, case and link alerts included.
    public var rungs: Set<RungKind> = []
    /// Replay from the alert after this journal position …
    public var afterSequence: Int64?
    /// … or, without one, from the alerts raised at or after this instant; neither: live only.
    public var since: Date?

    public init() {}
}
