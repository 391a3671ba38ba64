@testable import BanjianDomain
import Foundation
import Testing

/// 督办 orders in the state machine: the clock times the oldest open order.
@Suite("督办 orders") struct SupervisionOrderRuleTests {
    typealias F = Fixture

    static func order(_ sequence: Int, days: Int, at: Date) -> SupervisionOrder {
        SupervisionOrder(number: "341182-20250310-\(String(format: "%06d", sequence))", issuingNode: F.county, target: F.township,
                         caseNumber: F.number(), instruction: "请按时办结", respondWithin: .workingDays(days),
                         issuedBy: F.actor(.supervisor, at: F.county), issuedAt: at)
    }

    @Test("a second order waits for the first; answering the first times the second from its own receipt")
    func twoOrders() throws {
        var driver = CaseDriver()
        try driver.apply(.received(F.intake()), by: F.acceptor)
        try driver.apply(.accepted(Acceptance(route: F.promisedRoute)), by: F.acceptor)
        try driver.apply(.supervisionOrdered(Self.order(1, days: 5, at: driver.now)), by: F.system)
        let firstDue = try #require(driver.record?.clocks[.supervisionOrder]?.due(calendar: F.calendar)?.instant)
        let epoch = driver.record?.clocks[.supervisionOrder]?.epoch
        try driver.apply(.supervisionOrdered(Self.order(2, days: 1, at: driver.now)), by: F.system)
        #expect(driver.record?.clocks[.supervisionOrder]?.epoch == epoch, "the second order does not move the first one's deadline")
        #expect(driver.record?.clocks[.supervisionOrder]?.due(calendar: F.calendar)?.instant == firstDue)
        // Another node's handler may not answer; the case's handler may.
        #expect(throws: CaseTransitionError.self) {
            try driver.apply(.supervisionOrderAnswered(orderNumber: "341182-20250310-000001", answer: "已办"), by: F.actor(.handler, "other"))
        }
        try driver.apply(.supervisionOrderAnswered(orderNumber: "341182-20250310-000001", answer: "已办"), by: F.handler)
        let second = try #require(driver.record?.supervisionOrders.last)
        let clock = try #require(driver.record?.clocks[.supervisionOrder])
        #expect(clock.isRunning && clock.epoch != epoch)
        #expect(clock.due(calendar: F.calendar)?.instant == F.calendar.closeOfOffice(on: F.calendar.civilDate(of: second.receivedAt).adding(days: 1)),
                "one working day, the day after its receipt (a Tuesday)")
        // Its due rung breaches the second order only.
        try driver.apply(.rungFired(RungKey(clock: .supervisionOrder, rung: .due, epoch: clock.epoch)), by: F.system)
        #expect(driver.record?.supervisionOrders.map(\.breached) == [false, true])
        try driver.apply(.supervisionOrderAnswered(orderNumber: "341182-20250310-000002", answer: "已办结"), by: F.deputy)
        #expect(driver.record?.clocks[.supervisionOrder]?.isStopped == true)
    }

    @Test("an order on a closed case is refused")
    func closedCase() throws {
        var driver = CaseDriver()
        try driver.apply(.received(F.intake()), by: F.acceptor)
        try driver.apply(.declaredOutOfScope(Referral(unit: "县不动产登记中心", contact: "")), by: F.acceptor)
        #expect(throws: CaseTransitionError.illegalTransition(event: .supervisionOrdered, state: .closed)) {
            try driver.apply(.supervisionOrdered(Self.order(1, days: 1, at: driver.now)), by: F.system)
        }
    }
}
