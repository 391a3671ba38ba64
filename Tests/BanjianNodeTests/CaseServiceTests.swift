import BanjianDomain
import BanjianNode
import BanjianWire
import DeadlineWheel
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// CaseService and CatalogService over real TLS on loopback, against a real SQLite file.
@Suite(.timeLimit(.minutes(2))) struct CaseServiceTests {
    @Test func aCaseGoesFromAcceptanceToArchiveOverTLS() async throws {
        try await TestNode.run { node in
            let number = try await node.client(as: .acceptor) { client in
                let created = try await client.cases.createCase(NodeWire.create("c1"), metadata: client.metadata)
                #expect(created.caseRecord.state == .received)
                #expect(created.event.caseVersion == 1)
                let number = created.caseRecord.number
                #expect(number.hasPrefix("341182102-20250310-"))
                let accepted = try await client.cases.acceptCase(NodeWire.accept(number, "a1"), metadata: client.metadata)
                #expect(accepted.caseRecord.state == .handling)
                #expect(accepted.caseRecord.rungs.count == 10)
                return number
            }
            try await node.client(as: .handler) { client in
                let done = try await client.cases.completeCase(NodeWire.complete(number, "d1"), metadata: client.metadata)
                #expect(done.caseRecord.state == .completed)
                _ = try await client.cases.replyCase(.with { $0.requestID = "r1"; $0.caseNumber = number }, metadata: client.metadata)
            }
            try await node.client(as: .acceptor) { client in
                _ = try await client.cases.handOverCase(.with {
                    $0.requestID = "h1"; $0.caseNumber = number
                    $0.handedOver = .with { $0.recipient = "张三"; $0.method = .inPerson; $0.recipientSigned = true }
                }, metadata: client.metadata)
                _ = try await client.cases.recordFeedback(.with {
                    $0.requestID = "f1"; $0.caseNumber = number
                    $0.feedbackRecorded = .with { $0.satisfaction = .satisfied }
                }, metadata: client.metadata)
                let archived = try await client.cases.archiveCase(.with { $0.requestID = "z1"; $0.caseNumber = number }, metadata: client.metadata)
                #expect(archived.caseRecord.state == .archived)

                let fetched = try await client.cases.getCase(.with { $0.caseNumber = number }, metadata: client.metadata)
                #expect(fetched.caseRecord == archived.caseRecord)
                let events = try await client.cases.listCaseEvents(.with { $0.caseNumber = number; $0.pageSize = 3 }, metadata: client.metadata)
                #expect(events.events.map(\.caseVersion) == [1, 2, 3] && !events.nextPageToken.isEmpty)
                let rest = try await client.cases.listCaseEvents(
                    .with { $0.caseNumber = number; $0.pageToken = events.nextPageToken }, metadata: client.metadata)
                #expect(rest.events.map(\.caseVersion) == [4, 5, 6, 7] && rest.nextPageToken.isEmpty)
                let archivedList = try await client.cases.listCases(.with { $0.states = [.archived] }, metadata: client.metadata)
                #expect(archivedList.cases.map(\.number) == [number])
            }
        }
    }

    @Test func aRetryReturnsTheFirstResult() async throws {
        try await TestNode.run { node in
            try await node.client(as: .acceptor) { client in
                let first = try await client.cases.createCase(NodeWire.create("same"), metadata: client.metadata)
                let again = try await client.cases.createCase(NodeWire.create("same", NodeWire.intake(summary: "另一件")), metadata: client.metadata)
                #expect(again.caseRecord.number == first.caseRecord.number)
                #expect(again.event == first.event)
                let all = try await client.cases.listCases(.init(), metadata: client.metadata)
                #expect(all.cases.count == 1)
            }
        }
    }

    @Test func listsFilterAndPage() async throws {
        try await TestNode.run { node in
            try await node.client(as: .acceptor) { client in
                var numbers: [String] = []
                for index in 0..<5 {
                    numbers.append(try await client.cases.createCase(NodeWire.create("c\(index)"), metadata: client.metadata).caseRecord.number)
                }
                _ = try await client.cases.acceptCase(NodeWire.accept(numbers[1], "a"), metadata: client.metadata)
                var seen: [String] = []
                var request = Banjian_V1_ListCasesRequest.with { $0.pageSize = 2 }
                repeat {
                    let page = try await client.cases.listCases(request, metadata: client.metadata)
                    seen += page.cases.map(\.number)
                    request.pageToken = page.nextPageToken
                } while !request.pageToken.isEmpty
                #expect(seen == numbers.reversed())
                let handling = try await client.cases.listCases(.with { $0.states = [.handling]; $0.kinds = [.promised] }, metadata: client.metadata)
                #expect(handling.cases.map(\.number) == [numbers[1]])
                let byHandler = try await client.cases.listCases(.with { $0.handlerOperatorID = "handler-1" }, metadata: client.metadata)
                #expect(byHandler.cases.map(\.number) == [numbers[1]])
                let overdue = try await client.cases.listCases(.with { $0.overdueOnly = true }, metadata: client.metadata)
                #expect(overdue.cases.isEmpty)
                let matters = try await client.catalog.listMatters(.init(), metadata: client.metadata)
                #expect(matters.matters.map(\.code) == ["HJ-002", "JS-003", "MZ-001"])
                let matter = try await client.catalog.getMatter(.with { $0.matterCode = "JS-003" }, metadata: client.metadata)
                #expect(matter.matter.name == "生育登记")
            }
        }
    }

    @Test func healthIsServed() async throws {
        try await TestNode.run { node in
            try await node.client(as: nil) { client in
                let node = try await client.health.check(.init())
                let cases = try await client.health.check(.with { $0.service = "banjian.v1.CaseService" })
                #expect(node.status == .serving && cases.status == .serving)
                await #expect(throws: RPCError.self) { try await client.health.check(.with { $0.service = "nope" }) }
            }
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct HealthWatchTests {
    @Test func aHealthWatchReportsServingThenNotServingAtShutdown() async throws {
        try await TestNode.run { node in
            try await node.client(as: nil) { client in
                let statuses = try await client.health.watch(.init()) { response in
                    var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                    for try await message in response.messages {
                        statuses.append(message.status)
                        if statuses.count == 1 { node.runtime.beginGracefulShutdown() }
                    }
                    return statuses
                }
                #expect(statuses == [.serving, .notServing])
            }
        }
    }
}
