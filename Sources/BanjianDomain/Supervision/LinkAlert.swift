public import Foundation

/// A federation link down longer than the node's `alertAfter`: raised by the node at one end
/// (`reporter`), about the node at the other (`peer`), once per outage, and passed up to every
/// ancestor of the reporter.
public struct LinkAlert: Hashable, Sendable {
    public let reporter: NodeCode
    public let peer: NodeCode
    public let downSince: Date
    public let raisedAt: Date

    public init(reporter: NodeCode, peer: NodeCode, downSince: Date, raisedAt: Date) {
        self.reporter = reporter
        self.peer = peer
        self.downSince = downSince
        self.raisedAt = raisedAt
    }
}
