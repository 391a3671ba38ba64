/// Where a case event travels over the federation links, and in which form.
///
/// A node forwards every case event it commits, its own or a peer's, one hop at a time:
/// - **up** to its parent, unless the parent sent it: every event of a subtree reaches every
///   ancestor, through the nodes in between;
/// - **down** to the child on the way to each node below that handled the case (the village that
///   took it, the township it was submitted to), unless that child sent it: a node that handled a
///   case sees its whole history, including what happened above it.
///
/// Personal data is removed (``RecordedEvent/redacted()``) for a parent that has not handled the
/// case. A pure value: no I/O.
public struct LinkRoute: Hashable, Sendable {
    /// This node.
    public let node: NodeCode
    /// Its parent; `nil` at the top of the tree.
    public let parent: NodeCode?

    public init(node: NodeCode, parent: NodeCode?) {
        self.node = node
        self.parent = parent
    }

    /// One hop an event takes.
    public struct Hop: Hashable, Sendable {
        /// The neighbour: the parent or a child.
        public let peer: NodeCode
        /// Why it travels (for the outbox's readers).
        public let purpose: OutboxPurpose
        /// Whether personal data is removed before it leaves.
        public let redacted: Bool
    }

    /// The hops `event` takes from this node.
    /// - Parameters:
    ///   - record: the case after the event.
    ///   - emitted: the purposes the state machine gave the event (`emit` actions), by destination.
    ///   - source: the neighbour that delivered the event, or `nil` for this node's own.
    /// - Complexity: O(nodes that handled the case).
    public func hops(of event: RecordedEvent, record: CaseRecord, emitted: [OutboxDestination: OutboxPurpose],
                     from source: NodeCode?) -> [Hop] {
        var hops: [Hop] = []
        if let parent, source != parent {
            let purpose = emitted.first { destination, _ in destination == .parent || self.hop(toward: destination) == parent }?.value
            hops.append(Hop(peer: parent, purpose: purpose ?? .supervisionCopy, redacted: !record.handlers.contains(parent)))
        }
        var children: Set<NodeCode> = []
        for handler in record.handlers.sorted() {
            guard let child = node.child(toward: handler), child != source, children.insert(child).inserted else { continue }
            let purpose = emitted.first { destination, _ in self.hop(toward: destination) == child }?.value
            hops.append(Hop(peer: child, purpose: purpose ?? .caseHistory, redacted: false))
        }
        return hops
    }

    /// The neighbour on the way to `destination`: the parent for anything not below this node.
    func hop(toward destination: OutboxDestination) -> NodeCode? {
        switch destination {
        case .parent: parent
        case .node(let code): node.child(toward: code) ?? (code == node ? nil : parent)
        }
    }
}

/// Who may send what over a link (design.md, Federation): upward, events of cases held in the
/// sender's subtree and minted there; downward, events from the parent of cases held above.
public enum LinkEntitlement {
    /// Why `sender` may not deliver `event` to `receiver`, or `nil` when it may.
    /// - Parameters:
    ///   - holder: the case's holder before the event, by the receiver's copy; `nil` when the
    ///     receiver has no copy yet (the event must then open the case).
    ///   - senderIsParent: whether `sender` is the receiver's parent (else it is a child).
    public static func refusal(of event: RecordedEvent, holder: NodeCode?, receiver: NodeCode, sender: NodeCode,
                               senderIsParent: Bool) -> String? {
        let origin = event.id.origin
        guard event.actor.node == origin else {
            return "event \(event.id) names an actor of node \(event.actor.node), not of its origin \(origin)"
        }
        let holder = holder ?? event.openingHolder
        guard let holder else { return "event \(event.id) is not the opening event of case \(event.caseNumber), which is unknown here" }
        if senderIsParent {
            if receiver.contains(origin) { return "event \(event.id) comes from below node \(receiver), not from its parent" }
            if receiver.contains(holder) { return "case \(event.caseNumber) is held by node \(holder), below this node, not by the parent" }
        } else {
            if !sender.contains(origin) { return "event \(event.id) was minted at node \(origin), outside the subtree of \(sender)" }
            if !sender.contains(holder) { return "case \(event.caseNumber) is held by node \(holder), outside the subtree of \(sender)" }
        }
        return nil
    }
}

extension RecordedEvent {
    /// The holder a case has while its opening event is applied; `nil` for any other event.
    var openingHolder: NodeCode? {
        guard case .received(let intake) = event else { return nil }
        return intake.agency?.village ?? caseNumber.origin
    }

    /// The event without the applicant's personal data (name, phone, ID number, address), for a
    /// node that never handled the case: parties and hand-over recipients are replaced by
    /// ``Party/withheld``.
    public func redacted() -> RecordedEvent {
        let withheld: CaseEvent
        switch event {
        case .received(var intake):
            intake.applicant = .withheld
            if intake.principal != nil { intake.principal = .withheld }
            withheld = .received(intake)
        case .handedOver(_, let method, let signed):
            withheld = .handedOver(recipient: Party.withheld.name, method: method, recipientSigned: signed)
        case .escalated(var plan):
            plan.disclosure = nil
            withheld = .escalated(plan)
        case .accepted(var acceptance):
            guard case .escalated(var plan, let handler) = acceptance.route else { return self }
            plan.disclosure = nil
            acceptance.route = .escalated(plan, handler: handler)
            withheld = .accepted(acceptance)
        default:
            return self
        }
        return RecordedEvent(id: id, caseNumber: caseNumber, caseVersion: caseVersion, occurredAt: occurredAt, actor: actor, event: withheld)
    }
}

extension Party {
    /// A party whose personal data was removed in transit.
    public static let withheld = Party(name: "（已隐去）")
}

extension NodeCode {
    /// The code of the level above (the prefix one level shorter); `nil` for a province.
    public var parentCode: NodeCode? {
        let lengths = Self.validLengths.sorted()
        guard let index = lengths.firstIndex(of: rawValue.utf8.count), index > 0 else { return nil }
        return NodeCode(String(rawValue.prefix(lengths[index - 1])))
    }

    /// This node's child on the way down to `descendant`; `nil` unless `descendant` lies strictly
    /// below this node.
    public func child(toward descendant: NodeCode) -> NodeCode? {
        guard descendant != self, contains(descendant) else { return nil }
        let lengths = Self.validLengths.sorted()
        guard let next = lengths.first(where: { $0 > rawValue.utf8.count }) else { return nil }
        return NodeCode(String(descendant.rawValue.prefix(next)))
    }
}

extension CaseRecord {
    /// Every node that has handled the case: the one that received it, the village agent point of
    /// an agency case and its township (an agency slip is always for the township), the node it
    /// was submitted to, and the node it was escalated to.
    public var handlers: Set<NodeCode> {
        var nodes: Set<NodeCode> = [number.origin]
        if let village = agency?.village {
            nodes.insert(village)
            if let township = village.parentCode { nodes.insert(township) }
        }
        if let agencySubmittedTo { nodes.insert(agencySubmittedTo) }
        if let target = escalation?.target { nodes.insert(target) }
        return nodes
    }
}
