import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import BanjianTestSupport
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// `GetStatistics` and `GetAssessment` on a node whose cases run on a manual clock: figures and
/// scores worked out by hand from the office hours (08:30–12:00, 14:30–17:30: 6.5 working hours a
/// day) and the scheme's defaults.
@Suite(.timeLimit(.minutes(2))) struct StatisticsAssessmentTests {
    static let march: Banjian_V1_TimeRange = .with {
        $0.start = Google_Protobuf_Timestamp(date: WorkingCalendar.chinaMainland().startOfDay(CivilDate(iso: "2025-03-01")!))
        $0.end = Google_Protobuf_Timestamp(date: WorkingCalendar.chinaMainland().startOfDay(CivilDate(iso: "2025-04-01")!))
    }

    @Test func aMonthOfCasesIsCountedAndScoredAsWorkedOutByHand() async throws {
        try await TestNode.run { node in
            // Monday 2025-03-10 09:00. Three JS-003 cases accepted with 5 working days promised: the
            // clock counts from the next day (Tue 11th), so each is due Mon 17th at 17:30.
            let (late, completion, open) = try await node.client(as: .acceptor) { acceptor in
                var numbers: [String] = []
                for index in 1...3 {
                    let number = try await acceptor.cases.createCase(NodeWire.create("c\(index)"), metadata: acceptor.metadata).caseRecord.number
                    _ = try await acceptor.cases.acceptCase(NodeWire.accept(number, "a\(index)"), metadata: acceptor.metadata)
                    numbers.append(number)
                }
                // The second is completed at once, before its clock starts: 0 ‰ of the limit used.
                try await node.client(as: .handler) { handler in
                    _ = try await handler.cases.completeCase(NodeWire.complete(numbers[1], "d2"), metadata: handler.metadata)
                }
                // Wed 19th 10:00: 6.5 h on the 18th and 1.5 h on the 19th past due, 8 h: 2 working days late.
                node.clock.advance(by: .seconds(9 * 86_400 + 3600))
                try await Task.sleep(for: .milliseconds(300))
                let completion = try await node.client(as: .handler) { handler in
                    try await handler.cases.completeCase(NodeWire.complete(numbers[0], "d1"), metadata: handler.metadata).event.id
                }
                return (numbers[0], completion, numbers[2])
            }
            try await node.client(as: .supervisor) { supervisor in
                let byNode = try await supervisor.supervision.getStatistics(.with {
                    $0.groupBy = .node
                    $0.period = Self.march
                }, metadata: supervisor.metadata)
                let row = try #require(byNode.rows.first)
                #expect(byNode.rows.count == 1 && row.key == TestNode.township.rawValue && row.nodeCode == TestNode.township.rawValue)
                #expect((row.received, row.completed, row.onTime, row.overdue, row.completedOnSpot) == (3, 2, 1, 2, 0))
                // 办结率 2/3, 按时办结率 1/2, no feedback yet.
                #expect((row.completionRateBp, row.onTimeRateBp, row.satisfactionRateBp) == (6667, 5000, 0))
                #expect(byNode.total.received == 3 && byNode.total.label == "合计")
                let byWindow = try await supervisor.supervision.getStatistics(.with {
                    $0.groupBy = .window
                    $0.period = Self.march
                }, metadata: supervisor.metadata)
                #expect(byWindow.rows.map(\.key) == ["341182102/社会事务服务部"] && byWindow.rows[0].label == "社会事务服务部")
                let byWeek = try await supervisor.supervision.getStatistics(.with {
                    $0.groupBy = .week
                    $0.period = Self.march
                }, metadata: supervisor.metadata)
                #expect(byWeek.rows.map(\.key) == ["2025-W11"])
                // Each node per month: the period first in the key, the node's code on the row.
                let perMonth = try await supervisor.supervision.getStatistics(.with {
                    $0.groupBy = .node
                    $0.interval = .month
                    $0.period = Self.march
                }, metadata: supervisor.metadata)
                #expect(perMonth.rows.map(\.key) == ["2025-03 341182102"] && perMonth.rows[0].nodeCode == "341182102" && perMonth.rows[0].received == 3)
                let april = try await supervisor.supervision.getStatistics(.with {
                    $0.groupBy = .month
                    $0.period = .with { $0.start = Self.march.end; $0.end = Google_Protobuf_Timestamp(seconds: Self.march.end.seconds + 86_400) }
                }, metadata: supervisor.metadata)
                #expect(april.rows.isEmpty && april.total.received == 0)

                // The window: 100 − 2 days × 5 (the late case) − 2 days × 5 (the open one, so far) + 2
                // (the one done with more than 70 % of its promise left) = 82, 合格.
                let windows = try await supervisor.supervision.getAssessment(.with {
                    $0.month = .with { $0.year = 2025; $0.month = 3 }
                    $0.subjectKind = .window
                }, metadata: supervisor.metadata).assessments
                let window = try #require(windows.first)
                #expect(windows.count == 1 && window.subjectID == "社会事务服务部" && window.nodeCode == TestNode.township.rawValue)
                #expect(window.totalPoints == 82 && window.grade == .qualified && window.rank == 1 && !window.redFlag)
                let items = Dictionary(grouping: window.items, by: \.caseNumber)
                let lateItem = try #require(items[late]?.first)
                #expect(lateItem.ruleCode == "overdue-promised" && lateItem.points == -10 && lateItem.count == 2)
                #expect(lateItem.events == [completion], "the completion that stopped the clock 2 working days late")
                let openItem = try #require(items[open]?.first)
                #expect(openItem.points == -10 && openItem.count == 2 && openItem.text.contains("暂计") && openItem.events.count == 1)
                #expect(window.items.filter { $0.ruleCode == "compressed-promise" }.map(\.points) == [2])
                // The handler carries the same items.
                let staff = try await supervisor.supervision.getAssessment(.with {
                    $0.month = .with { $0.year = 2025; $0.month = 3 }
                    $0.subjectKind = .staff
                    $0.subjectID = NodeWire.handler.operatorID
                }, metadata: supervisor.metadata).assessments
                #expect(staff.map(\.subjectName) == ["张承办"] && staff.map(\.totalPoints) == [82])
                // February had nothing: no subject.
                let february = try await supervisor.supervision.getAssessment(.with {
                    $0.month = .with { $0.year = 2025; $0.month = 2 }
                    $0.subjectKind = .window
                }, metadata: supervisor.metadata).assessments
                #expect(february.isEmpty)
            }
            // The figures kept event by event equal a recount from the events.
            let log = CaseLog(node: node.config.code, parent: nil,
                              machine: CaseStateMachine(settings: node.config.settings, calendar: node.config.calendar))
            let recount = try await node.runtime.database.rebuildProjections(log, rewriting: false)
            #expect(!recount.countsDiffer && recount.differing.isEmpty)
        }
    }

    @Test func consultationsCountOnTheirDayAndARetryCountsOnce() async throws {
        try await TestNode.run { node in
            try await node.client(as: .acceptor) { acceptor in
                func consult(_ requestID: String, topic: String = "低保需要哪些材料") async throws -> Banjian_V1_Consultation {
                    try await acceptor.cases.recordConsultation(.with {
                        $0.requestID = requestID
                        $0.consultation = .with {
                            $0.channel = .phone
                            $0.topic = topic
                            $0.matterCode = "MZ-001"
                            $0.department = "社会事务服务部"
                        }
                    }, metadata: acceptor.metadata).consultation
                }
                let first = try await consult("q1")
                #expect(first.number == "341182102-20250310-000001" && first.answeredBy.role == .acceptor && first.channel == .phone)
                #expect(try await consult("q1") == first, "a retry returns the first")
                #expect(try await consult("q2").number == "341182102-20250310-000002")
                let empty = await #expect(throws: RPCError.self) { _ = try await consult("q3", topic: " ") }
                #expect(empty?.code == .invalidArgument && empty?.message.contains("consultation.topic") == true)
            }
            try await node.client(as: .auditor) { auditor in
                let denied = await #expect(throws: RPCError.self) {
                    _ = try await auditor.cases.recordConsultation(.with { $0.requestID = "a"; $0.consultation = .with { $0.channel = .window; $0.topic = "x" } },
                                                                   metadata: auditor.metadata)
                }
                #expect(denied?.code == .permissionDenied)
                let stats = try await auditor.supervision.getStatistics(.with { $0.groupBy = .window; $0.period = Self.march }, metadata: auditor.metadata)
                #expect(stats.rows.map(\.key) == ["341182102/社会事务服务部"] && stats.rows[0].consultations == 2 && stats.rows[0].received == 0)
                // Consultations are not cases: nobody is assessed for them.
                let windows = try await auditor.supervision.getAssessment(.with {
                    $0.month = .with { $0.year = 2025; $0.month = 3 }
                    $0.subjectKind = .window
                }, metadata: auditor.metadata).assessments
                #expect(windows.isEmpty)
            }
            let log = CaseLog(node: node.config.code, parent: nil,
                              machine: CaseStateMachine(settings: node.config.settings, calendar: node.config.calendar))
            #expect(try await !node.runtime.database.rebuildProjections(log, rewriting: false).countsDiffer)
        }
    }

    @Test func onlySupervisingRolesMayAskAndBadInputIsRefused() async throws {
        try await TestNode.run { node in
            try await node.client(as: .handler) { handler in
                let denied = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.getStatistics(.with { $0.groupBy = .node; $0.period = Self.march }, metadata: handler.metadata)
                }
                #expect(denied?.code == .permissionDenied)
            }
            try await node.client(as: .auditor) { auditor in
                let cases: [(Banjian_V1_GetStatisticsRequest, String)] = [
                    (.with { $0.period = Self.march }, "group_by"),
                    (.with { $0.groupBy = .node }, "period"),
                    (.with { $0.groupBy = .node; $0.period = .with { $0.start = Self.march.end; $0.end = Self.march.start } }, "period"),
                    (.with { $0.groupBy = .node; $0.period = Self.march; $0.nodeCode = "12x" }, "node_code"),
                    (.with { $0.groupBy = .node; $0.period = Self.march; $0.interval = .window }, "interval"),
                ]
                for (request, field) in cases {
                    let refused = await #expect(throws: RPCError.self) {
                        _ = try await auditor.supervision.getStatistics(request, metadata: auditor.metadata)
                    }
                    #expect(refused?.code == .invalidArgument && refused?.message.contains(field) == true, "\(field): \(String(describing: refused))")
                }
                for (year, month) in [(2025, 13), (9999, 12), (1, 1)] {
                    let refused = await #expect(throws: RPCError.self) {
                        _ = try await auditor.supervision.getAssessment(.with {
                            $0.month = .with { $0.year = Int32(year); $0.month = Int32(month) }
                            $0.subjectKind = .window
                        }, metadata: auditor.metadata)
                    }
                    #expect(refused?.code == .invalidArgument && refused?.message.contains("month") == true, "\(year)-\(month)")
                }
                let kind = await #expect(throws: RPCError.self) {
                    _ = try await auditor.supervision.getAssessment(.with { $0.month = .with { $0.year = 2025; $0.month = 3 } }, metadata: auditor.metadata)
                }
                #expect(kind?.code == .invalidArgument && kind?.message.contains("subject_kind") == true)
                let nobody = await #expect(throws: RPCError.self) {
                    _ = try await auditor.supervision.getAssessment(.with {
                        $0.month = .with { $0.year = 2025; $0.month = 3 }
                        $0.subjectKind = .staff
                        $0.subjectID = "nobody"
                    }, metadata: auditor.metadata)
                }
                #expect(nobody?.code == .notFound)
            }
        }
    }
}
