import ArgumentParser
import BanjianDomain
import BanjianStore
import DeadlineBaseline
import Foundation
import GRDB
import Logging

/// `banjian-load reports`: a county with a year of its townships' cases, and how fast it answers
/// every report.
struct ReportsLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "A county database with a generated year of --townships' cases: the time of every report against a recount.",
        discussion: """
            Each township's cases (received, accepted, then completed on time or late, extended, returned, or left \
            open; replied, handed over, rated and archived) are generated through the state machine as the township \
            would record them, and applied at the county as a link applies them, which keeps the statistics and \
            the score facts in the same transactions. Then each report (statistics by every grouping, for a month \
            and for the year; the window and staff assessments; the overdue list) is asked --repeat times and its \
            median and slowest times printed. Baseline, same run: a recount of the year's statistics by node from \
            the stored case projections, which is what a report would cost without the maintained tables.
            """)

    @Option(help: "Townships under the county.") var townships = 30
    @Option(help: "Cases received per township per working day.") var casesPerDay = 20
    @Option(help: "The year of cases (its holiday calendar must be known).") var year = 2025
    @Option(help: "Times each report is asked.") var `repeat` = 10

    static let county = NodeCode("341182")!
    static let departments = ["社会事务服务部", "民政窗口", "计生窗口", "社保窗口", "国土村建窗口"]
    static let matters = [("JS-003", "生育登记"), ("MZ-001", "城乡低保申请"), ("SB-002", "城乡居民养老保险登记"), ("GT-004", "农村宅基地审批"),
                          ("MZ-005", "临时救助"), ("CJ-006", "残疾人证办理"), ("NY-007", "农机购置补贴"), ("WS-008", "医疗救助")]

    func run() async throws {
        guard (1...99).contains(townships), (1...500).contains(casesPerDay), (1...1000).contains(`repeat`) else {
            throw ValidationError("--townships 1...99, --cases-per-day 1...500, --repeat 1...1000")
        }
        let calendar = WorkingCalendar.chinaMainland()
        guard calendar.holidayYear(year) != nil, let first = YearMonth(year: year, month: 1), let last = YearMonth(year: year, month: 12) else {
            throw ValidationError("--year: no holiday data for \(year)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-reports-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try NodeDatabase(path: directory + "/county.sqlite")
        let log = CaseLog(node: Self.county, parent: nil, machine: CaseStateMachine(calendar: calendar))
        let writer = CaseWriter(database: database, log: log, maximumBatch: 64, logger: Logger(label: "banjian.load") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            try await measure(database: database, writer: writer, calendar: calendar, months: (first, last))
            group.cancelAll()
        }
        try database.close()
    }

    private func measure(database: NodeDatabase, writer: CaseWriter, calendar: WorkingCalendar, months: (first: YearMonth, last: YearMonth)) async throws {
        let (first, last) = months
        // A year of cases from every township, applied at the county as its links would.
        let generationStarted = ContinuousClock.now
        var applied = 0, cases = 0, applying = Duration.zero
        for index in 0..<townships {
            let township = NodeCode(String(format: "341182%03d", 101 + index))!
            let events = try Self.history(of: township, year: year, casesPerDay: casesPerDay, calendar: calendar, seed: UInt64(index + 1))
            cases += Set(events.map(\.caseNumber)).count
            let started = ContinuousClock.now
            for batch in stride(from: 0, to: events.count, by: 500) {
                let writes = events[batch..<min(events.count, batch + 500)].enumerated().map { offset, event in
                    CaseWrite(.applyPeer(township, event, cursor: UInt64(batch + offset + 1)), requestID: nil, actor: event.actor, at: event.occurredAt)
                }
                _ = try await writer.submitAll(writes)
            }
            applying += ContinuousClock.now - started
            applied += events.count
        }
        print("county: \(townships) townships, \(cases) cases, \(applied) events of \(year) applied in \(format(applying)) "
              + "(\(LinkLoadCommand.rate(applied, applying)) events/s, statistics and score facts kept in the same transactions); "
              + "generated and applied in \(format(ContinuousClock.now - generationStarted))")

        let yearDays = first.first...last.last
        let june = YearMonth(year: year, month: 6)!, now = calendar.zone.instant(last.last, secondOfDay: 17 * 3600)
        var reports: [(String, () async throws -> Int)] = []
        for grouping in StatisticsGrouping.allCases {
            reports.append(("statistics by \(grouping.rawValue), the year", {
                try await database.statistics(StatisticsQuery(subtree: nil, grouping: grouping, days: yearDays)).rows.count
            }))
        }
        reports.append(("statistics by node, June", {
            try await database.statistics(StatisticsQuery(subtree: nil, grouping: .node, days: june.first...june.last)).rows.count
        }))
        reports.append(("statistics by window, one township, the year", {
            try await database.statistics(StatisticsQuery(subtree: NodeCode("341182101")!, grouping: .window, days: yearDays)).rows.count
        }))
        for kind in AssessmentSubjectKind.allCases {
            reports.append(("assessment of \(kind.rawValue), June (with the quarter's red flags)", {
                try await database.assessments(june, kind: kind, subtree: nil, scheme: .standard, now: now, calendar: calendar).count
            }))
        }
        reports.append(("assessment of window, December (with the open breaches)", {
            try await database.assessments(last, kind: .window, subtree: nil, scheme: .standard, now: now, calendar: calendar).count
        }))
        reports.append(("overdue list, first page", {
            var query = OverdueQuery()
            query.limit = 500
            return try await database.overdueClocks(query, now: now, calendar: calendar).clocks.count
        }))

        var slowest = Duration.zero
        print("report (rows): median / slowest of \(`repeat`)")
        for (name, report) in reports {
            var times: [Duration] = []
            var rows = 0
            for _ in 0..<`repeat` {
                let started = ContinuousClock.now
                rows = try await report()
                times.append(ContinuousClock.now - started)
            }
            times.sort()
            slowest = max(slowest, times.last!)
            print("  \(name) (\(rows)): \(milliseconds(times[times.count / 2])) / \(milliseconds(times.last!))")
        }

        // Baseline: the year's statistics by node recounted from the projections.
        let recountStarted = ContinuousClock.now
        let recounted = try await database.pool.read { db in
            var byNode: [NodeCode: StatisticsFigures] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT record FROM case_projection")
            while let row = try cursor.next() {
                let record = try JSONDecoder().decode(CaseRecord.self, from: row[0] as Data)  // as the store writes projections
                let tally = CaseTally(record, zone: calendar.zone)
                byNode[tally.key.node, default: StatisticsFigures()] = byNode[tally.key.node, default: StatisticsFigures()] + StatisticsFigures(tally.counters)
            }
            return byNode
        }
        let recount = ContinuousClock.now - recountStarted
        let kept = try await database.statistics(StatisticsQuery(subtree: nil, grouping: .node, days: yearDays))
        guard Dictionary(uniqueKeysWithValues: kept.rows.map { ($0.node!, $0.figures) }) == recounted else {
            throw ValidationError("the kept statistics differ from the recount")
        }
        print("baseline: the year's statistics by node recounted from \(cases) projections in \(milliseconds(recount)) (the same figures)")
        print(String(format: "ratio:    recount / slowest report = %.0f×; slowest report ", recount.seconds / slowest.seconds) + milliseconds(slowest))
    }

    /// One township's year: every case's events as the township records them, in its sequence.
    static func history(of township: NodeCode, year: Int, casesPerDay: Int, calendar: WorkingCalendar, seed: UInt64) throws -> [RecordedEvent] {
        let machine = CaseStateMachine(calendar: calendar)
        var rng = SplitMix64(seed: seed)
        let acceptor = Actor(operatorID: "acceptor-1", name: "王受理", role: .acceptor, node: township)
        let handlers = departments.indices.flatMap { d in
            (1...3).map { h in (departments[d], Actor(operatorID: "handler-\(d + 1)\(h)", name: "承办\(d + 1)-\(h)", role: .handler, node: township)) }
        }
        let deputy = Actor(operatorID: "deputy-1", name: "李副主任", role: .deputy, node: township)
        var events: [RecordedEvent] = []
        var date = CivilDate(year: year, month: 1, day: 1)!
        while date.year == year {
            defer { date = date.adding(days: 1) }
            guard calendar.isWorkingDay(date) else { continue }
            for sequence in 1...casesPerDay {
                var record: CaseRecord?
                var at = calendar.zone.instant(date, secondOfDay: 8 * 3600 + 1800 + sequence * 420)
                func append(_ event: CaseEvent, by actor: Actor) throws {
                    record = try machine.apply(event, to: record, at: at, by: actor).record
                    events.append(RecordedEvent(id: EventID(origin: township, sequence: UInt64(events.count + 1)), caseNumber: record!.number,
                                                caseVersion: record!.version, occurredAt: at, actor: actor, event: event))
                }
                let (code, name) = matters[rng.next(below: matters.count)]
                try append(.received(Intake(
                    number: CaseNumber(origin: township, date: date, sequence: sequence)!, channel: .window,
                    applicant: Party(name: "申请人\(sequence)", phone: "13800000000"), matter: MatterRef(code: code, name: name),
                    summary: name, materials: [Material(id: "m1", name: "身份证", status: .provided)])), by: acceptor)
                let (department, handler) = handlers[rng.next(below: handlers.count)]
                try append(.accepted(Acceptance(route: .promised(Assignment(department: department, handler: handler)),
                                                limits: CaseLimits(promised: .workingDays(5)))), by: acceptor)
                let due = record!.clocks[.promised]!.due(calendar: calendar)!.instant
                let roll = rng.next(below: 100)
                switch roll {
                case 0..<3:
                    at = calendar.addingWorkingDays(1, to: at).instant
                    try append(.returned(category: .conditionsNotMet, reason: "不符合条件", appealRights: "可申请行政复议"), by: handler)
                    continue
                case 3..<5:
                    // Left open: overdue from its due instant on.
                    if due < calendar.zone.instant(CivilDate(year: year, month: 12, day: 31)!) {
                        at = due
                        try append(.rungFired(RungKey(clock: .promised, rung: .due, epoch: record!.clocks[.promised]!.epoch)), by: .system(of: township))
                    }
                    continue
                case 5..<9:
                    at = calendar.addingWorkingDays(2, to: at).instant
                    try append(.extensionRequested(clock: .promised, workingDays: 1 + rng.next(below: 3), reason: "需现场核查"), by: handler)
                    try append(.extensionDecided(approved: true, note: "同意"), by: deputy)
                    at = calendar.addingWorkingDays(4, to: at).instant
                case 9..<17:
                    at = due
                    try append(.rungFired(RungKey(clock: .promised, rung: .due, epoch: record!.clocks[.promised]!.epoch)), by: .system(of: township))
                    at = calendar.addingWorkingDays(1 + rng.next(below: 3), to: at).instant
                default:
                    at = calendar.addingWorkingMinutes(30 + rng.next(below: 4 * 390), to: at).instant
                }
                try append(.completed(Decision(outcome: .approved, summary: "准予")), by: handler)
                try append(.replied, by: handler)
                at = at.addingTimeInterval(3600)
                try append(.handedOver(recipient: "申请人\(sequence)", method: .inPerson, recipientSigned: true), by: acceptor)
                let satisfaction: Satisfaction = switch rng.next(below: 100) {
                case 0..<85: .satisfied
                case 85..<95: .basicallySatisfied
                default: .dissatisfied
                }
                try append(.feedbackRecorded(satisfaction: satisfaction, comment: ""), by: acceptor)
                try append(.archived, by: acceptor)
            }
        }
        return events
    }

    private func format(_ duration: Duration) -> String { String(format: "%.1f s", duration.seconds) }
    private func milliseconds(_ duration: Duration) -> String { String(format: "%.1f ms", duration.seconds * 1000) }
}
