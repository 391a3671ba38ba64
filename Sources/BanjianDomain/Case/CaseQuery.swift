public import Foundation

/// A filter on cases; every set criterion must hold. Newest first by receipt, then by number.
public struct CaseQuery: Hashable, Sendable {
    /// Only cases held by this node or a node under it.
    public var holderSubtree: NodeCode?
    /// Any of these states (empty: all).
    public var states: Set<CaseState.Name> = []
    /// Any of these kinds (empty: all).
    public var kinds: Set<CaseKind> = []
    public var matterCode: String?
    public var handlerOperatorID: String?
    /// Only cases with a breached clock that still runs.
    public var overdueOnly = false
    /// Received at or after.
    public var receivedFrom: Date?
    /// Received before.
    public var receivedBefore: Date?
    /// Continue after this case (from the previous page).
    public var after: CaseCursor?
    /// The page size.
    public var limit = 50

    public init() {}
}

/// Where a page of cases ended: the last case's receipt instant and number.
public struct CaseCursor: Hashable, Sendable {
    public let receivedAt: Date
    public let number: String

    public init(receivedAt: Date, number: String) {
        self.receivedAt = receivedAt
        self.number = number
    }
}
