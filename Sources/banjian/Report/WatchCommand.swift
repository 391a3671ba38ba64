import ArgumentParser
import BanjianNode
import BanjianWire
import Foundation

/// `banjian watch alerts`: the supervision alert stream, live in the terminal.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the node's supervision streams live.",
        subcommands: [Alerts.self])

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Alerts across the subtree, live, until Ctrl-C: rungs (预警, 到期, 催办, 督办, 上报), cases returned (退回), applicants dissatisfied (不满意); petitions and complaints: their reply rungs, 集体访, 投诉上报.",
            discussion: """
                Each line ends with a resume token: give it to --resume after a reconnect and nothing is \
                missed. Leaders, supervisors and auditors. Exit codes: 0 done; 65 invalid input; 69 node \
                unreachable; 77 not permitted.
                """)
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "Only cases held in this node's subtree.") var node: String?
        @Option(help: "First replay the alerts raised since this instant (ISO 8601, e.g. 2026-11-30T08:30:00+08:00).") var since: String?
        @Option(help: "Resume after the alert of this token (replays everything raised since).") var resume: String?

        func run() async throws {
            var sinceDate: Date?
            if let since {
                guard let date = ISO8601DateFormatter().date(from: since) else { throw ValidationError("--since: '\(since)' is not an ISO 8601 instant") }
                sinceDate = date
            }
            let (node, resume, json, start) = (node, resume, connection.json, sinceDate)
            try await connection.call { client in
                let request = Banjian_V1_WatchAlertsRequest.with {
                    $0.nodeCode = node ?? ""
                    $0.resumeToken = resume ?? ""
                    if let start { $0.since = .init(date: start) }
                }
                try await client.supervision.watchAlerts(request, metadata: client.metadata) { response in
                    for try await message in response.messages {
                        let alert = message.alert
                        let line: String
                        if json {
                            line = try message.jsonString()
                        } else if alert.kind == .linkDown {
                            line = [CaseOutput.time(alert.firedAt), "链路中断", "link \(alert.reportingNodeCode)–\(alert.nodeCode)",
                                    "down since \(CaseOutput.time(alert.downSince))", "resume \(message.resumeToken)"]
                                .joined(separator: "  ")
                        } else {
                            let what = switch alert.kind {
                            case .returned: "退回"
                            case .dissatisfied: "不满意"
                            case .complaintEscalated: "投诉上报"
                            case .groupVisit: "集体访"
                            default: CaseOutput.rung(alert.rungKind)
                            }
                            let clock = switch alert.clockKind {
                            case .supervisionOrder: "督办 order"
                            case .petitionReply: "信访 reply"
                            case .complaintReply: "投诉 reply"
                            case .unspecified: alert.recordVersion > 0 ? "信访/投诉" : "-"
                            default: "\(alert.clockKind)"
                            }
                            line = [CaseOutput.time(alert.firedAt), what, clock,
                                   alert.caseNumber, "held at \(alert.nodeCode)", "\(alert.matterCode) \(alert.matterName)",
                                   alert.hasHandler ? "\(alert.department) \(alert.handler.name)" : alert.department.isEmpty ? "-" : alert.department,
                                   "resume \(message.resumeToken)"]
                                .joined(separator: "  ")
                        }
                        CaseOutput.emit(line)
                    }
                }
            }
        }
    }
}
