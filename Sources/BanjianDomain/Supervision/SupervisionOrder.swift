public import Foundation

/// A 督办 order: a supervisor at a level above tells the holder of a case what must be done, and
/// by when (domain.md §3.3). It travels down the links to the holder, which records it on the
/// case and watches its limit with the case's `supervisionOrder` clock.
public struct SupervisionOrder: Hashable, Sendable, Codable {
    /// `<issuing node>-<yyyymmdd>-<6-digit daily sequence>`.
    public var number: String
    public var issuingNode: NodeCode
    /// The case's holder when the order was issued.
    public var target: NodeCode
    public var caseNumber: CaseNumber
    /// 督办意见: what must be done.
    public var instruction: String
    public var respondWithin: TimeLimit
    public var issuedBy: Actor
    public var issuedAt: Date

    public init(number: String, issuingNode: NodeCode, target: NodeCode, caseNumber: CaseNumber, instruction: String,
                respondWithin: TimeLimit, issuedBy: Actor, issuedAt: Date) {
        self.number = number
        self.issuingNode = issuingNode
        self.target = target
        self.caseNumber = caseNumber
        self.instruction = instruction
        self.respondWithin = respondWithin
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
    }
}

/// An order as the holder recorded it, with its answer.
public struct SupervisionOrderRecord: Hashable, Sendable, Codable {
    public var order: SupervisionOrder
    /// When the holder recorded it; its clock counts from here.
    public var receivedAt: Date
    /// 督办回复.
    public var answer: String?
    public var answeredBy: Actor?
    public var answeredAt: Date?
    /// The limit passed while the order was open.
    public var breached = false

    public init(order: SupervisionOrder, receivedAt: Date) {
        self.order = order
        self.receivedAt = receivedAt
    }

    public var isOpen: Bool { answer == nil }
}

extension CaseStateMachine.Step {
    /// Records a 督办 order. The order clock times the oldest open order: it starts (or restarts)
    /// for this one when no other is open. Any state but closed or archived.
    mutating func recordSupervisionOrder(_ order: SupervisionOrder) throws(CaseTransitionError) {
        switch record.state {
        case .closed, .archived: throw illegal
        default: break
        }
        guard order.caseNumber == record.number else {
            throw .invalidField("order.case_number", reason: "names case \(order.caseNumber), not \(record.number)")
        }
        try Validate.nonEmpty(order.instruction, "order.instruction")
        guard order.respondWithin.isValid else { throw .invalidField("order.respond_within", reason: "is out of range: \(order.respondWithin)") }
        var orders = record.orderRecords ?? []
        guard !orders.contains(where: { $0.order.number == order.number }) else {
            throw .invalidField("order.order_number", reason: "order \(order.number) is already on case \(record.number)")
        }
        let timing = orders.contains(where: \.isOpen)
        orders.append(SupervisionOrderRecord(order: order, receivedAt: at))
        record.orderRecords = orders
        if !timing { try timeOrder(order, from: at) }
        actions.append(.notify(.handler, .supervisionOrdered))
    }

    /// Starts (or restarts) the order clock for `order`, counted from `reference`.
    private mutating func timeOrder(_ order: SupervisionOrder, from reference: Date) throws(CaseTransitionError) {
        record.breached.remove(.supervisionOrder)
        try startClock(.supervisionOrder, order.respondWithin, reference: reference)
    }

    /// Answers an open order (its case's handler or a leader). When it was the timed one, the clock
    /// goes on for the next open order from that order's receipt, or stops when none is left.
    mutating func answerSupervisionOrder(_ number: String, _ answer: String) throws(CaseTransitionError) {
        try requireAccountable()
        guard var orders = record.orderRecords, let index = orders.firstIndex(where: { $0.order.number == number }) else {
            throw .invalidField("answer.order_number", reason: "case \(record.number) has no order \(number)")
        }
        guard orders[index].isOpen else { throw .orderAlreadyAnswered(number) }
        try Validate.nonEmpty(answer, "answer.answer")
        let wasTimed = orders.firstIndex(where: \.isOpen) == index
        orders[index].answer = answer
        orders[index].answeredBy = actor
        orders[index].answeredAt = at
        record.orderRecords = orders
        guard wasTimed else { return }
        if let next = orders.first(where: \.isOpen) {
            try timeOrder(next.order, from: next.receivedAt)
        } else {
            try stopClocks([.supervisionOrder])
        }
    }

    /// The timed order (the oldest open one) is breached when its clock's due rung fires.
    mutating func breachTimedOrder() {
        guard var orders = record.orderRecords, let index = orders.firstIndex(where: \.isOpen) else { return }
        orders[index].breached = true
        record.orderRecords = orders
    }
}
