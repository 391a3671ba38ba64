public import BanjianDomain
public import Foundation
import GRDB

extension NodeDatabase {
    /// The case, or `nil` when this node holds no such case.
    public func caseRecord(_ number: CaseNumber) async throws -> CaseRecord? {
        try await pool.read { db in try CaseRows.record(number, in: db) }
    }

    /// One page of cases matching `query`, and the cursor of the next page (`nil` on the last).
    /// - Complexity: an index range scan over `received_at` plus the filtered rows.
    public func cases(_ query: CaseQuery) async throws -> (records: [CaseRecord], next: CaseCursor?) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let subtree = query.holderSubtree {
            conditions.append("holder_node LIKE ?")  // node codes are digits: no wildcards to escape
            _ = arguments.append(contentsOf: [subtree.rawValue + "%"])
        }
        if !query.states.isEmpty {
            let states = query.states.map(\.rawValue).sorted()
            conditions.append("state IN (\(Array(repeating: "?", count: states.count).joined(separator: ",")))")
            _ = arguments.append(contentsOf: StatementArguments(states))
        }
        if !query.kinds.isEmpty {
            let kinds = query.kinds.map(\.rawValue).sorted()
            conditions.append("kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ",")))")
            _ = arguments.append(contentsOf: StatementArguments(kinds))
        }
        if let matter = query.matterCode {
            conditions.append("matter_code = ?")
            _ = arguments.append(contentsOf: [matter])
        }
        if let handler = query.handlerOperatorID {
            conditions.append("handler_operator_id = ?")
            _ = arguments.append(contentsOf: [handler])
        }
        if query.overdueOnly { conditions.append("overdue = 1") }
        if let from = query.receivedFrom {
            conditions.append("received_at >= ?")
            _ = arguments.append(contentsOf: [from.storedSeconds])
        }
        if let before = query.receivedBefore {
            conditions.append("received_at < ?")
            _ = arguments.append(contentsOf: [before.storedSeconds])
        }
        if let after = query.after {
            conditions.append("(received_at < ? OR (received_at = ? AND number < ?))")
            _ = arguments.append(contentsOf: [after.receivedAt.storedSeconds, after.receivedAt.storedSeconds, after.number])
        }
        let limit = max(1, query.limit)
        _ = arguments.append(contentsOf: [limit + 1])
        let sql = """
            SELECT record FROM case_projection
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY received_at DESC, number DESC LIMIT ?
            """
        let frozen = arguments
        let blobs = try await pool.read { db in try Data.fetchAll(db, sql: sql, arguments: frozen) }
        var records: [CaseRecord] = []
        for blob in blobs.prefix(limit) { records.append(try CaseRows.decode(CaseRecord.self, blob, "a case")) }
        let next = blobs.count > limit ? records.last.map { CaseCursor(receivedAt: $0.receivedAt, number: $0.number.description) } : nil
        return (records, next)
    }

    /// Events of a case with a version above `version`, oldest first.
    public func events(of number: CaseNumber, after version: UInt64 = 0, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await pool.read { db in try CaseRows.events(of: number, after: version, limit: limit, in: db) }
    }

    /// Every rung still to fire, in one pass: the deadline scheduler's contents at start; or only
    /// the cases' rungs, or only the petitions' and complaints' (their reply clocks).
    /// - Complexity: O(pending rungs), or O(those of petitions and complaints).
    public func pendingRungs(of owner: PendingRung.Owner? = nil) async throws -> [PendingRung] {
        let replyClocks = Grievance.Kind.allCases.map { "'\($0.clock.rawValue)'" }.joined(separator: ", ")
        let filter = switch owner {
        case nil: ""
        case .cases: " WHERE clock NOT IN (\(replyClocks))"
        case .grievances: " WHERE clock IN (\(replyClocks))"
        }
        return try await pool.read { db in
            var rungs: [PendingRung] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(CaseRows.pendingRungColumns) FROM pending_rung" + filter)
            while let row = try cursor.next() { rungs.append(try CaseRows.pendingRung(row)) }
            return rungs
        }
    }

    /// How many times each rung of the case fired (exactly once each, by the table's key).
    public func firedRungs(of number: CaseNumber) async throws -> [RungKey] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT clock, rung, epoch FROM fired_rung WHERE case_number = ? ORDER BY fired_at, clock, rung",
                arguments: [number.description]
            ).compactMap { row in
                guard let clock = ClockKind(rawValue: row[0]), let rung = RungKind(rawValue: row[1]) else { return nil }
                return RungKey(clock: clock, rung: rung, epoch: row[2])
            }
        }
    }


    /// Re-projects the stored deadlines through `log`'s calendar if it is not the one they were
    /// projected with, and journals the change (see ``CaseLog``). Run it at start, before the
    /// deadline scheduler is rebuilt from the pending rungs.
    /// - Returns: what changed, or `nil` when the calendar is the one on record.
    public func reconcileCalendar(_ log: CaseLog, at instant: Date) async throws -> CalendarChange? {
        try await pool.write { db in try log.reconcileCalendar(at: instant, in: db) }
    }

    /// The journal of calendar changes, oldest first, each with the clocks it moved and the early
    /// rung firings it withdrew.
    /// - Parameter limit: only the latest this many.
    public func calendarChanges(latest limit: Int = .max) async throws -> [CalendarChange] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM calendar_change ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [limit]).map { change in
                let shifts = try Row.fetchAll(
                    db, sql: "SELECT * FROM deadline_shift WHERE calendar_change = ? ORDER BY case_number, clock", arguments: [change["id"] as Int64]
                ).map { row in
                    let number: String = row["case_number"], clock: String = row["clock"]
                    guard let caseNumber = CaseNumber(number), let kind = ClockKind(rawValue: clock) else {
                        throw StoreError(.corrupt, "bad deadline shift \(number) \(clock)")
                    }
                    return DeadlineShift(caseNumber: caseNumber, clock: kind, previousDue: (row["previous_due_at"] as Double?).map(Date.init(storedSeconds:)),
                                         currentDue: (row["due_at"] as Double?).map(Date.init(storedSeconds:)))
                }
                var corrections: [CaseNumber: DeadlineCorrection] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT case_number, case_version FROM deadline_correction WHERE calendar_change = ?", arguments: [change["id"] as Int64]
                ) {
                    let text: String = row[0], version: Int64 = row[1]
                    guard let number = CaseNumber(text),
                          case .deadlinesCorrected(let correction) = try CaseRows.events(of: number, after: UInt64(max(0, version - 1)), limit: 1, in: db).first?.event
                    else { throw StoreError(.corrupt, "no deadlinesCorrected event at version \(version) of case \(text)") }
                    corrections[number] = correction
                }
                return CalendarChange(changedAt: Date(storedSeconds: change["changed_at"]), previousFingerprint: change["previous_fingerprint"],
                                      fingerprint: change["fingerprint"], summary: change["summary"], casesReprojected: change["cases_reprojected"],
                                      shifts: shifts, corrections: corrections)
            }
        }
    }

    /// When the event appended last occurred; `nil` for an empty log.
    /// - Complexity: O(log events): the last row, not a scan.
    public func latestEventInstant() async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(db, sql: "SELECT occurred_at FROM case_event ORDER BY rowid DESC LIMIT 1").map(Date.init(storedSeconds:))
        }
    }

    /// Number of cases held.
    public func caseCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_projection") ?? 0 }
    }
}

extension NodeDatabase {
    /// Replays every case's events and compares the projections with the stored ones
    /// (``CaseLog/rebuildProjections(rewriting:in:)``); with `rewriting`, replaces those that
    /// differ, in one transaction. Run it with the node stopped: a running node's deadline wheel
    /// holds the rungs it read at start.
    public func rebuildProjections(_ log: CaseLog, rewriting: Bool) async throws -> ProjectionRebuild {
        if rewriting { return try await pool.write { db in try log.rebuildProjections(rewriting: true, in: db) } }
        return try await pool.read { db in try log.rebuildProjections(rewriting: false, in: db) }
    }

    /// Rebuilds the projections when a migration asked for it (`node_state`
    /// `projections.rebuild`, set by `v5-protobuf-events` after converting events), in one
    /// transaction that also clears the request. The node calls it at start, before its deadline
    /// wheel reads the rungs.
    /// - Returns: the rebuild, or `nil` when none was asked for.
    public func rebuildProjectionsIfAsked(_ log: CaseLog) async throws -> ProjectionRebuild? {
        try await pool.write { db in
            guard try String.fetchOne(db, sql: "SELECT value FROM node_state WHERE key = 'projections.rebuild'") != nil else { return nil }
            let rebuild = try log.rebuildProjections(rewriting: true, in: db)
            try db.execute(sql: "DELETE FROM node_state WHERE key = 'projections.rebuild'")
            return rebuild
        }
    }

    /// The migrations this release would apply to the database at `path`, read without writing:
    /// a tool that only reads a running node's file refuses to migrate it.
    public static func pendingMigrations(path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            let applied = try queue.read { db in try migrator.appliedIdentifiers(db) }
            return migrator.migrations.filter { !applied.contains($0) }
        } catch {
            throw StoreError(.unavailable, "cannot read database \(path): \(error)")
        }
    }
}
