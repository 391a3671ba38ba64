import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import DeadlineWheel
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// Rungs fire on the node's clock, are committed once, and reach watchers; a restart rebuilds
/// the wheel from the database.
@Suite(.timeLimit(.minutes(2))) struct LiveDeadlineTests {
    @Test func aRungFiresOnceAndReachesTheWatchStream() async throws {
        try await TestNode.run { node in
            try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                let accepted = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata)
                let warning = try #require(accepted.caseRecord.rungs.first { $0.kind == .warning })
                // JS-003: the promised clock (5 working days) and the statutory one (10), five rungs each.
                #expect(node.runtime.driver.count == 10)

                let fired: Banjian_V1_CaseEvent = try await client.cases.watchCase(
                    .with { $0.caseNumber = number }, metadata: client.metadata
                ) { response in
                    var seen: [Banjian_V1_CaseEvent] = []
                    for try await message in response.messages {
                        seen.append(message.event)
                        if seen.count == 2 {
                            // The backlog arrived; now move the clock past the warning.
                            node.clock.advance(to: WheelInstant(date: warning.fireAt.date))
                        }
                        if case .rungFired = message.event.body { return message.event }
                    }
                    throw RPCError(code: .internalError, message: "stream ended")
                }
                #expect(fired.caseVersion == 3)
                #expect(fired.rungFired.rungKind == .warning && fired.rungFired.clockKind == .promised)
                let after = try await client.cases.getCase(.with { $0.caseNumber = number }, metadata: client.metadata).caseRecord
                #expect(after.rungs.filter(\.fired).map(\.kind) == [.warning])
                let numberValue = try #require(CaseNumber(number))
                #expect(try await node.runtime.database.firedRungs(of: numberValue).map(\.rung) == [.warning])
                #expect(node.runtime.driver.count == 9)
            }
        }
    }

    @Test func aRestartRebuildsTheWheelAndFiresOverdueRungsExactlyOnce() async throws {
        let prepared = try await TestNode.prepare()
        let clock = ManualWheelClock(start: TestNode.start)
        let number = try await TestNode.run(prepared: prepared, clock: clock) { node in
            try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata)
                return number
            }
        }
        // While the node is down, the case passes its limit (5 working days) and more.
        clock.advance(by: .seconds(30 * 86_400))
        try await TestNode.run(prepared: prepared, clock: clock) { node in
            let caseNumber = try #require(CaseNumber(number))
            // Every rung was overdue at start; they fire in the first turn.
            for _ in 0..<200 where try await node.runtime.database.firedRungs(of: caseNumber).count < 10 {
                await Task.yield()
                try await Task.sleep(for: .milliseconds(10))
            }
            let fired = try await node.runtime.database.firedRungs(of: caseNumber)
            #expect(Set(fired.map(\.rung)) == Set(RungKind.allCases) && fired.count == 10)
            #expect(try await node.runtime.database.pendingRungs().isEmpty)
            try await node.client(as: .acceptor) { client in
                let overdue = try await client.cases.listCases(.with { $0.overdueOnly = true }, metadata: client.metadata)
                #expect(overdue.cases.map(\.number) == [number])
            }
        }
        // A third start finds nothing to fire.
        try await TestNode.run(prepared: prepared, clock: clock) { node in
            #expect(node.runtime.driver.count == 0)
            let fired = try await node.runtime.database.firedRungs(of: CaseNumber(number)!)
            #expect(fired.count == 10)
        }
    }

    /// The shipped 2025 notice with Wednesday 2025-03-12 made a holiday, as a holiday-cn file.
    static func edited2025() throws -> Data {
        var days = try #require(ChinaHolidays.years.first { $0.year == 2025 }).days
        days[try #require(CivilDate(iso: "2025-03-12"))] = DayOverride(name: "测试假日", isOffDay: true)
        let listed = days.keys.sorted().map { date -> [String: Any] in
            ["name": days[date]?.name ?? "", "date": date.description, "isOffDay": days[date]?.isOffDay ?? false]
        }
        return try JSONSerialization.data(withJSONObject: ["year": 2025, "papers": ["test"], "days": listed])
    }

    /// Points the node's config at ``edited2025()``, written beside it.
    static func useEdited2025(_ configPath: String) throws {
        let url = URL(fileURLWithPath: configPath)
        try edited2025().write(to: url.deletingLastPathComponent().appendingPathComponent("holidays-2025.json"))
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        config["holidays"] = ["holidays-2025.json"]
        try JSONSerialization.data(withJSONObject: config).write(to: url)
    }

    @Test func aNewHolidayFileMovesLiveDeadlinesAtStartAndJournalsIt() async throws {
        let prepared = try await TestNode.prepare()
        let clock = ManualWheelClock(start: TestNode.start)
        let (number, before) = try await TestNode.run(prepared: prepared, clock: clock) { node in
            try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata)
                return (number, try await node.runtime.database.pendingRungs())
            }
        }
        // The centre loads a corrected notice: one more holiday inside the case's limit.
        try Self.useEdited2025(prepared.setup.configPath)

        try await TestNode.run(prepared: prepared, clock: clock) { node in
            let after = try await node.runtime.database.pendingRungs()
            #expect(after.count == before.count && node.runtime.driver.count == before.count)
            let dueBefore = try #require(before.first { $0.key == RungKey(clock: .promised, rung: .due, epoch: 0) }).fireAt
            let dueAfter = try #require(after.first { $0.key == RungKey(clock: .promised, rung: .due, epoch: 0) }).fireAt
            // Five working days from Tuesday 03-11 (the clock starts the next working day): due on
            // Monday 03-17 at closing time before, and a working day later, Tuesday 03-18, now.
            #expect(dueAfter == dueBefore.addingTimeInterval(86_400))
            try await node.client(as: .acceptor) { client in
                let record = try await client.cases.getCase(.with { $0.caseNumber = number }, metadata: client.metadata).caseRecord
                #expect(record.clocks.first?.dueAt.date == dueAfter)
            }
            let journal = try await node.runtime.database.calendarChanges()
            #expect(journal.count == 2)
            #expect(journal.first?.previousFingerprint == nil && journal.first?.casesReprojected == 0)
            #expect(journal.last?.previousFingerprint == journal.first?.fingerprint && journal.last?.casesReprojected == 1)
            #expect(journal.last?.summary == "Asia/Shanghai +08:00, 08:30-12:00,14:30-17:30, holidays 2024-2026")
            // Both the promised and the statutory clock moved.
            #expect(journal.last?.shifts.map(\.clock).sorted() == [.promised, .statutory])
            let shift = try #require(journal.last?.shifts.first { $0.clock == .promised })
            #expect(shift.caseNumber.description == number)
            #expect(shift.previousDue == dueBefore && shift.currentDue == dueAfter)
        }
        // The same calendar again: nothing to re-project, nothing journaled.
        try await TestNode.run(prepared: prepared, clock: clock) { node in
            let changes = try await node.runtime.database.calendarChanges()
            #expect(changes.count == 2)
        }
    }

    /// A holiday the old calendar lacked shows that the due and urge rungs fired a day early:
    /// at the next start they are withdrawn, the overdue finding is lifted, and they fire again
    /// at the corrected due instant.
    @Test func anEditedCalendarWithdrawsRungsThatFiredEarly() async throws {
        let prepared = try await TestNode.prepare()
        let clock = ManualWheelClock(start: TestNode.start)
        let (number, dueBefore) = try await TestNode.run(prepared: prepared, clock: clock) { node in
            try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata)
                let due = try #require(try await node.runtime.database.pendingRungs().first { $0.key == RungKey(clock: .promised, rung: .due, epoch: 0) }).fireAt
                // An hour past the due instant (Monday 03-17, closing time): warning, due and urge fire.
                node.clock.advance(to: WheelInstant(date: due.addingTimeInterval(3600)))
                let caseNumber = try #require(CaseNumber(number))
                for _ in 0..<300 where try await node.runtime.database.firedRungs(of: caseNumber).count < 3 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(try await node.runtime.database.firedRungs(of: caseNumber).map(\.rung).sorted() == [.warning, .due, .urge])
                let overdue = try await client.cases.listCases(.with { $0.overdueOnly = true }, metadata: client.metadata)
                #expect(overdue.cases.map(\.number) == [number])
                return (number, due)
            }
        }
        let caseNumber = try #require(CaseNumber(number))
        try Self.useEdited2025(prepared.setup.configPath)

        try await TestNode.run(prepared: prepared, clock: clock) { node in
            // With 03-12 a holiday, four of the five working days have passed: the warning stands,
            // the due and the urge fired early.
            let withdrawn = [RungKey(clock: .promised, rung: .due, epoch: 0), RungKey(clock: .promised, rung: .urge, epoch: 0)]
            let journal = try await node.runtime.database.calendarChanges()
            #expect(journal.last?.corrections == [caseNumber: DeadlineCorrection(calendar: journal.last?.fingerprint ?? "", withdrawn: withdrawn)])
            let last = try #require(try await node.runtime.database.events(of: caseNumber).last)
            #expect(last.event == .deadlinesCorrected(DeadlineCorrection(calendar: journal.last?.fingerprint ?? "", withdrawn: withdrawn)))
            #expect(last.actor.role == .system)

            let record = try #require(try await node.runtime.database.caseRecord(caseNumber))
            #expect(!record.wasOverdue && record.clocks[.promised]?.epoch == 1)
            #expect(record.firedRungs.contains(RungKey(clock: .promised, rung: .warning, epoch: 1)))
            // The firings stay in the history; the rungs wait again, from the corrected due on.
            #expect(try await node.runtime.database.firedRungs(of: caseNumber).count == 3)
            let pending = try await node.runtime.database.pendingRungs().filter { $0.key.clock == .promised }
            #expect(pending.map(\.key.rung).sorted() == [.due, .urge, .supervise, .reportUp] && pending.allSatisfy { $0.key.epoch == 1 })
            let dueAfter = try #require(pending.first { $0.key.rung == .due }).fireAt
            #expect(dueAfter == dueBefore.addingTimeInterval(86_400))
            try await node.client(as: .acceptor) { client in
                let overdue = try await client.cases.listCases(.with { $0.overdueOnly = true }, metadata: client.metadata)
                #expect(overdue.cases.isEmpty)
                let watched = try await client.cases.getCase(.with { $0.caseNumber = number }, metadata: client.metadata).caseRecord
                #expect(watched.version == record.version)

                // At the corrected due instant the case is overdue again, once.
                node.clock.advance(to: WheelInstant(date: dueAfter.addingTimeInterval(60)))
                for _ in 0..<300 where try await node.runtime.database.firedRungs(of: caseNumber).count < 10 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                let fired = try await node.runtime.database.firedRungs(of: caseNumber)
                #expect(fired.filter { $0.epoch == 1 }.map(\.rung).sorted() == [.due, .urge])
                let again = try await client.cases.listCases(.with { $0.overdueOnly = true }, metadata: client.metadata)
                #expect(again.cases.map(\.number) == [number])
            }
        }
    }
}
