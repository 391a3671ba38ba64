import BanjianDomain
@testable import BanjianStore
import BanjianTestSupport
import Foundation
import GRDB
import Testing

/// The case log resolves matters from the node's catalogue, turns every action of the state
/// machine into rows in the command's transaction, and applies events other nodes minted.
@Suite struct CaseLogConsumersTests {
    typealias F = Fixture

    static let village = NodeCode("341182102201")!

    @Test func theCatalogueResolvesTheMatterAtIntakeAndAcceptance() async throws {
        try await StoreHarness.with { store in
            var unknown = F.intake()
            unknown.matter = MatterRef(code: "XX-404", name: "", version: 0)
            await #expect(throws: StoreError(.notFound, "received.matter_code: no matter 'XX-404' in this node's catalogue")) {
                try await store.open(unknown, requestID: "u")
            }
            var withdrawn = F.matter
            withdrawn.code = "OLD-1"
            withdrawn.withdrawnAt = F.at("2025-01-01")
            try await store.database.saveMatter(withdrawn)
            var old = F.intake()
            old.matter = MatterRef(code: "OLD-1", name: "", version: 0)
            await #expect(throws: StoreError(.failedPrecondition, "received.matter_code: matter 'OLD-1' (version 1) was withdrawn from the catalogue")) {
                try await store.open(old, requestID: "w")
            }
            #expect(try await store.database.caseCount() == 0)

            var bare = F.intake()
            bare.matter = MatterRef(code: "MZ-001", name: "", version: 0)
            let opened = try await store.open(bare)
            #expect(opened.record.matter == MatterRef(code: "MZ-001", name: "城乡低保申请", version: 1))
            #expect(opened.record.terms == F.matter.terms(at: F.at("2025-03-10")))
            guard case .received(let intake) = opened.event.event else { Issue.record("not an intake"); return }
            #expect(intake.terms?.limits.promised == .workingDays(5))

            // A new version published before acceptance is the one the case is accepted under.
            var second = F.matter
            second.version = 2
            second.promisedLimit = .workingDays(4)
            try await store.database.saveMatter(second)
            let accepted = try await store.apply(F.plainPromised, to: opened.record.number, at: F.at("2025-03-10", 10))
            #expect(accepted.record.limits.promised == .workingDays(4) && accepted.record.terms?.matter.version == 2)
        }
    }

    @Test func everyActionBecomesRowsInTheSameTransaction() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            _ = try await store.apply(F.plainPromised, to: number, at: F.at("2025-03-10", 10))
            _ = try await store.apply(.urged(reason: "临近期限", directorInstruction: Opinion(text: "请抓紧办理")), to: number,
                                      at: F.at("2025-03-11", 10))
            _ = try await store.apply(.returned(category: .conditionsNotMet, reason: "踏勘不符合条件", appealRights: "可申请行政复议"),
                                      to: number, by: F.handler, at: F.at("2025-03-12", 10))

            let notices = try await store.database.notices(of: number)
            #expect(notices.map(\.kind) == [.receipt, .promisedAcceptance, .urgingSlip, .returnNotice])
            #expect(notices.map(\.number) == ["341182102-SJ-2025-000001", "341182102-CN-2025-000001",
                                              "341182102-CB-2025-000001", "341182102-TH-2025-000001"])
            let acceptance = notices[1]
            #expect(acceptance.value("承诺时限") == "5个工作日")
            #expect(acceptance.value("承诺办结期限") == "2025年03月17日 17:30")
            #expect(acceptance.value("全程承办人") == F.handler.name)
            #expect(notices[2].value("中心主任批办") == "请抓紧办理")
            #expect(notices[3].value("退回原因") == "踏勘不符合条件" && notices[3].value("申请人权利") == "可申请行政复议")
            #expect(try await store.database.notice("341182102-TH-2025-000001") == notices[3])

            let pending = try await store.database.refusals(in: .pending)
            #expect(pending.map(\.caseNumber) == [number] && pending.first?.refusal.reason == "踏勘不符合条件")
            _ = try await store.apply(.returnReviewed(upheld: true, note: "退回正确"), to: number, by: F.actor(.deputy), at: F.at("2025-03-13", 10))
            #expect(try await store.database.refusals(in: .pending).isEmpty)
            #expect(try await store.database.refusals(in: .upheld).map(\.caseNumber) == [number])

            let notifications = try await store.database.notifications(of: number)
            #expect(notifications.contains { $0.role == .handler && $0.reason == .assigned && $0.operatorID == F.handler.operatorID })
            #expect(notifications.contains { $0.role == .deputy && $0.reason == .refusalFiled })

            // Every event goes to the parent once, as a supervision copy.
            let outbox = try await store.database.outbox(to: F.county)
            #expect(outbox.count == 5 && outbox.allSatisfy { $0.purpose == .supervisionCopy })
        }
    }

    @Test func onlyTheHolderSchedulesAndFiresACasesRungs() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            let plan = EscalationPlan(target: F.county, preliminaryOpinion: Opinion(text: "建议批准"))
            let escalated = try await store.apply(.accepted(Acceptance(route: .escalated(plan, handler: nil))), to: number, at: F.at("2025-03-10", 10))
            #expect(escalated.record.holder == F.county && escalated.record.clocks[.forwarding]?.isRunning == true)
            let pending = try await store.database.pendingRungs()
            #expect(escalated.pendingRungs == [] && pending.isEmpty)
            let key = RungKey(clock: .forwarding, rung: .due, epoch: 0)
            await #expect(throws: StoreError(.failedPrecondition, "case \(number) is held by node 341182: only the holder fires its rungs")) {
                try await store.writer.submit(CaseWrite(.fireRung(number, key), requestID: nil, actor: F.system, at: F.at("2025-03-12", 10)))
            }
        }
    }

    @Test func aRungThatFiresRaisesAnAlert() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            _ = try await store.apply(F.plainPromised, to: number, at: F.at("2025-03-10", 10))
            let key = RungKey(clock: .promised, rung: .warning, epoch: 0)
            _ = try await store.writer.submit(CaseWrite(.fireRung(number, key), requestID: nil, actor: F.system, at: F.at("2025-03-14", 10)))
            #expect(try await store.database.alerts(of: number) == [key])
        }
    }

    /// Events a village minted reach the township: each keeps its id, the link cursor advances
    /// with it, a duplicate changes nothing but the cursor, and nothing is sent back.
    @Test func aPeersEventsKeepTheirIdsAndADuplicateOnlyAdvancesTheCursor() async throws {
        try await StoreHarness.with { store in
            let agent = Actor(operatorID: "agent-1", name: "王代理", role: .agent, node: Self.village)
            var intake = F.intake()
            intake.number = CaseNumber("341182102201-20250310-000001")!
            intake.channel = .agency
            intake.agency = AgencyHandover(serialNumber: "NO.0001", village: Self.village, materialIDs: ["m1"], prepaidFen: 0)
            let received = RecordedEvent(id: EventID(origin: Self.village, sequence: 1), caseNumber: intake.number, caseVersion: 1,
                                         occurredAt: F.at("2025-03-10", 9), actor: agent, event: .received(intake))
            let submitted = RecordedEvent(id: EventID(origin: Self.village, sequence: 2), caseNumber: intake.number, caseVersion: 2,
                                          occurredAt: F.at("2025-03-10", 9, 30), actor: agent, event: .agencySubmitted(to: F.township))
            func deliver(_ event: RecordedEvent, cursor: UInt64) async throws -> CaseWriteResult {
                try await store.writer.submit(CaseWrite(.applyPeer(Self.village, event, cursor: cursor), requestID: nil, actor: F.system,
                                                        at: F.at("2025-03-10", 10)))
            }
            let first = try await deliver(received, cursor: 7)
            #expect(first.event == received && !first.isReplay && first.record.state == .agencyIntake)
            #expect(try await store.database.linkCursor(of: Self.village) == 7)

            // A gap in the case's versions is refused and the cursor stays.
            var skipped = submitted
            skipped = RecordedEvent(id: EventID(origin: Self.village, sequence: 3), caseNumber: intake.number, caseVersion: 3,
                                    occurredAt: skipped.occurredAt, actor: agent, event: .archived)
            await #expect(throws: StoreError.self) { try await deliver(skipped, cursor: 9) }
            #expect(try await store.database.linkCursor(of: Self.village) == 7)

            let second = try await deliver(submitted, cursor: 8)
            #expect(second.record.state == .received && second.record.version == 2)
            let again = try await deliver(received, cursor: 9)
            #expect(again.isReplay && again.event == received && again.record == second.record)
            #expect(try await store.database.linkCursor(of: Self.village) == 9)
            // An older cursor never moves it back.
            _ = try await deliver(received, cursor: 3)
            #expect(try await store.database.linkCursor(of: Self.village) == 9)

            #expect(try await store.database.events(of: intake.number).map(\.id) == [received.id, submitted.id])
            #expect(try await store.database.outbox(to: Self.village).isEmpty)
            #expect(try await store.database.outbox(to: F.county).map(\.event) == [received.id, submitted.id])
            // The township's own next event is numbered in its own sequence.
            let accepted = try await store.apply(F.plainPromised, to: intake.number, at: F.at("2025-03-10", 11))
            #expect(accepted.event.id == EventID(origin: F.township, sequence: 1))
            // … and travels down to the village, which handled the case, for its history.
            #expect(try await store.database.outbox(to: Self.village).map(\.event) == [accepted.event.id])
            #expect(try await store.database.outbox(to: Self.village).map(\.purpose) == [.caseHistory])
        }
    }
}
