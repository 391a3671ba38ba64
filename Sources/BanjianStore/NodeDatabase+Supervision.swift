public import BanjianDomain
public import Foundation
import GRDB

extension NodeDatabase {
    /// Running clocks past due at `now`, of cases held in the query's subtree (every case this
    /// node knows without one: its own and its subtree's copies), longest overdue first.
    /// - Complexity: an index range scan over `deadline_clock.due_at` up to `now`.
    public func overdueClocks(_ query: OverdueQuery, now: Date, calendar: WorkingCalendar) async throws
        -> (clocks: [OverdueClock], next: OverdueCursor?)
    {
        let (subtree, after, limit) = (query.subtree, query.after, query.limit)
        let kinds = query.clocks.map(\.rawValue).sorted()
        guard !kinds.isEmpty else { return ([], nil) }
        var sql = """
            SELECT c.case_number, c.clock, c.due_at, p.record FROM deadline_clock c JOIN case_projection p ON p.number = c.case_number
            WHERE c.state = 'running' AND c.due_at IS NOT NULL AND c.due_at < ?
              AND c.clock IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ",")))
              AND p.holder_node LIKE ?
            """
        var arguments: StatementArguments = [now.storedSeconds]
        _ = arguments.append(contentsOf: StatementArguments(kinds))
        _ = arguments.append(contentsOf: [(subtree?.rawValue ?? "") + "%"])
        if let after {
            sql += " AND (c.due_at, c.case_number, c.clock) > (?, ?, ?)"
            _ = arguments.append(contentsOf: [after.dueAt.storedSeconds, after.caseNumber.description, after.clock.rawValue])
        }
        sql += " ORDER BY c.due_at, c.case_number, c.clock LIMIT ?"
        _ = arguments.append(contentsOf: [limit + 1])
        let finalSQL = sql, finalArguments = arguments
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArguments).map { row in
                let number: String = row[0], clock: String = row[1]
                guard let kind = ClockKind(rawValue: clock) else { throw StoreError(.corrupt, "bad clock '\(clock)' of case \(number)") }
                return (kind, Date(storedSeconds: row[2]), try CaseRows.decode(CaseRecord.self, row[3], "case \(number)"))
            }
        }
        let overdue = rows.prefix(limit).compactMap { kind, due, record in
            OverdueClock(record: record, clock: kind, dueAt: due, now: now, calendar: calendar)
        }
        let next = rows.count > limit ? overdue.last.map { OverdueCursor(dueAt: $0.dueAt, caseNumber: $0.record.number, clock: $0.clock) } : nil
        return (overdue, next)
    }
}
