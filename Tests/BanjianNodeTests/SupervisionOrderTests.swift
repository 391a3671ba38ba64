import BanjianDomain
import BanjianNode
import BanjianWire
import DeadlineWheel
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// 督办 orders at the node that holds the case: issued, watched by their own clock and rungs,
/// answered, breached, and refused when they must be.
@Suite(.timeLimit(.minutes(2))) struct SupervisionOrderTests {
    static func order(_ number: String, _ requestID: String, instruction: String = "请于两个工作日内办结并报告", days: UInt32 = 2)
        -> Banjian_V1_IssueSupervisionOrderRequest
    {
        .with {
            $0.requestID = requestID
            $0.order = .with {
                $0.caseNumber = number
                $0.instruction = instruction
                $0.respondWithin = .with { $0.workingDays = days }
            }
        }
    }

    static func answer(_ number: String, _ order: String, _ requestID: String) -> Banjian_V1_AnswerSupervisionOrderRequest {
        .with {
            $0.requestID = requestID
            $0.caseNumber = number
            $0.answer = .with {
                $0.orderNumber = order
                $0.answer = "已办结，材料已归档"
            }
        }
    }

    @Test func anOrderIsRecordedWatchedAnsweredAndASecondOneBreached() async throws {
        try await TestNode.run { node in
            let number = try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata)
                return number
            }
            let first = try await node.client(as: .supervisor) { supervisor in
                let issued = try await supervisor.supervision.issueSupervisionOrder(Self.order(number, "o1"), metadata: supervisor.metadata).order
                #expect(issued.orderNumber == "341182102-20250310-000001" && issued.targetNodeCode == TestNode.township.rawValue)
                #expect(issued.issuingNodeCode == TestNode.township.rawValue && issued.issuedBy.role == .supervisor)
                // A retry returns the same order and records nothing more.
                let retried = try await supervisor.supervision.issueSupervisionOrder(Self.order(number, "o1"), metadata: supervisor.metadata).order
                #expect(retried == issued)
                // A second order while the first is open is refused.
                let open = await #expect(throws: RPCError.self) {
                    _ = try await supervisor.supervision.issueSupervisionOrder(Self.order(number, "o2"), metadata: supervisor.metadata)
                }
                #expect(open?.code == .failedPrecondition && open?.message.contains(issued.orderNumber) == true)
                return issued.orderNumber
            }
            try await node.client(as: .handler) { handler in
                let record = try await handler.cases.getCase(.with { $0.caseNumber = number }, metadata: handler.metadata).caseRecord
                #expect(record.supervisionOrders.map(\.order.orderNumber) == [first] && record.supervisionOrders[0].answer.isEmpty)
                let clock = try #require(record.clocks.first { $0.kind == .supervisionOrder })
                #expect(clock.state == .running && record.rungs.contains { $0.clockKind == .supervisionOrder && $0.kind == .due && !$0.fired })
                // The handler answers: the order is answered and its clock stops.
                let answered = try await handler.supervision.answerSupervisionOrder(Self.answer(number, first, "r1"), metadata: handler.metadata)
                #expect(answered.event.supervisionOrderAnswered.orderNumber == first)
                let status = try #require(answered.caseRecord.supervisionOrders.first)
                #expect(status.answer == "已办结，材料已归档" && status.answeredBy.operatorID == NodeWire.handler.operatorID && !status.breached)
                #expect(answered.caseRecord.clocks.first { $0.kind == .supervisionOrder }?.state == .stopped)
                let twice = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.answerSupervisionOrder(Self.answer(number, first, "r2"), metadata: handler.metadata)
                }
                #expect(twice?.code == .failedPrecondition)
                let unknown = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.answerSupervisionOrder(Self.answer(number, "341182102-20250310-000009", "r3"), metadata: handler.metadata)
                }
                #expect(unknown?.code == .invalidArgument && unknown?.message.contains("answer.order_number") == true)
            }
            // A second order, left unanswered: its due rung fires and breaches it.
            let second = try await node.client(as: .director) { director in
                try await director.supervision.issueSupervisionOrder(Self.order(number, "o3", days: 1), metadata: director.metadata).order.orderNumber
            }
            #expect(second == "341182102-20250310-000002")
            node.clock.advance(by: .seconds(3 * 86_400))
            try await node.client(as: .supervisor) { supervisor in
                var breached = false
                for _ in 0..<100 where !breached {
                    let record = try await supervisor.cases.getCase(.with { $0.caseNumber = number }, metadata: supervisor.metadata).caseRecord
                    breached = record.supervisionOrders.last?.breached == true
                    if !breached { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(breached)
                let alerts = try await supervisor.supervision.watchAlerts(.with { $0.since = .init(date: TestNode.start.date) },
                                                                          metadata: supervisor.metadata) { response in
                    var seen: [Banjian_V1_Alert] = []
                    for try await message in response.messages {
                        seen.append(message.alert)
                        if message.alert.clockKind == .supervisionOrder && message.alert.rungKind == .due { break }
                    }
                    return seen
                }
                #expect(alerts.contains { $0.clockKind == .supervisionOrder && $0.rungKind == .due && $0.caseNumber == number })
            }
        }
    }

    @Test func badOrdersAreRefusedAndChangeNothing() async throws {
        try await TestNode.run { node in
            let number = try await node.client(as: .acceptor) { client in
                try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
            }
            try await node.client(as: .handler) { handler in
                let denied = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.issueSupervisionOrder(Self.order(number, "h1"), metadata: handler.metadata)
                }
                #expect(denied?.code == .permissionDenied)
            }
            try await node.client(as: .supervisor) { supervisor in
                let refusals: [(Banjian_V1_IssueSupervisionOrderRequest, RPCError.Code, String)] = [
                    (Self.order(number, "b1", instruction: " "), .invalidArgument, "order.instruction"),
                    (Self.order(number, "b2", days: 0), .invalidArgument, "order.respond_within"),
                    (Self.order("341182102-20250310-000099", "b3"), .notFound, "341182102-20250310-000099"),
                    (Self.order("not-a-case", "b4"), .invalidArgument, "order.case_number"),
                    (.with { $0.requestID = "b5" }, .invalidArgument, "order"),
                ]
                for (request, code, text) in refusals {
                    let refused = await #expect(throws: RPCError.self) {
                        _ = try await supervisor.supervision.issueSupervisionOrder(request, metadata: supervisor.metadata)
                    }
                    #expect(refused?.code == code && refused?.message.contains(text) == true, "\(text): \(String(describing: refused))")
                }
                let record = try await supervisor.cases.getCase(.with { $0.caseNumber = number }, metadata: supervisor.metadata).caseRecord
                #expect(record.supervisionOrders.isEmpty && record.version == 1)
            }
        }
    }
}
