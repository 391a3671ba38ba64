import BanjianDomain
@testable import BanjianStore
import DeadlineBaseline
import BanjianTestSupport
import Foundation
import GRDB
import Testing

/// The events are the truth: replaying them reproduces every projection value for value.
@Suite struct ProjectionRebuildTests {
    typealias F = Fixture

    /// Every projection row of the database: records by case, and the clock and rung rows.
    struct Snapshot: Equatable {
        var records: [CaseNumber: CaseRecord] = [:]
        var clocks: [String] = []
        var rungs: [String] = []

        static func take(_ database: NodeDatabase) async throws -> Snapshot {
            try await database.pool.read { db in
                var snapshot = Snapshot()
                for text in try String.fetchAll(db, sql: "SELECT number FROM case_projection") {
                    let number = try #require(CaseNumber(text))
                    snapshot.records[number] = try CaseRows.record(number, in: db)
                }
                snapshot.clocks = try Row.fetchAll(db, sql: "SELECT * FROM deadline_clock ORDER BY case_number, clock").map(\.description)
                snapshot.rungs = try Row.fetchAll(db, sql: "SELECT * FROM pending_rung ORDER BY case_number, clock, rung, epoch").map(\.description)
                return snapshot
            }
        }
    }

    static let deputy = F.actor(.deputy)
    static let director = F.actor(.director)
    static let departmentHead = F.actor(.departmentHead)

    /// Events to try on a case, legal or not; the writer refuses the illegal ones.
    static let probes: [(CaseEvent, Actor)] = [
        (F.plainPromised, F.acceptor),
        (.accepted(Acceptance(route: .immediate)), F.acceptor),
        (.accepted(Acceptance(route: .joint(lead: "民政", departments: ["民政", "财政"], handler: Assignment(department: "民政", handler: F.handler)),
                              limits: CaseLimits(promised: .workingDays(3)))), F.acceptor),
        (.accepted(Acceptance(route: .escalated(EscalationPlan(target: F.county, preliminaryOpinion: Opinion(text: "建议批准")), handler: nil))), F.acceptor),
        (.supplementRequested(SupplementRequest(missing: [Material(id: "m2", name: "户口簿", status: .missing)], note: "请补齐")), F.acceptor),
        (.materialsSupplied(materialIDs: ["m2"]), F.acceptor),
        (.declaredOutOfScope(Referral(unit: "县不动产登记中心", contact: "0550-0000000")), F.acceptor),
        (.handlerAssigned(Assignment(department: "社会事务服务部", handler: F.handler)), Self.deputy),
        (.jointDepartmentCompleted(department: "民政", outcome: .approved, opinion: Opinion(text: "同意")), F.handler),
        (.jointDepartmentCompleted(department: "财政", outcome: .approved, opinion: nil), F.handler),
        (.escalated(EscalationPlan(target: F.county, preliminaryOpinion: Opinion(text: "需县级审批"))), F.handler),
        (.specialStepStarted(kind: .siteSurvey, note: "现场踏勘", expectedEndAt: nil), F.handler),
        (.specialStepEnded(outcome: "踏勘完成"), F.handler),
        (.extensionRequested(clock: .promised, workingDays: 2, reason: "需补充调查"), F.handler),
        (.extensionDecided(approved: true, note: "同意"), Self.deputy),
        (.extensionDecided(approved: false, note: "不同意"), Self.director),
        (.urged(reason: "临近期限", directorInstruction: Opinion(text: "抓紧办理")), F.acceptor),
        (.returned(category: .conditionsNotMet, reason: "不符合条件", appealRights: "可申请行政复议"), F.handler),
        (.returned(category: .mainDocumentMissing, reason: "主件缺失", appealRights: ""), F.acceptor),
        (.returnReviewed(upheld: false, note: "退回理由不成立"), Self.director),
        (.returnReviewed(upheld: true, note: ""), Self.deputy),
        (.cannotHandle(reason: "无法办理"), F.handler),
        (.completed(Decision(outcome: .approved, summary: "准予")), F.handler),
        (.completed(Decision(outcome: .done, summary: "已办结")), F.acceptor),
        (.completed(Decision(outcome: .approved, summary: "准予")), Self.departmentHead),
        (.replied, F.handler),
        (.handedOver(recipient: "张三", method: .inPerson, recipientSigned: true), F.acceptor),
        (.feedbackRecorded(satisfaction: .satisfied, comment: ""), F.acceptor),
        (.feedbackRecorded(satisfaction: .notEvaluated, comment: "不愿评价"), F.acceptor),
        (.feedbackRecorded(satisfaction: .dissatisfied, comment: "办理太慢"), F.acceptor),
        (.archived, F.acceptor),
    ]

    @Test func aSeededRandomWalkRebuildsToTheSameProjections() async throws {
        try await StoreHarness.with { store in
            var rng = SplitMix64(seed: 0xBA17_1A17)
            var now = F.at("2025-03-10", 9)
            var numbers: [CaseNumber] = []
            var applied = 0
            for step in 0..<12_000 {
                now = now.addingTimeInterval(Double(60 + rng.next(below: 40 * 60)))
                if numbers.count < 8 || rng.next(below: 12) == 0 {
                    numbers.append(try await store.open(requestID: "o\(step)", at: now).record.number)
                    continue
                }
                if step % 40 == 0 {
                    // The deadline driver's part: every rung due by now fires.
                    for rung in try await store.database.pendingRungs() where rung.fireAt <= now {
                        _ = try? await store.writer.submit(CaseWrite(.fireRung(rung.caseNumber, rung.key), requestID: nil, actor: F.system, at: now))
                    }
                }
                let (event, actor) = Self.probes[rng.next(below: Self.probes.count)]
                let number = numbers[rng.next(below: numbers.count)]
                if (try? await store.apply(event, to: number, by: actor, at: now)) != nil { applied += 1 }
            }
            let events = try await store.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_event") ?? 0 }
            #expect(applied > 1200 && events > 5000, "applied \(applied), events \(events)")

            let log = CaseLog(node: F.township, parent: F.county, machine: F.machine)
            let before = try await Snapshot.take(store.database)
            let check = try await store.database.rebuildProjections(log, rewriting: false)
            #expect(check.differing.isEmpty && check.cases == before.records.count && check.events == events)
            // The statistics and score facts kept event by event equal a recount from the raw events.
            #expect(!check.countsDiffer)
            let counted = try await Self.counts(store.database)
            #expect(counted.received == before.records.count)
            // The walk reaches most figures and facts (its matter has no statutory limit, and few cases get to feedback).
            let reached: [StatisticsCounter] = [.received, .completed, .completedOnSpot, .onTime, .overdue, .extended, .returned, .forwardedUp, .satisfied]
            #expect(reached.allSatisfy { counted.figures[$0.rawValue] > 0 }, "figures: \(counted.figures)")
            #expect(Set(counted.rules).isSuperset(of: ["overdue-promised", "completed-within-promise", "unjustified-return", "extension-approved"]),
                    "facts: \(counted.rules)")

            // Wipe the projections to each case's opening and drop every clock and rung row: the
            // rebuild restores them value for value.
            try await store.database.pool.write { db in
                try db.execute(sql: "DELETE FROM pending_rung; DELETE FROM deadline_clock; DELETE FROM case_statistics; DELETE FROM score_fact")
                for number in before.records.keys {
                    let first = try #require(try CaseRows.events(of: number, after: 0, limit: 1, in: db).first)
                    let opening = try #require(try F.machine.replay([(first.event, first.occurredAt, first.actor)]))
                    try CaseRows.saveProjection(opening, in: db)
                }
            }
            #expect(try await Snapshot.take(store.database) != before)
            let rebuilt = try await store.database.rebuildProjections(log, rewriting: true)
            #expect(Set(rebuilt.differing) == Set(before.records.keys.filter { before.records[$0]?.version ?? 0 > 1 || !(before.records[$0]?.clocks.isEmpty ?? true) }))
            #expect(try await Snapshot.take(store.database) == before)
            #expect(rebuilt.countsDiffer)
            #expect(try await Self.counts(store.database) == counted)
        }
    }

    /// The column totals of `case_statistics` and the rules in `score_fact`.
    static func counts(_ database: NodeDatabase) async throws -> (received: Int, figures: [Int], rules: [String]) {
        try await database.pool.read { db in
            let sums = StatisticsCounter.allCases.map { "SUM(\($0.column))" }.joined(separator: ", ")
            let row = try #require(try Row.fetchOne(db, sql: "SELECT \(sums) FROM case_statistics"))
            let figures = StatisticsCounter.allCases.map { row[$0.rawValue] as Int }
            return (figures[0], figures, try String.fetchAll(db, sql: "SELECT DISTINCT rule FROM score_fact ORDER BY rule"))
        }
    }
}

/// Petitions and complaints: what each change keeps (statistics, facts, rungs) equals what the
/// stored records give when counted again, over a seeded random walk of legal and illegal commands.
@Suite struct GrievanceRecountTests {
    typealias F = Fixture

    static func complaint(_ complex: Bool, _ written: Bool, department: String) -> GrievanceForm {
        .complaint(Complaint.Form(channel: written ? .letter : .phone, complainant: Party(name: "赵六"), content: "投诉", targetDepartment: department,
                                  complex: complex, written: written))
    }

    static func petition(_ route: Petition.Route) -> GrievanceForm {
        .petition(Petition.Form(channel: .phone, visitor: Petition.Visitor(party: Party(name: "王五")), content: "来电反映", route: route,
                                assignedUnit: route == .transfer ? "交通办" : "", replyPoints: route == .immediateReply ? "当即答复" : ""))
    }

    @Test func aSeededRandomWalkKeepsWhatARecountGives() async throws {
        try await StoreHarness.with { store in
            var rng = SplitMix64(seed: 0x6E1E_7A11)
            var now = F.at("2025-03-10", 9)
            var numbers: [CaseNumber] = []
            let departments = ["社会事务服务部", "民政", "综合服务窗口"]
            let actors = [F.acceptor, F.handler, F.actor(.director), F.actor(.deputy), F.actor(.auditor)]
            let satisfactions: [Satisfaction?] = [nil, .satisfied, .basicallySatisfied, .dissatisfied, .notEvaluated]
            var applied = 0
            for step in 0..<3_000 {
                now = now.addingTimeInterval(Double(600 + rng.next(below: 6 * 3600)))
                if step % 25 == 0 {
                    for rung in try await store.database.pendingRungs() where rung.fireAt <= now {
                        _ = try? await store.writer.submitAll([CaseWrite(.fireRung(rung.caseNumber, rung.key), requestID: nil, actor: F.system, at: now)])
                    }
                }
                let form: GrievanceForm
                switch rng.next(below: 10) {
                case 0: form = Self.petition([.immediateReply, .transfer, .leaderInstruction][rng.next(below: 3)])
                case 1, 2: form = Self.complaint(rng.next(below: 3) == 0, rng.next(below: 4) == 0, department: departments[rng.next(below: 3)])
                default:
                    guard let number = numbers.isEmpty ? nil : numbers[rng.next(below: numbers.count)] else { continue }
                    let satisfaction = satisfactions[rng.next(below: satisfactions.count)]
                    let reply: GrievanceReply = rng.next(below: 2) == 0
                        ? .complaint(rng.next(below: 3) == 0 ? nil : Complaint.ReplyForm(text: "答复", method: [.phone, .letter][rng.next(below: 2)],
                                                                                          verified: rng.next(below: 3) == 0),
                                     satisfaction: satisfaction)
                        : .petition(points: rng.next(below: 2) == 0 ? "" : "答复要点", instruction: rng.next(below: 2) == 0 ? Opinion(text: "批示") : nil,
                                    method: .phone, result: "已反馈", satisfaction: satisfaction)
                    let write = CaseWrite(.replyGrievance(number, reply), requestID: nil, actor: actors[rng.next(below: actors.count)], at: now)
                    if (try? await store.writer.submitAll([write])) != nil { applied += 1 }
                    continue
                }
                _ = try await store.writer.submitAll([CaseWrite(.registerGrievance(form), requestID: "g\(step)", actor: F.acceptor, at: now)])
                if let kept = try await store.database.grievance(operatorID: F.acceptor.operatorID, requestID: "g\(step)") { numbers.append(kept.number) }
            }
            #expect(numbers.count > 500 && applied > 300, "\(numbers.count) records, \(applied) answers")
            let log = CaseLog(node: F.township, parent: F.county, machine: F.machine)
            #expect(try await store.database.rebuildProjections(log, rewriting: false).countsDiffer == false)
            let counted = try await ProjectionRebuildTests.counts(store.database)
            // The walk reaches every figure and fact of petitions and complaints.
            #expect([StatisticsCounter.petitions, .complaints, .complaintsOverdue].allSatisfy { counted.figures[$0.rawValue] > 0 }, "\(counted.figures)")
            #expect(Set(counted.rules).isSuperset(of: ["complaint-verified", "complaint-late"]), "\(counted.rules)")
            // Wiped, the statistics, facts and rungs come back from the records.
            let rungs = try await store.database.pendingRungs()
            #expect(!rungs.isEmpty)
            try await store.database.pool.write { db in try db.execute(sql: "DELETE FROM case_statistics; DELETE FROM score_fact; DELETE FROM pending_rung") }
            #expect(try await store.database.rebuildProjections(log, rewriting: true).countsDiffer)
            #expect(try await ProjectionRebuildTests.counts(store.database) == counted)
            #expect(Set(try await store.database.pendingRungs()) == Set(rungs))
        }
    }
}
