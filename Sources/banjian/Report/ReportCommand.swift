import ArgumentParser
import BanjianNode
import BanjianWire
import Foundation

/// `banjian report …`: supervision reports over the node's subtree.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Supervision reports over the node's subtree.",
        subcommands: [Overdue.self])

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "超期: running promised and statutory clocks past due, across the subtree, longest overdue first.",
            discussion: """
                A county lists its townships' and villages' cases too (every event of the subtree reaches it). \
                Leaders, supervisors and auditors. Exit codes: 0 done; 65 invalid input; 69 node unreachable; \
                77 not permitted; 1 any other refusal.
                """)
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "Only cases held in this node's subtree.") var node: String?
        @Option(help: "Only these clocks: promised, statutory (repeatable; default both).") var clock: [String] = []
        @Flag(help: "Print CSV instead of a table.") var csv = false

        func run() async throws {
            let kinds: [Banjian_V1_ClockKind] = try clock.map { name in
                switch name {
                case "promised": .promised
                case "statutory": .statutory
                default: throw ValidationError("--clock: '\(name)' is not promised or statutory")
                }
            }
            let (node, json, csv) = (node, connection.json, csv)
            try await connection.call { client in
                var cases: [Banjian_V1_OverdueCase] = []
                var token = ""
                repeat {
                    let page = try await client.supervision.listOverdueCases(.with {
                        $0.nodeCode = node ?? ""
                        $0.clockKinds = kinds
                        $0.pageSize = 500
                        $0.pageToken = token
                    }, metadata: client.metadata)
                    cases += page.cases
                    token = page.nextPageToken
                } while !token.isEmpty
                if json {
                    for overdue in cases { print(try overdue.jsonString()) }
                    return
                }
                let header = ["case", "held at", "matter", "clock", "due", "overdue working days", "overdue working hours", "handler", "last rung"]
                let rows = cases.map { overdue in
                    [overdue.caseNumber, overdue.nodeCode, "\(overdue.matterCode) \(overdue.matterName)",
                     overdue.clockKind == .statutory ? "statutory" : "promised", CaseOutput.timestamp(overdue.dueAt.date),
                     "\(overdue.overdueWorkingDays)", String(format: "%.1f", Double(overdue.overdueWorkingMinutes) / 60),
                     overdue.hasHandler ? overdue.handler.name : "-", CaseOutput.rung(overdue.lastRungKind)]
                }
                if csv {
                    for row in [header] + rows { print(row.map(Self.csvField).joined(separator: ",")) }
                    return
                }
                guard !rows.isEmpty else { return print("no overdue cases") }
                CaseOutput.columns(header, rows)
            }
        }

        /// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
        static func csvField(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}
