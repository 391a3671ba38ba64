import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import DeadlineWheel
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// The catalogue drives every case over gRPC: limits, authority, notices, accountability.
@Suite(.timeLimit(.minutes(2))) struct CatalogueRulesServiceTests {
    static func intake(_ matter: String, summary: String = "申请城乡居民最低生活保障") -> Intake {
        var intake = NodeWire.intake(summary: summary)
        intake.matter = MatterRef(code: matter, name: "", version: 0)
        return intake
    }

    static func promised(handlerAt node: NodeCode, days: Int? = nil) -> CaseEvent {
        let handler = Actor(operatorID: "handler-1", name: "张承办", role: .handler, node: node)
        return .accepted(Acceptance(route: .promised(Assignment(department: "社会事务服务部", handler: handler)),
                                    limits: CaseLimits(promised: days.map { .workingDays($0) })))
    }

    /// 15 and 30 working days of 390 working minutes (08:30–12:00, 14:30–17:30).
    static let minutesPerDay: Int64 = 390

    @Test func aCountyMatterAcceptedAtTheCountyRunsTheCataloguesLimits() async throws {
        try await TestNode.run(code: TestNode.county) { node in
            try await node.client(as: .acceptor) { client in
                let created = try await client.cases.createCase(NodeWire.create("c", Self.intake("MZ-001")), metadata: client.metadata)
                #expect(created.caseRecord.matterName == "城乡居民最低生活保障申请" && created.caseRecord.matterVersion == 1)
                let number = created.caseRecord.number
                let tooLong = await RefusalTests.message {
                    _ = try await client.cases.acceptCase(NodeWire.accept(number, "a40", event: Self.promised(handlerAt: TestNode.county, days: 40)),
                                                         metadata: client.metadata)
                }
                #expect(tooLong == "limits.promised: 40 working days exceeds the catalogue's promise of 15 working days")
                let accepted = try await client.cases.acceptCase(NodeWire.accept(number, "a", event: Self.promised(handlerAt: TestNode.county)),
                                                                metadata: client.metadata).caseRecord
                #expect(accepted.promisedLimit.workingDays == 15 && accepted.statutoryLimit.workingDays == 30)
                let budgets = Dictionary(uniqueKeysWithValues: accepted.clocks.map { ($0.kind, $0.budgetWorkingMinutes) })
                #expect(budgets == [.promised: 15 * Self.minutesPerDay, .statutory: 30 * Self.minutesPerDay])
            }
        }
    }

    @Test func aTownshipMayOnlyEscalateACountyMatter() async throws {
        try await TestNode.run { node in
            try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c", Self.intake("MZ-001")), metadata: client.metadata).caseRecord.number
                let request = NodeWire.accept(number, "p", event: Self.promised(handlerAt: TestNode.township))
                #expect(await RefusalTests.code { _ = try await client.cases.acceptCase(request, metadata: client.metadata) } == .failedPrecondition)
                #expect(await RefusalTests.message { _ = try await client.cases.acceptCase(request, metadata: client.metadata) }
                    .hasPrefix("authority: matter MZ-001 is decided at county level and is not delegated to node 341182102"))
                let plan = EscalationPlan(target: TestNode.county, preliminaryOpinion: Opinion(text: "材料齐全，建议批准"))
                let escalated = try await client.cases.acceptCase(
                    NodeWire.accept(number, "e", event: .accepted(Acceptance(route: .escalated(plan, handler: nil)))), metadata: client.metadata)
                #expect(escalated.caseRecord.kind == .escalated)
                #expect(escalated.caseRecord.clocks.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.promised, .statutory, .forwarding])
                let notices = try await client.cases.listNotices(.with { $0.caseNumber = number }, metadata: client.metadata).notices
                #expect(notices.map(\.kind) == [.receipt, .escalation])
                #expect(notices.last?.fields.first { $0.label == "上报至" }?.value == "341182")

                // Unknown and misspelt matters are refused by name.
                let unknown = await RefusalTests.message {
                    _ = try await client.cases.createCase(NodeWire.create("u", Self.intake("XX-404")), metadata: client.metadata)
                }
                #expect(unknown == "received.matter_code: no matter 'XX-404' in this node's catalogue")
                #expect(await RefusalTests.code {
                    _ = try await client.cases.createCase(NodeWire.create("u2", Self.intake("XX-404")), metadata: client.metadata)
                } == .notFound)
            }
        }
    }

    @Test func anotherHandlerCannotCompleteAndALateExtensionIsRefused() async throws {
        try await TestNode.run { node in
            let token = OperatorDirectory.newToken()
            try await node.runtime.database.addOperator(OperatorAccount(id: "handler-2", name: "李承办", role: .handler),
                                                        tokenSHA256: OperatorDirectory.hash(token: token), at: Date())
            let number = try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata)
                return number
            }
            try await node.client(as: nil) { client in
                let other: Metadata = ["authorization": "Bearer \(token)"]
                let refusal = await RefusalTests.message { _ = try await client.cases.completeCase(NodeWire.complete(number, "x"), metadata: other) }
                #expect(refusal == "only the case's handler 张承办 (handler-1) or a department head, deputy or director may do 'completed'")
                #expect(await RefusalTests.code { _ = try await client.cases.completeCase(NodeWire.complete(number, "x"), metadata: other) }
                    == .permissionDenied)
            }
            try await node.client(as: .handler) { client in
                let record = try await client.cases.getCase(.with { $0.caseNumber = number }, metadata: client.metadata).caseRecord
                let due = try #require(record.clocks.first { $0.kind == .promised }).dueAt.date
                node.clock.advance(to: WheelInstant(date: due.addingTimeInterval(60)))
                guard case .extensionRequested(let body) = Banjian_V1_CaseEvent.OneOf_Body(
                    .extensionRequested(clock: .promised, workingDays: 2, reason: "需要补充调查")) else { return }
                let late = Banjian_V1_RequestExtensionRequest.with {
                    $0.requestID = "late"
                    $0.caseNumber = number
                    $0.extensionRequested = body
                }
                #expect(await RefusalTests.code { _ = try await client.cases.requestExtension(late, metadata: client.metadata) } == .failedPrecondition)
                #expect(await RefusalTests.message { _ = try await client.cases.requestExtension(late, metadata: client.metadata) }
                    .contains("already overdue on its promised limit"))
                // The accountable handler still completes it.
                _ = try await client.cases.completeCase(NodeWire.complete(number, "done"), metadata: client.metadata)
            }
        }
    }

    @Test func noticesAreListedFetchedAndTheRegisterIsForLeaders() async throws {
        try await TestNode.run { node in
            let number = try await node.client(as: .acceptor) { client in
                let number = try await client.cases.createCase(NodeWire.create("c"), metadata: client.metadata).caseRecord.number
                _ = try await client.cases.acceptCase(NodeWire.accept(number, "a"), metadata: client.metadata)
                return number
            }
            try await node.client(as: .handler) { client in
                guard case .returned(let body) = Banjian_V1_CaseEvent.OneOf_Body(
                    .returned(category: .conditionsNotMet, reason: "现场核查不符合条件", appealRights: "可依法申请行政复议")) else { return }
                _ = try await client.cases.returnCase(.with { $0.requestID = "r"; $0.caseNumber = number; $0.returned = body },
                                                      metadata: client.metadata)
                let notices = try await client.cases.listNotices(.with { $0.caseNumber = number }, metadata: client.metadata).notices
                #expect(notices.map(\.kind) == [.receipt, .promisedAcceptance, .return])
                let fetched = try await client.cases.getNotice(.with { $0.noticeNumber = notices[1].number }, metadata: client.metadata)
                #expect(fetched.centreName == "张八岭镇便民服务中心" && fetched.notice == notices[1])
                #expect(fetched.notice.title == "承诺件受理通知书" && fetched.notice.number == "341182102-CN-2025-000001")
                #expect(await RefusalTests.code { _ = try await client.cases.getNotice(.with { $0.noticeNumber = "341182102-CN-2025-999999" }, metadata: client.metadata) } == .notFound)
                #expect(await RefusalTests.code { _ = try await client.cases.getNotice(.with { $0.noticeNumber = "../x" }, metadata: client.metadata) } == .invalidArgument)
                #expect(await RefusalTests.code { _ = try await client.cases.listRefusals(.init(), metadata: client.metadata) } == .permissionDenied)
            }
            try await node.client(as: .deputy) { client in
                let register = try await client.cases.listRefusals(.with { $0.reviewState = .pending }, metadata: client.metadata).refusals
                #expect(register.map(\.caseNumber) == [number] && register.first?.refusal.reason == "现场核查不符合条件")
            }
        }
    }
}
