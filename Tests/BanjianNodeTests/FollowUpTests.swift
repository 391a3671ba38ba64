import BanjianDomain
import BanjianNode
import BanjianWire
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// 回访: a dissatisfied applicant opens the director's follow-up, with its own clock; the case is
/// archived only after it, and a verified dissatisfaction costs the window 5 points.
@Suite(.timeLimit(.minutes(2))) struct FollowUpTests {
    @Test func aDissatisfiedApplicantOpensAFollowUpThatCountsInTheAssessment() async throws {
        try await TestNode.run { node in
            let number = try await node.client(as: .acceptor) { acceptor in
                let number = try await acceptor.cases.createCase(NodeWire.create("c"), metadata: acceptor.metadata).caseRecord.number
                _ = try await acceptor.cases.acceptCase(NodeWire.accept(number, "a"), metadata: acceptor.metadata)
                try await node.client(as: .handler) { handler in
                    _ = try await handler.cases.completeCase(NodeWire.complete(number, "d"), metadata: handler.metadata)
                    _ = try await handler.cases.replyCase(.with { $0.requestID = "r"; $0.caseNumber = number; $0.replied = .init() },
                                                          metadata: handler.metadata)
                }
                _ = try await acceptor.cases.handOverCase(.with {
                    $0.requestID = "h"
                    $0.caseNumber = number
                    $0.handedOver = .with { $0.recipient = "张三"; $0.method = .inPerson; $0.recipientSigned = true }
                }, metadata: acceptor.metadata)
                // A client cannot set the follow-up's limit: the node fills it in.
                let feedback = try await acceptor.cases.recordFeedback(.with {
                    $0.requestID = "f"
                    $0.caseNumber = number
                    $0.feedbackRecorded = .with {
                        $0.satisfaction = .dissatisfied
                        $0.comment = "等待时间太长"
                        $0.followUpWithin = .with { $0.workingDays = 99 }
                    }
                }, metadata: acceptor.metadata)
                #expect(feedback.event.feedbackRecorded.followUpWithin.workingDays == 3)
                let followUp = feedback.caseRecord.followUp
                #expect(feedback.caseRecord.hasFollowUp && followUp.within.workingDays == 3 && followUp.outcome == .unspecified)
                #expect(feedback.caseRecord.clocks.contains { $0.kind == .followUp && $0.state == .running })
                // Not archived while the follow-up is open.
                let early = await #expect(throws: RPCError.self) {
                    _ = try await acceptor.cases.archiveCase(.with { $0.requestID = "x1"; $0.caseNumber = number; $0.archived = .init() },
                                                             metadata: acceptor.metadata)
                }
                #expect(early?.code == .failedPrecondition && early?.message.contains("回访") == true)
                // Only the director or a deputy records it.
                let denied = await #expect(throws: RPCError.self) {
                    _ = try await acceptor.cases.recordFollowUp(Self.followUp(number, "u0"), metadata: acceptor.metadata)
                }
                #expect(denied?.code == .permissionDenied)
                return number
            }
            let recorded = try await node.client(as: .director) { director in
                try await director.cases.recordFollowUp(Self.followUp(number, "u1"), metadata: director.metadata)
            }
            #expect(recorded.caseRecord.followUp.outcome == .verified && recorded.caseRecord.followUp.recordedBy.role == .director)
            #expect(recorded.caseRecord.clocks.contains { $0.kind == .followUp && $0.state == .stopped })
            try await node.client(as: .acceptor) { acceptor in
                let archived = try await acceptor.cases.archiveCase(.with { $0.requestID = "x2"; $0.caseNumber = number; $0.archived = .init() },
                                                                    metadata: acceptor.metadata)
                #expect(archived.caseRecord.state == .archived)
            }
            // The window loses 5 points for it, naming the follow-up's event; the completion at once earns 2.
            try await node.client(as: .supervisor) { supervisor in
                let window = try #require(try await supervisor.supervision.getAssessment(.with {
                    $0.month = .with { $0.year = 2025; $0.month = 3 }
                    $0.subjectKind = .window
                }, metadata: supervisor.metadata).assessments.first)
                let item = try #require(window.items.first { $0.ruleCode == "dissatisfaction-verified" })
                #expect(item.points == -5 && item.caseNumber == number && item.events == [recorded.event.id])
                #expect(window.totalPoints == 97)
                let stats = try await supervisor.supervision.getStatistics(.with {
                    $0.groupBy = .node
                    $0.period = StatisticsAssessmentTests.march
                }, metadata: supervisor.metadata)
                #expect(stats.total.dissatisfied == 1 && stats.total.satisfactionRateBp == 0)
            }
        }
    }

    static func followUp(_ number: String, _ requestID: String) -> Banjian_V1_RecordFollowUpRequest {
        .with {
            $0.requestID = requestID
            $0.caseNumber = number
            $0.followUpRecorded = .with {
                $0.outcome = .verified
                $0.note = "经回访核实，窗口未一次性告知所需材料，群众不满意属实，已责令整改"
            }
        }
    }
}
