@testable import BanjianDomain
import Foundation
import Testing

/// Where an event travels, who may send it, what an ancestor that never held the case sees, and
/// who holds a case along the agency route (federation.md).
@Suite("Federation rules") struct LinkRouteTests {
    typealias F = Fixture
    static let city = NodeCode("3411")!

    /// The agency case from the village to the county and back, one recorded event per step.
    static func agencyCase() throws -> [(event: RecordedEvent, record: CaseRecord)] {
        var driver = CaseDriver()
        var steps: [(RecordedEvent, CaseRecord)] = []
        var sequences: [NodeCode: UInt64] = [:]
        func step(_ event: CaseEvent, _ actor: Actor) throws {
            try driver.apply(event, by: actor)
            let record = try #require(driver.record)
            sequences[actor.node, default: 0] += 1
            steps.append((RecordedEvent(id: EventID(origin: actor.node, sequence: sequences[actor.node]!), caseNumber: record.number,
                                        caseVersion: record.version, occurredAt: driver.now, actor: actor, event: event), record))
        }
        let plan = EscalationPlan(target: F.county, preliminaryOpinion: Opinion(text: "建议批准"),
                                  disclosure: Disclosure(applicant: F.intake(channel: .agency).applicant, principal: nil))
        try step(.received(F.intake(channel: .agency)), F.agent)
        try step(.agencySubmitted(to: F.township), F.agent)
        try step(.accepted(Acceptance(route: .escalated(plan, handler: nil))), F.acceptor)
        try step(.escalationAcknowledged(noticeNumber: "JD-1"), F.countyHandler)
        try step(.escalationDecided(F.decision), F.countyHandler)
        try step(.replied, F.handler)
        try step(.handedOver(recipient: "张三", method: .agent, recipientSigned: true), F.agent)
        try step(.feedbackRecorded(satisfaction: .satisfied, comment: ""), F.agent)
        return steps
    }

    @Test("the holder moves village → township → county → township → village → township")
    func holderAlongTheAgencyRoute() throws {
        let holders = try Self.agencyCase().map(\.record.holder)
        #expect(holders == [F.village, F.township, F.county, F.county, F.township, F.village, F.village, F.township])
    }

    @Test("every event goes up unless the parent sent it, and down to the child toward each handler")
    func routes() throws {
        let steps = try Self.agencyCase()
        let township = LinkRoute(node: F.township, parent: F.county)
        // The village's event at the township goes up only (not back to the village).
        let fromVillage = township.hops(of: steps[0].event, record: steps[0].record, emitted: [:], from: F.village)
        #expect(fromVillage.map(\.peer) == [F.county])
        // The township's escalation goes up as an escalation, in full, and down to the village.
        let escalation = township.hops(of: steps[2].event, record: steps[2].record, emitted: [.node(F.county): .escalation], from: nil)
        #expect(escalation.map(\.peer) == [F.county, F.village])
        #expect(escalation.first?.purpose == .escalation && escalation.first?.redacted == false)
        // The county's decision arrives from the parent: down to the village only.
        let decision = township.hops(of: steps[4].event, record: steps[4].record, emitted: [:], from: F.county)
        #expect(decision.map(\.peer) == [F.village] && decision.first?.purpose == .caseHistory)
        // At the county, everything goes up to the city without personal data (it never held it).
        let county = LinkRoute(node: F.county, parent: Self.city)
        let toCity = county.hops(of: steps[4].event, record: steps[4].record, emitted: [:], from: nil)
        #expect(toCity.map(\.peer) == [Self.city, F.township])
        #expect(toCity.first?.redacted == true)
        // A township's own window case goes up without personal data.
        var own = CaseDriver()
        try own.apply(.received(F.intake()), by: F.acceptor)
        let windowCase = try #require(own.record)
        let up = township.hops(of: RecordedEvent(id: EventID(origin: F.township, sequence: 1), caseNumber: windowCase.number, caseVersion: 1,
                                                 occurredAt: own.now, actor: F.acceptor, event: .received(F.intake())),
                               record: windowCase, emitted: [:], from: nil)
        #expect(up.map(\.peer) == [F.county] && up.first?.redacted == true)
    }

    @Test("redaction removes the parties, the disclosure and the recipient, and nothing else")
    func redaction() throws {
        let steps = try Self.agencyCase()
        guard case .received(let intake) = steps[0].event.redacted().event else { Issue.record("not received"); return }
        #expect(intake.applicant == .withheld && intake.summary == F.intake(channel: .agency).summary)
        #expect(intake.materials == F.intake(channel: .agency).materials)
        guard case .accepted(let acceptance) = steps[2].event.redacted().event, case .escalated(let plan, _) = acceptance.route else {
            Issue.record("not an escalated acceptance")
            return
        }
        #expect(plan.disclosure == nil && plan.target == F.county)
        guard case .handedOver(let recipient, _, _) = steps[6].event.redacted().event else { Issue.record("not handedOver"); return }
        #expect(recipient == Party.withheld.name)
        #expect(steps[4].event.redacted() == steps[4].event)
    }

    @Test("a child sends only its subtree's events of cases held there; a parent only events from above")
    func entitlement() throws {
        let steps = try Self.agencyCase()
        func refusal(_ index: Int, receiver: NodeCode, sender: NodeCode, fromParent: Bool) -> String? {
            let holder = index == 0 ? nil : steps[index - 1].record.holder
            return LinkEntitlement.refusal(of: steps[index].event, holder: holder, receiver: receiver, sender: sender, senderIsParent: fromParent)
        }
        // The real flow is entitled at every hop.
        #expect(refusal(0, receiver: F.township, sender: F.village, fromParent: false) == nil)
        #expect(refusal(2, receiver: F.county, sender: F.township, fromParent: false) == nil)
        #expect(refusal(4, receiver: F.township, sender: F.county, fromParent: true) == nil)
        #expect(refusal(4, receiver: F.village, sender: F.township, fromParent: true) == nil)
        #expect(refusal(6, receiver: F.township, sender: F.village, fromParent: false) == nil)
        // A child cannot send the county's decision up, nor another subtree's events.
        #expect(refusal(4, receiver: F.county, sender: F.township, fromParent: false)?.contains("outside the subtree") == true)
        #expect(refusal(0, receiver: F.county, sender: NodeCode("341182103")!, fromParent: false)?.contains("outside the subtree") == true)
        // A parent cannot send an event minted below the receiver.
        #expect(refusal(6, receiver: F.township, sender: F.county, fromParent: true)?.contains("from below") == true)
        // An actor of another node than the event's origin is a forgery.
        let forged = RecordedEvent(id: EventID(origin: F.village, sequence: 9), caseNumber: steps[6].event.caseNumber, caseVersion: 7,
                                   occurredAt: steps[6].event.occurredAt, actor: F.acceptor, event: steps[6].event.event)
        #expect(LinkEntitlement.refusal(of: forged, holder: F.village, receiver: F.township, sender: F.village, senderIsParent: false)?
            .contains("names an actor of node 341182102") == true)
        // An unknown case must start with its opening event.
        #expect(refusal(1, receiver: F.county, sender: F.township, fromParent: false) == nil)
        #expect(LinkEntitlement.refusal(of: steps[1].event, holder: nil, receiver: F.county, sender: F.township, senderIsParent: false)?
            .contains("not the opening event") == true)
    }

    @Test("codes: the level above, and the child on the way down")
    func codes() {
        #expect(F.village.parentCode == F.township && F.township.parentCode == F.county && F.county.parentCode == Self.city)
        #expect(NodeCode("34")!.parentCode == nil)
        #expect(Self.city.child(toward: F.village) == F.county && F.county.child(toward: F.village) == F.township)
        #expect(F.township.child(toward: F.township) == nil && F.township.child(toward: F.county) == nil)
        #expect(F.township.child(toward: NodeCode("341182103201")!) == nil)
    }
}
