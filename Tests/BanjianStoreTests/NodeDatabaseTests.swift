import BanjianDomain
@testable import BanjianStore
import BanjianTestSupport
import Foundation
import GRDB
import Testing

@Suite struct NodeDatabaseTests {
    typealias F = Fixture

    @Test func aNewDatabaseIsDurableAndFullyMigrated() async throws {
        let database = try NodeDatabase(path: F.databasePath())
        #expect(try await database.appliedMigrations() == ["v1-cases-events-outbox", "v1-deadlines", "v1-operators-catalogue", "v2-operator-revocation", "v2-calendar-journal", "v3-deadline-correction", "v4-notices-registers-links", "v5-protobuf-events", "v6-catalogue-requests", "v7-federation-links", "v8-holiday-years", "v9-case-alerts", "v10-statistics-score-facts", "v11-supervision-orders", "v12-link-alerts", "v13-consultations", "v14-lateness-by-month", "v15-petitions-complaints"])
        let durability = try await database.durability()
        #expect(durability.journalMode == "wal")
        #expect(durability.synchronous == 2, "synchronous = FULL")
    }

    @Test func pendingMigrationsAreReadWithoutWriting() async throws {
        let path = F.databasePath()
        let old = try DatabaseQueue(path: path)
        try NodeDatabase.migrator.migrate(old, upTo: "v4-notices-registers-links")
        try old.close()
        #expect(try NodeDatabase.pendingMigrations(path: path) == ["v5-protobuf-events", "v6-catalogue-requests", "v7-federation-links", "v8-holiday-years",
                                                                   "v9-case-alerts", "v10-statistics-score-facts", "v11-supervision-orders", "v12-link-alerts",
                                                                   "v13-consultations", "v14-lateness-by-month", "v15-petitions-complaints"])
        #expect(try NodeDatabase.pendingMigrations(path: path).count == 11, "reading migrated nothing")
        try NodeDatabase(path: path).close()
        #expect(try NodeDatabase.pendingMigrations(path: path).isEmpty)
    }

    @Test func migratingAnOlderDatabaseKeepsItsData() async throws {
        let path = F.databasePath()
        // A database as an earlier release left it: only the first migration.
        let old = try DatabaseQueue(path: path)
        try NodeDatabase.migrator.migrate(old, upTo: "v1-cases-events-outbox")
        try await old.write { db in
            try db.execute(sql: "INSERT INTO case_number_sequence VALUES ('341182102', 20250310, 41)")
        }
        try old.close()

        try await StoreHarness.with(path: path) { store in
            #expect(try await store.database.appliedMigrations().count == 18)
            // The sequence carried over: the next case is number 42 of the day.
            let opened = try await store.open()
            #expect(opened.record.number.sequence == 42)
        }
    }

    /// A database written before events were stored in protobuf: its JSON rows are converted, read
    /// back as the same events, and the case goes on.
    @Test func jsonEventRowsAreMigratedToProtobuf() async throws {
        let path = F.databasePath()
        let old = try DatabaseQueue(path: path)
        try NodeDatabase.migrator.migrate(old, upTo: "v4-notices-registers-links")
        let steps: [(CaseEvent, Actor, Date)] = [
            (.received(F.intake()), F.acceptor, F.at("2025-03-10", 9)),
            (F.promised, F.acceptor, F.at("2025-03-10", 10)),
            (.urged(reason: "临近期限", directorInstruction: Opinion(text: "抓紧办理")), F.acceptor, F.at("2025-03-12", 9, 30)),
            (.completed(Decision(outcome: .approved, summary: "准予")), F.handler, F.at("2025-03-13", 15)),
        ]
        var record: CaseRecord?
        var events: [RecordedEvent] = []
        for (index, (event, actor, at)) in steps.enumerated() {
            let next = try F.machine.apply(event, to: record, at: at, by: actor).record
            events.append(RecordedEvent(id: EventID(origin: F.township, sequence: UInt64(index + 1)), caseNumber: next.number,
                                        caseVersion: next.version, occurredAt: at, actor: actor, event: event))
            record = next
        }
        let projection = try #require(record)
        let written = events
        // The rows as the case log wrote them before v5: the actor and the body as JSON.
        try await old.write { db in
            for event in written {
                try db.execute(sql: "INSERT INTO case_event VALUES (?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
                    event.id.origin.rawValue, Int64(event.id.sequence), event.caseNumber.description, Int64(event.caseVersion),
                    event.event.name.rawValue, event.occurredAt.storedSeconds, try CaseRows.encode(event.actor), try CaseRows.encode(event.event),
                ])
                try db.execute(sql: "INSERT INTO outbox (destination_node, purpose, origin_node, origin_sequence, created_at) VALUES (?, 'supervisionCopy', ?, ?, 0)",
                               arguments: [F.county.rawValue, F.township.rawValue, Int64(event.id.sequence)])
            }
            try CaseRows.saveProjection(projection, in: db)
        }
        try old.close()

        try await StoreHarness.with(path: path) { store in
            #expect(try await store.database.appliedMigrations().contains("v5-protobuf-events"))
            #expect(try await store.database.events(of: projection.number) == events)
            let columns = try await store.database.pool.read { db in try db.columns(in: "case_event").map(\.name) }
            #expect(columns == ["origin_node", "origin_sequence", "case_number", "case_version", "name", "occurred_at", "event"])
            #expect(try await store.database.outbox(to: F.county).map(\.event) == events.map(\.id))
            let log = CaseLog(node: F.township, parent: F.county, machine: F.machine)
            // The migration asked for a rebuild, which the node runs at start; the rows above carry
            // no clock or rung rows, and the rebuild derives them from the events.
            #expect(try await store.database.rebuildProjectionsIfAsked(log)?.differing == [projection.number])
            #expect(try await store.database.rebuildProjectionsIfAsked(log) == nil)
            #expect(try await store.database.pendingRungs().map(\.key.clock) == Array(repeating: .delivery, count: 5))
            #expect(try await store.database.rebuildProjections(log, rewriting: false).differing.isEmpty)
            let replied = try await store.apply(.replied, to: projection.number, by: F.handler, at: F.at("2025-03-14", 9))
            #expect(replied.record.version == 5 && replied.event.id == EventID(origin: F.township, sequence: 5))
            // Still append-only.
            await #expect(throws: (any Error).self) {
                try await store.database.pool.write { db in try db.execute(sql: "DELETE FROM case_event") }
            }
        }
    }

    @Test func reopeningKeepsEverything() async throws {
        let path = F.databasePath()
        let number = try await StoreHarness.with(path: path) { store in
            let number = try await store.open().record.number
            _ = try await store.apply(F.promised, to: number, at: F.at("2025-03-10", 10))
            try store.database.close()
            return number
        }
        let reopened = try NodeDatabase(path: path)
        #expect(try await reopened.caseRecord(number)?.version == 2)
        #expect(try await reopened.pendingRungs().count == 5)
    }

    @Test func listingFiltersAndPages() async throws {
        try await StoreHarness.with { store in
            var numbers: [CaseNumber] = []
            for index in 0..<7 {
                numbers.append(try await store.open(requestID: "o\(index)", at: F.at("2025-03-10", 9, index)).record.number)
            }
            for number in numbers.prefix(3) {
                _ = try await store.apply(F.promised, to: number, at: F.at("2025-03-10", 11))
            }
            var query = CaseQuery()
            query.limit = 3
            var seen: [CaseNumber] = []
            while true {
                let page = try await store.database.cases(query)
                seen += page.records.map(\.number)
                guard let next = page.next else { break }
                query.after = next
            }
            #expect(seen == numbers.reversed(), "newest first, every case once")

            var handling = CaseQuery()
            handling.states = [.handling]
            #expect(Set(try await store.database.cases(handling).records.map(\.number)) == Set(numbers.prefix(3)))
            var byHandler = CaseQuery()
            byHandler.handlerOperatorID = F.handler.operatorID
            byHandler.kinds = [.promised]
            #expect(try await store.database.cases(byHandler).records.count == 3)
            var range = CaseQuery()
            range.receivedFrom = F.at("2025-03-10", 9, 2)
            range.receivedBefore = F.at("2025-03-10", 9, 4)
            #expect(try await store.database.cases(range).records.map(\.number) == [numbers[3], numbers[2]])
            var elsewhere = CaseQuery()
            elsewhere.holderSubtree = NodeCode("341182101")
            #expect(try await store.database.cases(elsewhere).records.isEmpty)
            var overdue = CaseQuery()
            overdue.overdueOnly = true
            #expect(try await store.database.cases(overdue).records.isEmpty)
        }
    }

    @Test func operatorsAreFoundByTokenHashOnly() async throws {
        let database = try NodeDatabase(path: F.databasePath())
        let hash = Data(repeating: 7, count: 32)
        try await database.addOperator(OperatorAccount(id: "a1", name: "王五", role: .acceptor), tokenSHA256: hash, at: F.at("2025-03-10"))
        #expect(try await database.operatorAccount(tokenSHA256: hash) == OperatorAccount(id: "a1", name: "王五", role: .acceptor))
        #expect(try await database.operatorAccount(tokenSHA256: Data(repeating: 8, count: 32)) == nil)
        await #expect(throws: StoreError.self) {
            try await database.addOperator(OperatorAccount(id: "a1", name: "x", role: .handler), tokenSHA256: Data(repeating: 9, count: 32), at: F.at("2025-03-10"))
        }
    }

    @Test func aRevokedOperatorKeepsTheRowButTheTokenNoLongerFindsIt() async throws {
        let database = try NodeDatabase(path: F.databasePath())
        let hash = Data(repeating: 7, count: 32)
        try await database.addOperator(OperatorAccount(id: "h1", name: "赵六", role: .handler), tokenSHA256: hash, at: F.at("2025-03-10"))
        let revoked = try await database.revokeOperator(id: "h1", at: F.at("2025-03-11"))
        #expect(revoked == OperatorAccount(id: "h1", name: "赵六", role: .handler, revokedAt: F.at("2025-03-11")))
        #expect(try await database.operatorAccount(tokenSHA256: hash) == nil)
        #expect(try await database.operators() == [revoked])
        // Revoking again changes nothing; an unknown id is NOT_FOUND and changes nothing.
        #expect(try await database.revokeOperator(id: "h1", at: F.at("2025-03-12")) == revoked)
        await #expect(throws: StoreError.self) { _ = try await database.revokeOperator(id: "nobody", at: F.at("2025-03-12")) }
        #expect(try await database.operators() == [revoked])
    }

    @Test func mattersKeepEveryVersionAndListTheLatest() async throws {
        let database = try NodeDatabase(path: F.databasePath())
        var matter = Matter(code: "MZ-001", name: "城乡低保申请", department: "民政", authority: .county, owner: F.county,
                            promisedLimit: .workingDays(15), agencyAllowed: true)
        try await database.saveMatter(matter)
        matter.version = 2
        matter.promisedLimit = .workingDays(10)
        try await database.saveMatter(matter)
        try await database.saveMatter(Matter(code: "HJ-002", name: "户口迁移", department: "公安", authority: .township,
                                             owner: F.county, promisedLimit: .workingDays(3)))
        await #expect(throws: StoreError.self) { try await database.saveMatter(matter) }

        #expect(try await database.matter(code: "MZ-001")?.version == 2)
        #expect(try await database.matter(code: "MZ-001", version: 1)?.promisedLimit == .workingDays(15))
        #expect(try await database.matter(code: "nope") == nil)
        #expect(try await database.matters(MatterQuery()).matters.map(\.code) == ["HJ-002", "MZ-001"])
        var agency = MatterQuery()
        agency.agencyAllowedOnly = true
        #expect(try await database.matters(agency).matters.map(\.code) == ["MZ-001"])
        var paged = MatterQuery()
        paged.limit = 1
        let first = try await database.matters(paged)
        #expect(first.matters.map(\.code) == ["HJ-002"] && first.hasMore)
        paged.afterCode = "HJ-002"
        #expect(try await database.matters(paged).matters.map(\.code) == ["MZ-001"])
    }
}
