public import BanjianDomain
public import Foundation
import GRDB

extension NodeCode? {
    /// The SQL `LIKE` pattern of the codes in this subtree (every code for `nil`).
    var likePattern: String { (self?.rawValue ?? "") + "%" }
}

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
        _ = arguments.append(contentsOf: [subtree.likePattern])
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

extension NodeDatabase {
    /// Alerts after journal position `after` matching the query's subtree and rungs, oldest first:
    /// a case's alert when the case is held in the subtree, a link alert when either end lies in it.
    /// - Complexity: a range scan of `alert` by id, one projection read per case alert.
    public func alerts(_ query: AlertQuery, after: Int64, limit: Int) async throws -> [SupervisionAlert] {
        let prefix = query.subtree.likePattern
        var sql = """
            SELECT a.id, a.clock, a.rung, a.epoch, a.raised_at, a.origin_node, a.origin_sequence, a.case_number, p.record, a.kind,
                   a.link_reporter, a.link_peer, a.link_down_since, a.record_version, g.record
            FROM alert a LEFT JOIN case_projection p ON p.number = a.case_number
                LEFT JOIN grievance g ON a.record_version IS NOT NULL AND g.number = a.case_number
            WHERE a.id > ? AND (p.holder_node LIKE ? OR g.node LIKE ? OR a.link_peer LIKE ? OR a.link_reporter LIKE ?)
            """
        var arguments: StatementArguments = [after, prefix, prefix, prefix, prefix]
        if !query.rungs.isEmpty {
            let rungs = query.rungs.map(\.rawValue).sorted()
            sql += " AND a.kind = 'rung' AND a.rung IN (\(Array(repeating: "?", count: rungs.count).joined(separator: ",")))"
            _ = arguments.append(contentsOf: StatementArguments(rungs))
        }
        sql += " ORDER BY a.id LIMIT ?"
        _ = arguments.append(contentsOf: [limit])
        let (finalSQL, finalArguments) = (sql, arguments)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArguments).map { row in
                let sequence: Int64 = row[0], raisedAt = Date(storedSeconds: row[4]), kind: String = row[9]
                if kind == "linkDown" {
                    guard let reporter = NodeCode(row[10] as String), let peer = NodeCode(row[11] as String) else {
                        throw StoreError(.corrupt, "bad link alert \(sequence)")
                    }
                    let alert = LinkAlert(reporter: reporter, peer: peer, downSince: Date(storedSeconds: row[12]), raisedAt: raisedAt)
                    return SupervisionAlert(sequence: sequence, event: nil, kind: .linkDown(alert), raisedAt: raisedAt, record: nil)
                }
                if let version = row[13] as Int64? {
                    let number: String = row[7]
                    let record = try CaseRows.decode(Grievance.self, row[14], "petition or complaint \(number)")
                    let alert: GrievanceAlert
                    switch kind {
                    case "rung":
                        guard let clockKind = ClockKind(rawValue: row[1]), let rungKind = RungKind(rawValue: row[2]) else {
                            throw StoreError(.corrupt, "bad alert row of \(number)")
                        }
                        alert = .rung(RungKey(clock: clockKind, rung: rungKind, epoch: row[3]))
                    case GrievanceAlert.dissatisfied.journalKind: alert = .dissatisfied
                    case GrievanceAlert.escalated.journalKind: alert = .escalated
                    case GrievanceAlert.groupVisit.journalKind: alert = .groupVisit
                    default: throw StoreError(.corrupt, "bad alert row of \(number)")
                    }
                    return SupervisionAlert(sequence: sequence, event: nil, kind: .grievance(alert, record, version: UInt64(version)),
                                            raisedAt: raisedAt, record: nil)
                }
                let number: String = row[7], clock: String = row[1], rung: String = row[2], origin: String = row[5]
                let alert: SupervisionAlert.Kind
                if kind == "rung", let clockKind = ClockKind(rawValue: clock), let rungKind = RungKind(rawValue: rung) {
                    alert = .rung(RungKey(clock: clockKind, rung: rungKind, epoch: row[3]))
                } else if let reason = CaseAlert(rawValue: kind) {
                    alert = .caseAlert(reason)
                } else {
                    throw StoreError(.corrupt, "bad alert row of case \(number)")
                }
                guard let node = NodeCode(origin) else { throw StoreError(.corrupt, "bad alert row of case \(number)") }
                return SupervisionAlert(sequence: sequence, event: EventID(origin: node, sequence: UInt64(row[6] as Int64)), kind: alert,
                                        raisedAt: raisedAt, record: try CaseRows.decode(CaseRecord.self, row[8], "case \(number)"))
            }
        }
    }

    /// The journal position just before the first alert raised at or after `instant`.
    public func alertSequence(before instant: Date) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MIN(id), (SELECT COALESCE(MAX(id), 0) + 1 FROM alert)) - 1 FROM alert WHERE raised_at >= ?",
                               arguments: [instant.storedSeconds]) ?? 0
        }
    }

    /// The journal position of the latest alert (0 for none): a live-only stream starts after it.
    public func latestAlertSequence() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM alert") ?? 0 }
    }
}
