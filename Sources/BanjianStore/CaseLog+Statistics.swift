import BanjianDomain
import Foundation
import GRDB

// Statistics (`case_statistics`) and assessment facts (`score_fact`), kept in the transaction of
// the events they count: a case's tally moves from its old row to its new one, and each event
// stores the score facts it raises.

extension CaseLog {
    /// Counts an applied event: moves the case's tally from `previous` to `record` and stores the
    /// score facts the event raises.
    /// - Complexity: O(1) statements; most events change neither.
    func count(_ recorded: RecordedEvent, previous: CaseRecord?, record: CaseRecord, in db: Database) throws {
        let calendar = machine.calendar, zone = calendar.zone
        for (tally, delta) in CaseTally.change(from: previous.map { CaseTally($0, zone: zone) }, to: CaseTally(record, zone: zone)) {
            try StatisticsRows.add(delta, to: tally, in: db)
        }
        for fact in ScoreFact.raised(by: recorded, previous: previous, record: record, calendar: calendar) {
            try ScoreFactRows.insert(fact, zone: zone, in: db)
        }
    }
}

/// The rows of `case_statistics`: one per day of receipt, node, window, handler and matter.
enum StatisticsRows {
    static let counterColumns = StatisticsCounter.allCases.map(\.column)

    /// Adds `delta` to the row of `tally`, creating it; a row left with nothing in it is deleted.
    static func add(_ delta: StatisticsFigures, to tally: CaseTally, in db: Database) throws {
        let key = tally.key
        try add(delta, to: key, handlerName: tally.handlerName, matterName: tally.matterName, in: db)
        if delta[.received] < 0 {
            try db.executeCached(
                sql: "DELETE FROM case_statistics WHERE day = ? AND node = ? AND department = ? AND handler = ? AND matter = ? AND \(emptyRow)",
                arguments: [key.day, key.node.rawValue, key.department, key.handler, key.matter])
        }
    }

    /// A row whose every figure is 0.
    private static let emptyRow = counterColumns.map { "\($0) = 0" }.joined(separator: " AND ")

    /// Adds `delta` to the row of `key`, creating it with the labels.
    static func add(_ delta: StatisticsFigures, to key: CaseTally.Key, handlerName: String, matterName: String, in db: Database) throws {
        var arguments: StatementArguments = [key.day, key.node.rawValue, key.department, key.handler, key.matter, handlerName, matterName]
        _ = arguments.append(contentsOf: StatementArguments(StatisticsCounter.allCases.map { delta[$0] }))
        try db.executeCached(sql: upsertSQL, arguments: arguments)
    }

    private static let upsertSQL = """
        INSERT INTO case_statistics (day, node, department, handler, matter, handler_name, matter_name, \(counterColumns.joined(separator: ", ")))
        VALUES (?, ?, ?, ?, ?, ?, ?, \(Array(repeating: "?", count: counterColumns.count).joined(separator: ", ")))
        ON CONFLICT (day, node, department, handler, matter) DO UPDATE SET \(counterColumns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", "))
        """

    /// Every row, by key: what a recount compares with.
    static func all(in db: Database) throws -> [CaseTally.Key: StatisticsFigures] {
        var rows: [CaseTally.Key: StatisticsFigures] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT day, node, department, handler, matter, \(counterColumns.joined(separator: ", ")) FROM case_statistics")
        while let row = try cursor.next() {
            let (key, figures) = try keyAndFigures(row)
            rows[key] = figures
        }
        return rows
    }

    /// A row's key (columns 0–4) and figures (the counter columns after them, from `offset`).
    static func keyAndFigures(_ row: Row, offset: Int = 5) throws -> (CaseTally.Key, StatisticsFigures) {
        let code: String = row[1]
        guard let node = NodeCode(code) else { throw StoreError(.corrupt, "bad node '\(code)' in case_statistics") }
        return (CaseTally.Key(day: row[0], node: node, department: row[2], handler: row[3], matter: row[4]), figures(row, offset: offset))
    }

    /// The figures in the counter columns of `row`, from column `offset`.
    static func figures(_ row: Row, offset: Int) -> StatisticsFigures {
        var figures = StatisticsFigures()
        for counter in StatisticsCounter.allCases { figures[counter] = row[offset + counter.rawValue] }
        return figures
    }
}

/// The rows of `score_fact`.
enum ScoreFactRows {
    static let columns = "case_number, rule, origin_node, origin_sequence, occurred_at, node, department, handler, handler_name, count, since"

    static func insert(_ fact: ScoreFact, zone: CalendarZone, in db: Database) throws {
        let month = YearMonth(of: fact.occurredAt, zone: zone)
        try db.executeCached(
            sql: "INSERT INTO score_fact (\(columns), month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [fact.caseNumber.description, fact.rule.rawValue, fact.event.origin.rawValue, Int64(fact.event.sequence),
                        fact.occurredAt.storedSeconds, fact.node.rawValue, fact.department, fact.handler, fact.handlerName, fact.count,
                        fact.since?.storedSeconds, month.key])
    }

    /// A row of the `columns`.
    static func fact(_ row: Row) throws -> ScoreFact {
        let number: String = row[0], rule: String = row[1], origin: String = row[2], node: String = row[5]
        guard let caseNumber = CaseNumber(number), let kind = ScoreFact.Rule(rawValue: rule), let origin = NodeCode(origin),
              let code = NodeCode(node)
        else { throw StoreError(.corrupt, "bad score_fact row of case \(number)") }
        return ScoreFact(caseNumber: caseNumber, rule: kind, event: EventID(origin: origin, sequence: UInt64(row[3] as Int64)),
                         occurredAt: Date(storedSeconds: row[4]), node: code, department: row[6], handler: row[7], handlerName: row[8],
                         count: row[9], since: (row[10] as Double?).map(Date.init(storedSeconds:)))
    }

    static func all(in db: Database) throws -> Set<ScoreFact> {
        Set(try Row.fetchAll(db, sql: "SELECT \(columns) FROM score_fact").map(fact))
    }
}

/// What a recount of the statistics and score facts from the events found.
struct CountRebuild {
    var tallies: [CaseTally.Key: StatisticsFigures] = [:]
    var labels: [CaseTally.Key: (handler: String, matter: String)] = [:]
    var facts: Set<ScoreFact> = []

    /// Adds one replayed case: its final tally and the facts its events raised.
    mutating func add(_ tally: CaseTally, facts raised: [ScoreFact]) {
        add(tally.counters, to: tally.key)
        labels[tally.key] = (tally.handlerName, tally.matterName)
        facts.formUnion(raised)
    }

    /// Adds a consultation: one in its row's `consultations`.
    mutating func add(_ consultation: Consultation, zone: CalendarZone) {
        let key = consultation.statisticsKey(zone: zone)
        add([.consultations], to: key)
        if labels[key] == nil { labels[key] = (consultation.answeredBy.name, "") }
    }

    /// Adds a petition or complaint: its tally and its facts.
    mutating func add(_ grievance: Grievance, zone: CalendarZone) {
        let (key, counters) = grievance.tally(zone: zone)
        add(counters, to: key)
        if labels[key] == nil { labels[key] = ("", "") }
        facts.formUnion(grievance.scoreFacts)
    }

    private mutating func add(_ counters: Set<StatisticsCounter>, to key: CaseTally.Key) {
        tallies[key, default: StatisticsFigures()] = tallies[key, default: StatisticsFigures()] + StatisticsFigures(counters)
    }

    /// Whether the stored rows say the same.
    func matches(in db: Database) throws -> Bool {
        try StatisticsRows.all(in: db) == tallies && ScoreFactRows.all(in: db) == facts
    }

    /// Replaces the stored rows with these.
    func write(zone: CalendarZone, in db: Database) throws {
        try db.execute(sql: "DELETE FROM case_statistics; DELETE FROM score_fact")
        for (key, figures) in tallies {
            let label = labels[key] ?? ("", "")
            try StatisticsRows.add(figures, to: key, handlerName: label.handler, matterName: label.matter, in: db)
        }
        for fact in facts { try ScoreFactRows.insert(fact, zone: zone, in: db) }
    }
}
