public import BanjianDomain
public import Foundation
import GRDB

extension NodeDatabase {
    /// The statistics of the cases received on the query's days at nodes of its subtree, one row
    /// per group (per period and group with an interval) in key order, and their total.
    /// - Complexity: one range scan of `case_statistics` over the days (its rows are per day, node,
    ///   window, handler and matter), folded in memory.
    public func statistics(_ query: StatisticsQuery) async throws -> (rows: [StatisticsRow], total: StatisticsFigures) {
        let subjectColumns = switch query.grouping {
        case .node: "node"
        case .window: "node, department"
        case .handler: "node, handler"
        case .matter: "matter"
        case .day, .week, .month, .quarter, .year: ""
        }
        let groupColumns = query.grouping.isPeriod || query.interval != nil
            ? (subjectColumns.isEmpty ? "day" : "day, " + subjectColumns) : subjectColumns
        let sums = StatisticsRows.counterColumns.map { "SUM(\($0))" }.joined(separator: ", ")
        let sql = """
            SELECT day, node, department, handler, matter, MAX(handler_name), MAX(matter_name), \(sums)
            FROM case_statistics WHERE day BETWEEN ? AND ? AND node LIKE ? GROUP BY \(groupColumns)
            """
        let arguments: StatementArguments = [query.days.lowerBound.dayKey, query.days.upperBound.dayKey, query.subtree.likePattern]
        let (grouped, names) = try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let (key, figures) = try StatisticsRows.keyAndFigures(row, offset: 7)
                return (key: key, handlerName: row[5] as String, matterName: row[6] as String, figures: figures)
            }
            let names = try Dictionary(Row.fetchAll(db, sql: "SELECT code, name FROM child_node").map { ($0[0] as String, $0[1] as String) },
                                       uniquingKeysWith: { first, _ in first })
            return (rows, names)
        }
        var rows: [String: StatisticsRow] = [:]
        var total = StatisticsFigures()
        for row in grouped {
            let key = query.rowKey(row.key)
            total = total + row.figures
            if let existing = rows[key] {
                rows[key] = StatisticsRow(key: key, label: existing.label, node: existing.node, figures: existing.figures + row.figures)
                continue
            }
            let (label, node): (String, NodeCode?) = switch query.grouping {
            case .node: (names[row.key.node.rawValue] ?? "", row.key.node)
            case .window: (row.key.department.isEmpty ? "（未指定窗口）" : row.key.department, row.key.node)
            case .handler: (row.key.handler.isEmpty ? "（未分派）" : row.handlerName, row.key.node)
            case .matter: (row.matterName, nil)
            case .day, .week, .month, .quarter, .year: ("", nil)
            }
            rows[key] = StatisticsRow(key: key, label: label, node: node, figures: row.figures)
        }
        return (rows.values.sorted { $0.key < $1.key }, total)
    }

    /// The monthly assessment of the subjects of `kind` at nodes of `subtree` under `scheme`,
    /// ranked; at a quarter's last month, windows carry the quarter's 流动红旗.
    public func assessments(_ month: YearMonth, kind: AssessmentSubjectKind, subtree: NodeCode?, scheme: AssessmentScheme, now: Date,
                            calendar: WorkingCalendar) async throws -> [Assessment] {
        // The clocks still open past due, read once for every month assessed.
        let dueBefore = min(now, calendar.zone.instant(month.next.first))
        let open = try await openBreaches(subtree: subtree, dueBefore: dueBefore)
            + openComplaintBreaches(subtree: subtree, dueBefore: dueBefore, calendar: calendar)
        func assess(_ month: YearMonth) async throws -> [Assessment] {
            scheme.assess(try await assessmentMonth(month, kind: kind, subtree: subtree, now: now, calendar: calendar,
                                                    compressedUpToPermille: scheme.compressedUsedPercent * 10, openBreaches: open),
                          kind: kind, calendar: calendar)
        }
        var assessments = try await assess(month)
        if kind == .window, month.quarter.last == month {
            var quarter: [[Assessment]] = []
            for earlier in month.quarter.dropLast() { quarter.append(try await assess(earlier)) }
            scheme.awardRedFlags(to: &assessments, quarter: quarter + [assessments])
        }
        return assessments
    }

    /// What the assessment of `month` for the subjects of `kind` at nodes of `subtree` is computed
    /// from (``AssessmentMonth``), with those of `openBreaches` due before the month's end; cases
    /// completed within their promise count only when they used at most `compressedUpToPermille`
    /// of it (the others earn nothing).
    /// - Complexity: a range scan of `score_fact` by month, one of `case_statistics` over the
    ///   month's days, and for the current month the overdue clocks.
    private func assessmentMonth(_ month: YearMonth, kind: AssessmentSubjectKind, subtree: NodeCode?, now: Date,
                                calendar: WorkingCalendar, compressedUpToPermille: Int, openBreaches: [OpenBreach]) async throws -> AssessmentMonth {
        let prefix = subtree.likePattern
        let start = calendar.zone.instant(month.first), end = calendar.zone.instant(month.next.first)
        let (facts, caseEnds, subjects) = try await pool.read { db in
            // The month's facts, then the late clocks stopped in it or later whose lateness began before its end.
            let facts = try Row.fetchAll(
                db, sql: "SELECT \(ScoreFactRows.columns) FROM score_fact WHERE month = ? AND node LIKE ? AND since IS NULL AND (rule <> ? OR count <= ?)",
                arguments: [month.key, prefix, ScoreFact.Rule.completedWithinPromise.rawValue, compressedUpToPermille]
            ).map(ScoreFactRows.fact) + Row.fetchAll(
                db, sql: "SELECT \(ScoreFactRows.columns) FROM score_fact WHERE since IS NOT NULL AND rule IN (?, ?, ?) AND occurred_at >= ? AND since < ? AND node LIKE ?",
                arguments: [ScoreFact.Rule.overduePromised.rawValue, ScoreFact.Rule.overdueStatutory.rawValue, ScoreFact.Rule.complaintLate.rawValue,
                            start.storedSeconds,
                            end.storedSeconds, prefix]
            ).map(ScoreFactRows.fact)
            // When the cases of the month's extensions ended, read from the projections' JSON.
            var caseEnds: [CaseNumber: Date] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT number, COALESCE(json_extract(CAST(record AS TEXT), '$.result.completedAt'), json_extract(CAST(record AS TEXT), '$.closedAt')) FROM case_projection
                WHERE number IN (SELECT case_number FROM score_fact WHERE month = ? AND node LIKE ? AND rule = ?)
                """, arguments: [month.key, prefix, ScoreFact.Rule.extensionApproved.rawValue]) {
                if let number = CaseNumber(row[0] as String), let ended = row[1] as Double? { caseEnds[number] = Date(storedSeconds: ended) }
            }
            let first = month.first, last = month.last
            let days: StatementArguments = [first.dayKey, last.dayKey, prefix]
            let subjects = switch kind {
            case .window:
                try Row.fetchAll(db, sql: "SELECT DISTINCT node, department, department FROM case_statistics WHERE day BETWEEN ? AND ? AND node LIKE ? AND department <> '' AND received > 0",
                                 arguments: days)
            case .staff:
                try Row.fetchAll(db, sql: "SELECT node, handler, MAX(handler_name) FROM case_statistics WHERE day BETWEEN ? AND ? AND node LIKE ? AND handler <> '' AND received > 0 GROUP BY node, handler",
                                 arguments: days)
            }
            return (facts, caseEnds, try Set(subjects.map { row in
                let code: String = row[0]
                guard let node = NodeCode(code) else { throw StoreError(.corrupt, "bad node '\(code)' in case_statistics") }
                return AssessmentSubject(node: node, id: row[1], name: row[2])
            }))
        }
        return AssessmentMonth(month: month, facts: facts, openBreaches: openBreaches.filter { $0.dueAt < min(now, end) }, now: now,
                               caseEnds: caseEnds, subjects: subjects)
    }

    /// The running promised and statutory clocks due before `instant` of the cases counted in the
    /// subtree, with the event of each one's due rung.
    /// - Complexity: an index range scan of `deadline_clock` up to `instant`.
    /// Complaints of the subtree still unanswered past their limit before `instant`, charged to the
    /// window complained about.
    /// - Complexity: one record decoded per complaint waiting for its answer.
    private func openComplaintBreaches(subtree: NodeCode?, dueBefore instant: Date, calendar: WorkingCalendar) async throws -> [OpenBreach] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT number, record FROM grievance WHERE kind = 'complaint' AND node LIKE ?
                  AND json_extract(CAST(record AS TEXT), '$.complaint._0.state') IN ('registered', 'rehandling', 'escalated')
                """, arguments: [subtree.likePattern]
            ).compactMap { row -> OpenBreach? in
                guard case .complaint(let complaint) = try CaseRows.decode(Grievance.self, row[1], "complaint \(row[0] as String)"),
                      let clock = complaint.replyClock, clock.isRunning, let due = clock.due(calendar: calendar)?.instant, due < instant
                else { return nil }
                return OpenBreach(caseNumber: complaint.number, clock: .complaintReply, node: complaint.number.origin,
                                  department: complaint.targetDepartment, handler: "", handlerName: "", dueAt: due, dueEvent: nil)
            }
        }
    }

    private func openBreaches(subtree: NodeCode?, dueBefore instant: Date) async throws -> [OpenBreach] {
        let prefix = subtree?.rawValue ?? ""
        return try await pool.read { db in
            // The parts of each case it needs, read from the projection's JSON without decoding it.
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.case_number, c.clock, c.due_at, a.origin_node, a.origin_sequence,
                       json_extract(CAST(p.record AS TEXT), '$.agencySubmittedTo.rawValue'), json_extract(CAST(p.record AS TEXT), '$.assignment.department'),
                       json_extract(CAST(p.record AS TEXT), '$.assignment.handler.operatorID'), json_extract(CAST(p.record AS TEXT), '$.assignment.handler.name')
                FROM deadline_clock c JOIN case_projection p ON p.number = c.case_number
                LEFT JOIN alert a ON a.id = (SELECT MAX(id) FROM alert WHERE case_number = c.case_number AND clock = c.clock AND rung = 'due' AND epoch = c.epoch)
                WHERE c.state = 'running' AND c.due_at IS NOT NULL AND c.due_at < ? AND c.clock IN ('promised', 'statutory')
                """, arguments: [instant.storedSeconds])
            return try rows.compactMap { row -> OpenBreach? in
                let text: String = row[0], clock: String = row[1]
                guard let number = CaseNumber(text), let kind = ClockKind(rawValue: clock) else {
                    throw StoreError(.corrupt, "bad deadline_clock row of case \(text)")
                }
                let centre = (row[5] as String?).flatMap(NodeCode.init) ?? number.origin
                guard centre.rawValue.hasPrefix(prefix) else { return nil }
                let due: EventID? = (row[3] as String?).flatMap(NodeCode.init).map { EventID(origin: $0, sequence: UInt64(row[4] as Int64)) }
                return OpenBreach(caseNumber: number, clock: kind, node: centre, department: row[6] ?? "", handler: row[7] ?? "",
                                  handlerName: row[8] ?? "", dueAt: Date(storedSeconds: row[2]), dueEvent: due)
            }
        }
    }
}
