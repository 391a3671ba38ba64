import BanjianDomain
import BanjianNode
import BanjianWire
import DeadlineWheel
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// `ListOverdueCases`: running clocks past due, by how many working days, against which limit,
/// and who holds each case.
@Suite(.timeLimit(.minutes(2))) struct OverdueCasesTests {
    @Test func overdueClocksAreListedLongestFirstWithTheirWorkingDaysAndLastRung() async throws {
        try await TestNode.run { node in
            try await node.client(as: .acceptor) { client in
                // Two JS-003 cases (5 working days promised, 10 statutory), accepted a day apart.
                let first = try await client.cases.createCase(NodeWire.create("c1"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(first, "a1"), metadata: client.metadata)
                node.clock.advance(by: .seconds(86_400))
                let second = try await client.cases.createCase(NodeWire.create("c2"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(second, "a2"), metadata: client.metadata)
                // Not overdue yet.
                try await node.client(as: .supervisor) { supervisor in
                    let none = try await supervisor.supervision.listOverdueCases(.init(), metadata: supervisor.metadata).cases
                    #expect(none.isEmpty)
                }
                // Three weeks on, both promised clocks are past due, and the first one's statutory clock too.
                node.clock.advance(by: .seconds(14 * 86_400))
                try await Task.sleep(for: .milliseconds(300))
                try await node.client(as: .supervisor) { supervisor in
                    let all = try await supervisor.supervision.listOverdueCases(.init(), metadata: supervisor.metadata).cases
                    #expect(all.map(\.caseNumber) == [first, second, first])
                    #expect(all.map(\.clockKind) == [.promised, .promised, .statutory])
                    #expect(all[0].overdueWorkingDays > all[1].overdueWorkingDays && all[1].overdueWorkingDays > 0)
                    #expect(all[0].overdueWorkingMinutes > all[1].overdueWorkingMinutes)
                    #expect(all.allSatisfy { $0.nodeCode == TestNode.township.rawValue && $0.matterCode == "JS-003" })
                    #expect(all[0].lastRungKind == .reportUp, "every rung of the first promised clock has fired")
                    // Statutory only, one per page.
                    let statutory = try await supervisor.supervision.listOverdueCases(.with { $0.clockKinds = [.statutory] },
                                                                                   metadata: supervisor.metadata).cases
                    #expect(statutory.map(\.caseNumber) == [first])
                    let page = try await supervisor.supervision.listOverdueCases(.with { $0.pageSize = 1 }, metadata: supervisor.metadata)
                    #expect(page.cases.map(\.caseNumber) == [first] && !page.nextPageToken.isEmpty)
                    let rest = try await supervisor.supervision.listOverdueCases(.with { $0.pageSize = 5; $0.pageToken = page.nextPageToken },
                                                                              metadata: supervisor.metadata)
                    #expect(rest.cases.map(\.caseNumber) == [second, first] && rest.nextPageToken.isEmpty)
                    // Another subtree holds none of them.
                    let elsewhere = try await supervisor.supervision.listOverdueCases(.with { $0.nodeCode = "341182103" }, metadata: supervisor.metadata)
                    #expect(elsewhere.cases.isEmpty)
                }
                // Completing a case takes it off the list.
                try await node.client(as: .handler) { handler in
                    _ = try await handler.cases.completeCase(NodeWire.complete(first, "d1"), metadata: handler.metadata)
                }
                try await node.client(as: .supervisor) { supervisor in
                    let left = try await supervisor.supervision.listOverdueCases(.init(), metadata: supervisor.metadata).cases
                    #expect(left.map(\.caseNumber) == [second])
                }
            }
        }
    }

    @Test func onlySupervisingRolesMayListAndBadInputIsRefused() async throws {
        try await TestNode.run { node in
            try await node.client(as: .handler) { handler in
                let denied = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.listOverdueCases(.init(), metadata: handler.metadata)
                }
                #expect(denied?.code == .permissionDenied)
            }
            try await node.client(as: .auditor) { auditor in
                let token = await #expect(throws: RPCError.self) {
                    _ = try await auditor.supervision.listOverdueCases(.with { $0.pageToken = "garbage" }, metadata: auditor.metadata)
                }
                #expect(token?.code == .invalidArgument && token?.message.contains("page_token") == true)
                let clock = await #expect(throws: RPCError.self) {
                    _ = try await auditor.supervision.listOverdueCases(.with { $0.clockKinds = [.unspecified] }, metadata: auditor.metadata)
                }
                #expect(clock?.code == .invalidArgument && clock?.message.contains("clock_kinds[0]") == true)
            }
        }
    }
}
