import BanjianDomain
@testable import BanjianStore
import BanjianTestSupport
import Foundation
import GRDB
import Testing

@Suite struct CaseWriterTests {
    typealias F = Fixture

    @Test func openAssignsDailyNumbersAndRecordsEventProjectionAndOutbox() async throws {
        try await StoreHarness.with { store in
            let first = try await store.open(requestID: "a")
            let second = try await store.open(requestID: "b")
            let next = try await store.open(requestID: "c", at: F.at("2025-03-11"))
            #expect(first.record.number.description == "341182102-20250310-000001")
            #expect(second.record.number.description == "341182102-20250310-000002")
            #expect(next.record.number.description == "341182102-20250311-000001")
            #expect(first.event.id == EventID(origin: F.township, sequence: 1))
            #expect(second.event.id.sequence == 2)
            #expect(first.record.state == .received && first.record.version == 1)

            let stored = try #require(try await store.database.caseRecord(first.record.number))
            #expect(stored == first.record)
            let events = try await store.database.events(of: first.record.number)
            #expect(events == [first.event])
            // Every event travels to the parent for supervision.
            #expect(try await store.database.linkLedger(of: F.county).outboxDepth == 3)
        }
    }

    @Test func aRetriedRequestReturnsTheFirstResultAndChangesNothing() async throws {
        try await StoreHarness.with { store in
            let opened = try await store.open(requestID: "same")
            let again = try await store.open(F.intake(summary: "另一个"), requestID: "same")
            #expect(again.isReplay)
            #expect(again.record == opened.record && again.event == opened.event)
            #expect(try await store.database.caseCount() == 1)

            let number = opened.record.number
            let accepted = try await store.apply(F.promised, to: number, requestID: "acc", at: F.at("2025-03-10", 10))
            _ = try await store.apply(.handlerAssigned(Assignment(department: "民政", handler: F.actor(.handler, "h2"))),
                                      to: number, requestID: "assign", at: F.at("2025-03-10", 11))
            let retried = try await store.apply(F.promised, to: number, requestID: "acc", at: F.at("2025-03-10", 12))
            #expect(retried.isReplay && retried.record == accepted.record && retried.event == accepted.event)
            #expect(try await store.database.events(of: number).count == 3)

            // The same id for another command is refused.
            await #expect(throws: StoreError(.requestIDReused, "request id 'acc' was already used for 'accepted'")) {
                try await store.apply(.archived, to: number, requestID: "acc", at: F.at("2025-03-10", 12))
            }
        }
    }

    @Test func refusedCommandsChangeNothing() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            let at = F.at("2025-03-10", 10)
            // Illegal transition: a received case cannot be completed.
            let illegal = await #expect(throws: StoreError.self) {
                try await store.apply(.replied, to: number, by: F.handler, at: at)
            }
            #expect(illegal?.code == .transition)
            // Wrong role.
            let role = await #expect(throws: StoreError.self) { try await store.apply(F.promised, to: number, by: F.actor(.auditor), at: at) }
            #expect(role?.transition == .roleNotPermitted(.auditor, event: .accepted))
            // Stale version.
            let stale = await #expect(throws: StoreError.self) {
                try await store.apply(F.promised, to: number, expectedVersion: 7, at: at)
            }
            #expect(stale?.code == .versionConflict)
            // Unknown case.
            let missing = await #expect(throws: StoreError.self) {
                try await store.apply(F.promised, to: CaseNumber("341182102-20250310-000099")!, at: at)
            }
            #expect(missing?.code == .notFound)

            #expect(try await store.database.events(of: number).count == 1)
            #expect(try await store.database.caseRecord(number)?.version == 1)
            #expect(try await store.database.linkLedger(of: F.county).outboxDepth == 1)
        }
    }

    @Test func acceptingProjectsRungsAndEachRungFiresExactlyOnce() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            let accepted = try await store.apply(F.promised, to: number, at: F.at("2025-03-10", 10))
            let rungs = try #require(accepted.pendingRungs)
            #expect(rungs.map(\.key.rung) == [.warning, .due, .urge, .supervise, .reportUp])
            #expect(Set(try await store.database.pendingRungs()) == Set(rungs))

            let warning = rungs[0]
            let fired = try await store.writer.submit(CaseWrite(.fireRung(number, warning.key), requestID: nil, actor: F.system, at: warning.fireAt))
            #expect(fired.event.event == .rungFired(warning.key))
            #expect(fired.pendingRungs?.map(\.key.rung) == [.due, .urge, .supervise, .reportUp])
            #expect(try await store.database.pendingRungs().count == 4)

            // A second fire of the same rung (a retry after a crash, a stale timer) is refused.
            let twice = await #expect(throws: StoreError.self) {
                try await store.writer.submit(CaseWrite(.fireRung(number, warning.key), requestID: nil, actor: F.system, at: warning.fireAt))
            }
            #expect(twice?.transition == .rungAlreadyFired(warning.key))
            #expect(try await store.database.firedRungs(of: number) == [warning.key])
        }
    }

    @Test func completionCancelsTheHandlingRungsAndStartsDelivery() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            _ = try await store.apply(F.promised, to: number, at: F.at("2025-03-10", 10))
            let done = try await store.apply(
                .completed(Decision(outcome: .approved, summary: "准予", handlingOpinion: "同意", review: Opinion(text: "复核无误"))),
                to: number, by: F.handler, at: F.at("2025-03-11", 10))
            // The promised clock stopped; the 5-day delivery clock (送达) started.
            #expect(done.pendingRungs?.map(\.key.clock) == Array(repeating: .delivery, count: 5))
            #expect(Set(try await store.database.pendingRungs()) == Set(done.pendingRungs ?? []))
        }
    }

    @Test func pauseResumeAndExtensionReprojectTheRungs() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            let accepted = try #require(try await store.apply(F.promised, to: number, at: F.at("2025-03-10", 10)).pendingRungs)
            let due = try #require(accepted.first { $0.key.rung == .due })

            // A special step pauses the clock: no rung may fire while it runs.
            let paused = try await store.apply(.specialStepStarted(kind: .siteSurvey, note: "现场踏勘", expectedEndAt: nil),
                                               to: number, by: F.handler, at: F.at("2025-03-11", 10))
            #expect(paused.pendingRungs == [])
            #expect(try await store.database.pendingRungs().isEmpty)

            // Resumed a working day later: every rung comes back, one working day later.
            let resumed = try #require(try await store.apply(.specialStepEnded(outcome: "符合条件"), to: number, by: F.handler,
                                                              at: F.at("2025-03-12", 10)).pendingRungs)
            let resumedDue = try #require(resumed.first { $0.key.rung == .due })
            #expect(resumed.count == 5 && resumedDue.fireAt > due.fireAt)

            // An approved extension adds to the budget and re-arms the ladder under a new epoch.
            _ = try await store.apply(.extensionRequested(clock: .promised, workingDays: 3, reason: "需要补充调查"),
                                      to: number, by: F.handler, at: F.at("2025-03-12", 11))
            let extended = try #require(try await store.apply(.extensionDecided(approved: true, note: "同意"), to: number,
                                                               by: F.actor(.deputy), at: F.at("2025-03-12", 15)).pendingRungs)
            let extendedDue = try #require(extended.first { $0.key.rung == .due })
            #expect(extendedDue.key.epoch == resumedDue.key.epoch + 1 && extendedDue.fireAt > resumedDue.fireAt)
            #expect(Set(try await store.database.pendingRungs()) == Set(extended))
        }
    }

    @Test func concurrentCommandsShareTransactions() async throws {
        try await StoreHarness.with { store in
            let results = try await withThrowingTaskGroup(of: CaseWriteResult.self) { group in
                for index in 0..<200 {
                    group.addTask { try await store.open(requestID: "r\(index)") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(results.map(\.record.number)).count == 200)
            #expect(Set(results.map(\.event.id.sequence)) == Set(1...200))
            let batches = store.batches.sizes.withLock { $0 }
            #expect(batches.reduce(0, +) == 200)
            #expect(batches.count < 200, "group commit: \(batches.count) transactions for 200 commands")
        }
    }

    @Test func aFailingCommandInABatchLeavesTheOthersCommitted() async throws {
        try await StoreHarness.with { store in
            let number = try await store.open().record.number
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let event: CaseEvent = index.isMultiple(of: 2) ? .replied : .urged(reason: "快办 \(index)", directorInstruction: nil)
                        let actor = index.isMultiple(of: 2) ? F.handler : F.actor(.supervisor)
                        return (try? await store.apply(event, to: number, by: actor, at: F.at("2025-03-10", 10))) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            // Urging a received case is refused as well as replying: only the opening event stays.
            let succeeded = outcomes.filter { $0 }.count
            #expect(try await store.database.events(of: number).count == 1 + succeeded)
        }
    }

    @Test func theEventLogIsAppendOnly() async throws {
        try await StoreHarness.with { store in
            _ = try await store.open()
            await #expect(throws: DatabaseError.self) {
                try await store.database.pool.write { db in try db.execute(sql: "UPDATE case_event SET name = 'x'") }
            }
            await #expect(throws: DatabaseError.self) {
                try await store.database.pool.write { db in try db.execute(sql: "DELETE FROM case_event") }
            }
        }
    }

    @Test func submissionsAfterShutdownAreRefused() async throws {
        let database = try NodeDatabase(path: F.databasePath())
        let writer = CaseWriter(database: database, log: CaseLog(node: F.township, parent: nil, machine: F.machine), logger: .init(label: "t"))
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            group.cancelAll()
        }
        let refused = await #expect(throws: StoreError.self) {
            try await writer.submit(CaseWrite(.open(F.intake()), requestID: "x", actor: F.acceptor, at: F.at("2025-03-10")))
        }
        #expect(refused?.code == .unavailable)
    }
}
