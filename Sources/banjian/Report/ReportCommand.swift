import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianWire
import Foundation

/// `banjian report …`: supervision reports over the node's subtree.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Supervision reports over the node's subtree: statistics, the monthly assessment, overdue cases.",
        discussion: """
            Each prints a table, or CSV with --csv; --html FILE also writes the county director's page for the report's month. \
            Leaders, supervisors and auditors. Exit codes: 0 done; 64 bad usage; 65 invalid input; 66 not found; \
            69 node unreachable; 73 cannot write the --html file; 77 not permitted; 1 any other refusal.
            """,
        subcommands: [Stats.self, Assessment.self, Overdue.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "办件统计: the cases received in a period, as they stand now, grouped; with 办结率, 现场办结率, 按时办结率 and 满意率, and the period's consultations, petitions, complaints and complaints overdue.")
        @OptionGroup var connection: CaseConnectionOptions
        @OptionGroup var period: ReportPeriodOptions
        @OptionGroup var format: ReportFormatOptions
        @Option(help: "Only cases of this node's subtree.") var node: String?
        @Option(help: "Group by node, window, handler, matter, day, week, month, quarter or year.") var by = "node"
        @Option(help: "Also split each row by day, week, month, quarter or year (each township per month).") var per: String?

        func run() async throws {
            guard let grouping = StatisticsGrouping(rawValue: by) else {
                throw ValidationError("--by: '\(by)' is not one of \(StatisticsGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let interval = try per.map { text in
                guard let period = StatisticsGrouping(rawValue: text), period.isPeriod else {
                    throw ValidationError("--per: '\(text)' is not day, week, month, quarter or year")
                }
                return period
            }
            let days = try period.days(), month = try period.lastMonth()
            let (node, json, format) = (node, connection.json, format)
            try await connection.call { client in
                let response = try await client.supervision.getStatistics(.with {
                    $0.nodeCode = node ?? ""
                    $0.groupBy = Banjian_V1_StatisticsGroupBy(grouping)
                    if let interval { $0.interval = Banjian_V1_StatisticsGroupBy(interval) }
                    $0.period = ReportPeriodOptions.range(days)
                }, metadata: client.metadata)
                if json {
                    for row in response.rows + [response.total] { CaseOutput.emit(try row.jsonString()) }
                } else {
                    let rows = (response.rows + [response.total]).map { wire -> [String] in
                        let row = wire.domain, f = row.figures
                        return [row.key, row.label, "\(f[.received])", "\(f[.completed])", "\(f[.completedOnSpot])", "\(f[.onTime])",
                                "\(f[.overdue])", "\(f[.extended])", "\(f[.returned])", "\(f[.forwardedUp])",
                                percent(f.completionRateBasisPoints, base: f[.received]), percent(f.onSpotRateBasisPoints, base: f[.received]),
                                percent(f.onTimeRateBasisPoints, base: f[.completed]), percent(f.satisfactionRateBasisPoints, base: f.evaluated),
                                "\(f[.consultations])", "\(f[.petitions])", "\(f[.complaints])", "\(f[.complaintsOverdue])"]
                    }
                    let header = ["key", "label", "受理", "办结", "现场办结", "按时办结", "超期", "延期", "退回", "上报", "办结率", "现场办结率", "按时办结率", "满意率", "咨询",
                                  "信访", "投诉", "投诉超期"]
                    format.print(header, response.rows.isEmpty ? [] : rows, empty: "no cases, consultations, petitions or complaints from \(days.lowerBound) to \(days.upperBound)")
                }
                if let path = format.html { try await DirectorPage.write(to: path, client: client, node: node, month: month) }
            }
        }
    }

    struct Assessment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "月度考核: the 100-point scores of windows (or staff) in a month, ranked, with grades and the quarter's 流动红旗.",
            discussion: "--detail lists every deduction and bonus with its case and the events behind it.")
        @OptionGroup var connection: CaseConnectionOptions
        @OptionGroup var format: ReportFormatOptions
        @Option(help: "The month, YYYY-MM (default: this month).") var month: String?
        @Option(help: "Only subjects of this node's subtree.") var node: String?
        @Flag(help: "Assess staff instead of windows.") var staff = false
        @Option(help: "Only this window (department) or staff member (operator id).") var subject: String?
        @Flag(help: "List every item under its subject.") var detail = false

        func run() async throws {
            let month = try ReportPeriodOptions.month(month)
            let (node, staff, subject, detail, json, format) = (node, staff, subject, detail, connection.json, format)
            try await connection.call { client in
                let response = try await client.supervision.getAssessment(.with {
                    $0.nodeCode = node ?? ""
                    $0.month = .with { $0.year = Int32(month.year); $0.month = Int32(month.month) }
                    $0.subjectKind = staff ? .staff : .window
                    $0.subjectID = subject ?? ""
                }, metadata: client.metadata)
                if json {
                    for assessment in response.assessments { CaseOutput.emit(try assessment.jsonString()) }
                } else {
                    let assessments = response.assessments.compactMap(\.domain)
                    var rows: [[String]] = []
                    // A window is named by its department; a staff member has an operator id and a name.
                    for a in assessments {
                        rows.append(["\(a.rank)", a.subject.node.rawValue] + (staff ? [a.subject.id, a.subject.name] : [a.subject.id])
                                    + ["\(a.totalPoints)", DirectorPage.gradeName(a.grade, staff: staff), a.excellentDisqualified ? "是" : "",
                                       a.redFlag ? "流动红旗" : "", "\(a.items.count)"])
                        guard detail, !format.csv else { continue }
                        for item in a.items {
                            let events = item.events.map { "\($0.origin)#\($0.sequence)" }.joined(separator: " ")
                            rows.append(["", ""] + (staff ? ["", ""] : [""]) + [String(format: "%+d", item.points), "", "", "",
                                         "\(item.caseNumber.map { "\($0)  " } ?? "")\(item.text)\(events.isEmpty ? "" : "  [\(events)]")"])
                        }
                    }
                    let header = ["名次", "node"] + (staff ? ["operator", "name"] : ["window"]) + ["得分", "等次", "不得评优", "红旗", "items"]
                    format.print(header, rows, empty: "no \(staff ? "staff" : "window") assessed in \(month)")
                }
                if let path = format.html { try await DirectorPage.write(to: path, client: client, node: node, month: month) }
            }
        }
    }

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "超期: running promised and statutory clocks past due, across the subtree, longest overdue first.",
            discussion: "A county lists its townships' and villages' cases too (every event of the subtree reaches it).")
        @OptionGroup var connection: CaseConnectionOptions
        @OptionGroup var format: ReportFormatOptions
        @Option(help: "Only cases held in this node's subtree.") var node: String?
        @Option(help: "Only these clocks: promised, statutory (repeatable; default both).") var clock: [String] = []

        func run() async throws {
            let kinds: [Banjian_V1_ClockKind] = try clock.map { name in
                switch name {
                case "promised": .promised
                case "statutory": .statutory
                default: throw ValidationError("--clock: '\(name)' is not promised or statutory")
                }
            }
            let (node, json, format) = (node, connection.json, format)
            try await connection.call { client in
                let cases = try await DirectorPage.overdueCases(client: client, node: node, kinds: kinds)
                if json {
                    for overdue in cases { CaseOutput.emit(try overdue.jsonString()) }
                } else {
                    let header = ["case", "held at", "matter", "clock", "due", "overdue working days", "overdue working hours", "handler", "last rung"]
                    let rows = cases.map { overdue in
                        [overdue.caseNumber, overdue.nodeCode, "\(overdue.matterCode) \(overdue.matterName)",
                         CaseOutput.name(overdue.clockKind), CaseOutput.time(overdue.dueAt),
                         "\(overdue.overdueWorkingDays)", String(format: "%.1f", Double(overdue.overdueWorkingMinutes) / 60),
                         overdue.hasHandler ? overdue.handler.name : "-", CaseOutput.rung(overdue.lastRungKind)]
                    }
                    format.print(header, rows, empty: "no overdue cases")
                }
                if let path = format.html {
                    try await DirectorPage.write(to: path, client: client, node: node, month: try ReportPeriodOptions.month(nil))
                }
            }
        }
    }
}
