public import BanjianDomain
public import Foundation
import GRDB

extension NodeDatabase {
    /// The statistics of the cases received on the query's days at nodes of its subtree, one row
    /// per group in key order, and their total.
    /// - Complexity: one range scan of `case_statistics` over the days (its rows are per day, node,
    ///   window, handler and matter), folded in memory.
    public func statistics(_ query: StatisticsQuery) async throws -> (rows: [StatisticsRow], total: StatisticsFigures) {
        let groupColumns = switch query.grouping {
        case .node: "node"
        case .window: "node, department"
        case .handler: "node, handler"
        case .matter: "matter"
        case .day, .week, .month, .quarter, .year: "day"
        }
        let sums = StatisticsRows.counterColumns.map { "SUM(\($0))" }.joined(separator: ", ")
        let sql = """
            SELECT day, node, department, handler, matter, MAX(handler_name), MAX(matter_name), \(sums)
            FROM case_statistics WHERE day BETWEEN ? AND ? AND node LIKE ? GROUP BY \(groupColumns)
            """
        func day(_ date: CivilDate) -> Int { date.year * 10_000 + date.month * 100 + date.day }
        let arguments: StatementArguments = [day(query.days.lowerBound), day(query.days.upperBound), (query.subtree?.rawValue ?? "") + "%"]
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
            let key = query.grouping.rowKey(row.key)
            total = total + row.figures
            if let existing = rows[key] {
                rows[key] = StatisticsRow(key: key, label: existing.label, node: existing.node, figures: existing.figures + row.figures)
                continue
            }
            let (label, node): (String, NodeCode?) = switch query.grouping {
            case .node: (names[row.key.node.rawValue] ?? "", row.key.node)
            case .window: (row.key.department, row.key.node)
            case .handler: (row.handlerName, row.key.node)
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
        func assess(_ month: YearMonth) async throws -> [Assessment] {
            scheme.assess(try await assessmentMonth(month, kind: kind, subtree: subtree, now: now, calendar: calendar), kind: kind, zone: calendar.zone)
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
    /// from (``AssessmentMonth``). Open breaches are charged only when `now` falls within the month.
    /// - Complexity: a range scan of `score_fact` by month, one of `case_statistics` over the
    ///   month's days, and for the current month the overdue clocks.
    public func assessmentMonth(_ month: YearMonth, kind: AssessmentSubjectKind, subtree: NodeCode?, now: Date,
                                calendar: WorkingCalendar) async throws -> AssessmentMonth {
        let prefix = (subtree?.rawValue ?? "") + "%"
        let (facts, caseEnds, subjects) = try await pool.read { db in
            let facts = try Row.fetchAll(db, sql: "SELECT \(ScoreFactRows.columns) FROM score_fact WHERE month = ? AND node LIKE ?",
                                         arguments: [month.year * 100 + month.month, prefix]).map(ScoreFactRows.fact)
            var caseEnds: [CaseNumber: Date] = [:]
            for number in Set(facts.filter { $0.rule == .extensionApproved }.map(\.caseNumber)) {
                guard let record = try CaseRows.record(number, in: db) else { continue }
                caseEnds[number] = record.result?.completedAt ?? record.closedAt
            }
            let first = month.first, last = month.last
            let days: StatementArguments = [first.year * 10_000 + first.month * 100 + first.day,
                                            last.year * 10_000 + last.month * 100 + last.day, prefix]
            let subjects = switch kind {
            case .window:
                try Row.fetchAll(db, sql: "SELECT DISTINCT node, department, department FROM case_statistics WHERE day BETWEEN ? AND ? AND node LIKE ? AND department <> ''",
                                 arguments: days)
            case .staff:
                try Row.fetchAll(db, sql: "SELECT node, handler, MAX(handler_name) FROM case_statistics WHERE day BETWEEN ? AND ? AND node LIKE ? AND handler <> '' GROUP BY node, handler",
                                 arguments: days)
            }
            return (facts, caseEnds, try Set(subjects.map { row in
                let code: String = row[0]
                guard let node = NodeCode(code) else { throw StoreError(.corrupt, "bad node '\(code)' in case_statistics") }
                return AssessmentSubject(node: node, id: row[1], name: row[2])
            }))
        }
        var open: [OpenBreach] = []
        if YearMonth(of: now, zone: calendar.zone) == month {
            var query = OverdueQuery()
            query.subtree = subtree
            query.limit = 1_000_000
            for clock in try await overdueClocks(query, now: now, calendar: calendar).clocks {
                let record = clock.record
                let centre = record.agencySubmittedTo ?? record.number.origin
                guard centre.rawValue.hasPrefix(subtree?.rawValue ?? "") else { continue }
                open.append(OpenBreach(caseNumber: record.number, clock: clock.clock, node: centre, department: record.assignment?.department ?? "",
                                       handler: record.assignment?.handler.operatorID ?? "", handlerName: record.assignment?.handler.name ?? "",
                                       workingDaysLate: clock.overdueWorkingDays, dueEvent: try await dueEvent(of: record, clock: clock.clock)))
            }
        }
        return AssessmentMonth(month: month, facts: facts, openBreaches: open, caseEnds: caseEnds, subjects: subjects)
    }

    /// The event of the latest due rung of the case's clock in the alert journal.
    private func dueEvent(of record: CaseRecord, clock: ClockKind) async throws -> EventID? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT origin_node, origin_sequence FROM alert WHERE case_number = ? AND kind = 'rung' AND clock = ? AND rung = 'due' ORDER BY id DESC LIMIT 1",
                arguments: [record.number.description, clock.rawValue]),
                let origin = NodeCode(row[0] as String)
            else { return nil }
            return EventID(origin: origin, sequence: UInt64(row[1] as Int64))
        }
    }
}
