public import Foundation

/// An event as recorded in a case's log: who did what to which case, when, under which id.
public struct RecordedEvent: Hashable, Sendable, Codable {
    /// Globally unique: the node where the event happened and that node's sequence.
    public let id: EventID
    public let caseNumber: CaseNumber
    /// The case's version after this event (1 for the opening `received`).
    public let caseVersion: UInt64
    public let occurredAt: Date
    public let actor: Actor
    public let event: CaseEvent

    public init(id: EventID, caseNumber: CaseNumber, caseVersion: UInt64, occurredAt: Date, actor: Actor, event: CaseEvent) {
        self.id = id
        self.caseNumber = caseNumber
        self.caseVersion = caseVersion
        self.occurredAt = occurredAt
        self.actor = actor
        self.event = event
    }
}
