import BanjianDomain
import BanjianNode
import BanjianWire
import DeadlineWheel
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// `WatchAlerts`: rung alerts live, tagged with node, window, handler and matter, and a stream
/// that resumes from a token without missing anything.
@Suite(.timeLimit(.minutes(2))) struct AlertStreamTests {
    @Test func alertsArriveLiveAndAReconnectingSupervisorMissesNothing() async throws {
        try await TestNode.run { node in
            let (number, warning, due) = try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                let rungs = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata).caseRecord.rungs
                    .filter { $0.clockKind == .promised }
                return (number, try #require(rungs.first { $0.kind == .warning }).fireAt.date, try #require(rungs.first { $0.kind == .due }).fireAt.date)
            }
            let caseNumber = try #require(CaseNumber(number))
            try await node.client(as: .supervisor) { supervisor in
                // Live: the warning fires while the stream is open.
                let (first, token) = try await supervisor.supervision.watchAlerts(.init(), metadata: supervisor.metadata) { response in
                    var messages = response.messages.makeAsyncIterator()
                    node.clock.advance(to: WheelInstant(date: warning))
                    let message = try #require(try await messages.next())
                    return (message.alert, message.resumeToken)
                }
                #expect(first.rungKind == .warning && first.clockKind == .promised && first.caseNumber == number)
                #expect(first.nodeCode == TestNode.township.rawValue && first.matterCode == "JS-003" && first.department == "社会事务服务部")
                #expect(first.hasDueAt && first.dueAt.date > warning && !token.isEmpty)

                // Disconnected: the due rung fires. Resuming from the token replays it, and only it.
                node.clock.advance(to: WheelInstant(date: due))
                for _ in 0..<100 where try await node.runtime.database.firedRungs(of: caseNumber).count < 2 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let resumed = try await supervisor.supervision.watchAlerts(.with { $0.resumeToken = token }, metadata: supervisor.metadata) { response in
                    var messages = response.messages.makeAsyncIterator()
                    return try #require(try await messages.next()).alert
                }
                #expect(resumed.rungKind == .due && resumed.eventID != first.eventID)

                // From an instant: both, in the order they fired; another subtree: none of them.
                let replayed = try await supervisor.supervision.watchAlerts(.with { $0.since = .init(date: TestNode.start.date) },
                                                                            metadata: supervisor.metadata) { response in
                    var messages = response.messages.makeAsyncIterator()
                    return [try #require(try await messages.next()).alert.rungKind, try #require(try await messages.next()).alert.rungKind]
                }
                #expect(replayed == [.warning, .due])
            }
            try await node.client(as: .handler) { handler in
                let denied = await #expect(throws: RPCError.self) {
                    try await handler.supervision.watchAlerts(.init(), metadata: handler.metadata) { response in
                        for try await _ in response.messages {}
                    }
                }
                #expect(denied?.code == .permissionDenied)
            }
        }
    }

    @Test func aReturnedCaseAlertsTheSupervisorsAndRungFiltersLeaveItOut() async throws {
        try await TestNode.run { node in
            try await node.client(as: .supervisor) { supervisor in
                let alert = try await supervisor.supervision.watchAlerts(.init(), metadata: supervisor.metadata) { response in
                    var messages = response.messages.makeAsyncIterator()
                    try await node.client(as: .acceptor) { client in
                        let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                        _ = try await client.cases.returnCase(.with {
                            $0.requestID = "r"
                            $0.caseNumber = number
                            $0.returned.category = .incompleteDocuments
                            $0.returned.reason = "缺少结婚证原件"
                            $0.returned.appealRights = "可依法申请行政复议"
                        }, metadata: client.metadata)
                    }
                    return try #require(try await messages.next()).alert
                }
                #expect(alert.kind == .returned && alert.clockKind == .unspecified && !alert.hasDueAt && alert.matterCode == "JS-003")
            }
            // The journal, filtered to rungs, leaves the return out.
            var rungsOnly = AlertQuery()
            rungsOnly.rungs = [.warning, .due]
            #expect(try await node.runtime.database.alerts(rungsOnly, after: 0, limit: 10).isEmpty)
            #expect(try await node.runtime.database.alerts(AlertQuery(), after: 0, limit: 10).map(\.kind) == [.caseAlert(.returned)])
        }
    }
}
