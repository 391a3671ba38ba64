import BanjianDomain
import Foundation
import SwiftProtobuf
import Testing
@testable import BanjianWire

@Suite("Wire round trips")
struct WireRoundTripTests {
    @Test("every event kind survives domain → protobuf bytes → domain", arguments: W.events.indices)
    func eventRoundTrip(_ index: Int) throws {
        let recorded = RecordedEvent(
            id: EventID(origin: W.township, sequence: UInt64(index + 1)), caseNumber: W.number,
            caseVersion: UInt64(index + 1), occurredAt: W.at("2025-03-10", 9, index), actor: W.actor(.handler),
            event: W.events[index])
        let bytes: [UInt8] = try Banjian_V1_CaseEvent(recorded).serializedBytes()
        let decoded = try RecordedEvent(wire: Banjian_V1_CaseEvent(serializedBytes: bytes))
        #expect(decoded == recorded)
    }

    @Test("a stored event with fields this release does not know still reads", arguments: [0, 5])
    func unknownFieldsAreSkipped(_ index: Int) throws {
        let recorded = RecordedEvent(
            id: EventID(origin: W.township, sequence: 7), caseNumber: W.number, caseVersion: 3,
            occurredAt: W.at("2025-03-10", 9, 0), actor: W.actor(.handler), event: W.events[index])
        var bytes = try recorded.protobufEncoded()
        // Field 99 of the envelope (a string "新") and field 98 (a varint 300), as a later release
        // might write them.
        bytes.append(contentsOf: [0x9A, 0x06, 0x03, 0xE6, 0x96, 0xB0, 0x90, 0x06, 0xAC, 0x02])
        #expect(try RecordedEvent(protobufEncoded: bytes) == recorded)
    }

    @Test("the event list covers every event kind")
    func coverage() {
        #expect(Set(W.events.map(\.name)) == Set(CaseEvent.Name.allCases))
    }

    @Test("every domain enum value has a wire value and back")
    func enumTables() throws {
        func total<D: CaseIterable & Hashable, E: SwiftProtobuf.Enum & Hashable>(_ mapping: EnumMapping<D, E>) throws {
            #expect(mapping.domainValues == Set(D.allCases), "\(D.self)")
            for value in D.allCases {
                let wire = mapping.wire(value)
                #expect(wire.rawValue != 0, "\(value) maps to UNSPECIFIED")
                #expect(try mapping.domain(wire, "f") == value)
            }
        }
        try total(Mappings.role)
        try total(Mappings.level)
        try total(Mappings.satisfaction)
        try total(Mappings.channel)
        try total(Mappings.kind)
        try total(Mappings.state)
        try total(Mappings.route)
        try total(Mappings.specialStep)
        try total(Mappings.materialStatus)
        try total(Mappings.outcome)
        try total(Mappings.returnCategory)
        try total(Mappings.handOver)
        try total(Mappings.clock)
        try total(Mappings.rung)
        try total(Mappings.delegation)
        #expect(Set([DeadlineClock.Measure.workingTime, .elapsedTime]) == Mappings.measure.domainValues)
    }

    @Test("a matter survives the round trip")
    func matterRoundTrip() throws {
        let matter = Matter(
            code: "MZ-001", name: "城乡低保申请", version: 2, department: "民政", authority: .county, owner: W.county,
            legalBasis: "《城市居民最低生活保障条例》", conditions: "家庭人均收入低于当地标准",
            materials: [Matter.MaterialSpec(name: "申请书", basis: "条例第七条", format: "A4", copies: 1, signatureOrSealRequired: true, isMainDocument: true)],
            procedure: [
                Matter.ProcedureStep(title: "村(居)委会审核", level: .village),
                Matter.ProcedureStep(title: "张榜公示", level: .village, isPublicNotice: true),
                Matter.ProcedureStep(title: "转报县民政局", detail: "材料具备后一个工作日内", level: .township, timeLimit: .workingDays(1)),
            ],
            statutoryLimit: .workingDays(30), promisedLimit: .workingDays(20), forwardingLimit: .workingDays(1),
            feeBasis: "", feeStandard: "不收费", defaultKind: .escalated, agencyAllowed: true,
            delegation: Matter.Delegation(from: W.county, to: .node(W.township), mode: .fullAgency, effectiveAt: W.at("2025-01-01", 0), documentNumber: "明政〔2025〕3号"),
            supervisionPhone: "0550-8000002", publishedAt: W.at("2025-01-02", 0))
        let bytes: [UInt8] = try Banjian_V1_Matter(matter).serializedBytes()
        #expect(try Matter(wire: Banjian_V1_Matter(serializedBytes: bytes), field: "matter") == matter)
    }

    @Test("a case projects every part of the record, and redaction removes personal data")
    func caseProjection() throws {
        let machine = CaseStateMachine(calendar: W.calendar)
        var record: CaseRecord?
        var now = W.at("2025-03-10", 9)
        let agent = W.actor(.agent, at: W.village)
        let steps: [(CaseEvent, Actor)] = [
            (.received(W.intake), agent),
            (.agencySubmitted(to: W.township), agent),
            (.accepted(Acceptance(route: .promised(Assignment(department: "社会事务服务部", handler: W.actor(.handler))),
                                  limits: CaseLimits(promised: .workingDays(5), statutory: .workingDays(20)))), W.actor(.acceptor)),
            (.specialStepStarted(kind: .hearing, note: "听证", expectedEndAt: nil), W.actor(.handler)),
            (.specialStepEnded(outcome: "通过"), W.actor(.handler)),
            (.urged(reason: "快", directorInstruction: Opinion(text: "抓紧")), W.actor(.acceptor)),
            (.completed(W.decision), W.actor(.handler)),
            (.replied, W.actor(.handler)),
            (.handedOver(recipient: "张三", method: .agent, recipientSigned: true), agent),
        ]
        for (event, actor) in steps {
            now = now.addingTimeInterval(3600)
            record = try machine.apply(event, to: record, at: now, by: actor).record
        }
        let done = try #require(record)
        let projection = CaseProjection(calendar: W.calendar, ladder: .standard, now: now)
        let bytes: [UInt8] = try Banjian_V1_Case(done, projection: projection).serializedBytes()
        let wire = try Banjian_V1_Case(serializedBytes: bytes)
        #expect(wire.number == "341182102-20250310-000001")
        #expect(wire.state == .handedOver)
        #expect(wire.kind == .promised)
        // Handed over at the village: from the reply to the feedback, the agent point holds it.
        #expect(wire.holderNodeCode == "341182102201")
        #expect(wire.applicant.phone == "138 0000 0000")
        #expect(wire.agencyHandover.agent.operatorID == "agent-1")
        #expect(wire.agencyHandover.hasSubmittedAt)
        #expect(wire.specialSteps.map(\.outcome) == ["通过"])
        #expect(wire.urgings.first?.urgedHandler.operatorID == "handler-1")
        #expect(wire.result.certificateNumbers == ["低保证 001"])
        #expect(wire.departmentHeadOpinion.signer.role == .departmentHead)
        #expect(wire.handovers.map(\.method) == [.inPerson, .agent])
        #expect(wire.clocks.map(\.kind) == [.promised, .statutory, .delivery])
        #expect(wire.clocks.allSatisfy { $0.state == .stopped })
        #expect(wire.clocks[0].budgetWorkingMinutes == 5 * 390)
        #expect(wire.version == 9)
        #expect(!wire.redacted)

        let hidden = Banjian_V1_Case(done, projection: CaseProjection(calendar: W.calendar, ladder: .standard, now: now, redactPersonalData: true))
        #expect(hidden.redacted)
        #expect(hidden.applicant == Banjian_V1_Party(.withheld))
        #expect(hidden.principal == Banjian_V1_Party(.withheld))
        #expect(hidden.summary == wire.summary)
    }

    @Test("a running clock shows its due instant and pending rungs")
    func runningClock() throws {
        let machine = CaseStateMachine(calendar: W.calendar)
        var record = try machine.apply(.received(Intake(number: W.number, channel: .window, applicant: Party(name: "王五"),
                                                        matter: MatterRef(code: "X-1", name: "x"), summary: "s", materials: [])),
                                       to: nil, at: W.at("2026-12-28", 9), by: W.actor(.acceptor)).record
        record = try machine.apply(.accepted(Acceptance(route: .promised(Assignment(department: "d", handler: W.actor(.handler))),
                                                        limits: CaseLimits(promised: .workingDays(5)))),
                                   to: record, at: W.at("2026-12-28", 10), by: W.actor(.acceptor)).record
        let wire = Banjian_V1_Case(record, projection: CaseProjection(calendar: W.calendar, ladder: .standard, now: W.at("2026-12-29", 12)))
        let clock = try #require(wire.clocks.first)
        #expect(clock.state == .running)
        #expect(clock.provisional, "the deadline reaches into 2027, which has no data")
        #expect(clock.dueAt.date == W.at("2027-01-04", 17, 30)) // 12-29, 12-30, 12-31, 01-01, 01-04
        #expect(clock.consumedWorkingMinutes == 210)
        #expect(wire.rungs.map(\.kind) == [.warning, .due, .urge, .supervise, .reportUp])
        #expect(wire.rungs.allSatisfy { !$0.fired })
    }
}
