import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import BanjianTestSupport
import Foundation
import GRPCCore
import Testing

/// 信访 and 投诉 at a township, under a manual clock: a petition takes each of its routes; a
/// complaint unanswered past its limit escalates to the county, is answered late, reopened by a
/// dissatisfied complainant, and costs the window in the assessment.
@Suite(.timeLimit(.minutes(2))) struct PetitionComplaintTests {
    static func petition(_ id: String, route: Banjian_V1_PetitionRoute, unit: String = "", reply: String = "", confidential: Bool = false)
        -> Banjian_V1_CreatePetitionRequest
    {
        .with {
            $0.requestID = id
            $0.petition = .with {
                $0.channel = .visit
                $0.visitor = .with { $0.party = .with { $0.name = "王五"; $0.phone = "13800000000" }; $0.age = 52 }
                $0.content = "反映村道损坏"
                $0.route = route
                $0.assignedUnit = unit
                $0.replyPoints = reply
                $0.confidential = confidential
            }
        }
    }

    @Test func aPetitionTakesEachOfItsRoutes() async throws {
        try await TestNode.run { node in
            let (transfer, leader, secret) = try await node.client(as: .acceptor) { acceptor in
                // 当即答复: answered at registration, no clock.
                let spot = try await acceptor.supervision.createPetition(Self.petition("p1", route: .immediateReply, reply: "已当面解释政策"),
                                                                          metadata: acceptor.metadata).petition
                #expect(spot.state == .replied && !spot.hasReplyClock && spot.replyPoints == "已当面解释政策" && spot.version == 1)
                #expect(spot.number.hasPrefix("\(TestNode.township)-20250310-"))
                for (request, field) in [(Self.petition("p0", route: .immediateReply), "reply_points"),
                                         (Self.petition("p0", route: .transfer), "assigned_unit"),
                                         (Self.petition("p0", route: .unspecified), "route")] {
                    let refused = await #expect(throws: RPCError.self) {
                        _ = try await acceptor.supervision.createPetition(request, metadata: acceptor.metadata)
                    }
                    #expect(refused?.code == .invalidArgument && refused?.message.contains(field) == true, "\(String(describing: refused))")
                }
                // 受理转办: 3 working days; 领导批办: one week.
                let transfer = try await acceptor.supervision.createPetition(Self.petition("p2", route: .transfer, unit: "交通办"),
                                                                              metadata: acceptor.metadata).petition
                #expect(transfer.state == .registered && transfer.replyClock.kind == .petitionReply && transfer.replyClock.state == .running)
                #expect(transfer.replyClock.measure == .workingTime && transfer.replyClock.budgetWorkingMinutes > 0)
                let again = try await acceptor.supervision.createPetition(Self.petition("p2", route: .transfer, unit: "交通办"), metadata: acceptor.metadata)
                #expect(again.petition.number == transfer.number, "a retry returns the first")
                let leader = try await acceptor.supervision.createPetition(Self.petition("p3", route: .leaderInstruction), metadata: acceptor.metadata).petition
                #expect(leader.replyClock.measure == .elapsedTime && leader.replyClock.budgetDuration.seconds == 7 * 86_400)
                let secret = try await acceptor.supervision.createPetition(Self.petition("p4", route: .transfer, unit: "纪检", confidential: true),
                                                                            metadata: acceptor.metadata).petition
                #expect(secret.visitor.party.name == "王五", "the registrar sees the petitioner")
                return (transfer.number, leader.number, secret.number)
            }
            try await node.client(as: .handler) { handler in
                let replied = try await handler.supervision.replyPetition(.with {
                    $0.requestID = "r1"; $0.petitionNumber = transfer; $0.replyPoints = "已安排修复"
                    $0.feedbackMethod = .phone; $0.feedbackResult = "电话告知"; $0.satisfaction = .satisfied
                }, metadata: handler.metadata).petition
                #expect(replied.state == .closed && replied.replyClock.state == .stopped && replied.satisfaction == .satisfied)
                let closed = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.replyPetition(.with { $0.requestID = "r2"; $0.petitionNumber = transfer; $0.replyPoints = "x" },
                                                                    metadata: handler.metadata)
                }
                #expect(closed?.code == .failedPrecondition)
                // A leader's instruction comes first.
                let early = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.replyPetition(.with { $0.requestID = "r3"; $0.petitionNumber = leader; $0.replyPoints = "已答复" },
                                                                    metadata: handler.metadata)
                }
                #expect(early?.code == .failedPrecondition && early?.message.contains("领导批办") == true)
                let dropped = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.replyPetition(.with {
                        $0.requestID = "r5"; $0.petitionNumber = leader; $0.replyPoints = "已答复"; $0.feedbackMethod = .phone
                    }, metadata: handler.metadata)
                }
                #expect(dropped?.code == .invalidArgument && dropped?.message.contains("satisfaction") == true)
                let secret = try await handler.supervision.getPetition(.with { $0.petitionNumber = secret }, metadata: handler.metadata).petition
                #expect(secret.visitor.party.name.isEmpty, "a confidential petitioner is hidden from other staff")
            }
            try await node.client(as: .director) { director in
                let replied = try await director.supervision.replyPetition(.with {
                    $0.requestID = "r4"; $0.petitionNumber = leader; $0.replyPoints = "经研究，予以解决"
                    $0.leaderInstruction = .with { $0.text = "请交通办三日内落实" }
                }, metadata: director.metadata).petition
                #expect(replied.state == .replied && replied.leaderInstructions.count == 1 && replied.leaderInstructions[0].signer.role == .director)
                let stats = try await director.supervision.getStatistics(.with {
                    $0.period = StatisticsAssessmentTests.march
                    $0.groupBy = .node
                }, metadata: director.metadata)
                #expect(stats.total.petitions == 4 && stats.total.received == 0)
            }
        }
    }

    @Test func aComplaintEscalatesPastItsLimitIsReopenedAndCostsTheWindow() async throws {
        try await TestNode.run { node in
            let number = try await node.client(as: .acceptor) { acceptor in
                let written = await #expect(throws: RPCError.self) {
                    _ = try await acceptor.supervision.createComplaint(.with {
                        $0.requestID = "w"
                        $0.complaint = .with {
                            $0.channel = .letter; $0.complainant = .with { $0.name = "赵六" }; $0.content = "窗口推诿"
                            $0.reply = "已当面答复"; $0.replyMethod = .inPerson
                        }
                    }, metadata: acceptor.metadata)
                }
                #expect(written?.code == .invalidArgument && written?.message.contains("LETTER") == true)
                let complaint = try await acceptor.supervision.createComplaint(.with {
                    $0.requestID = "c1"
                    $0.complaint = .with {
                        $0.channel = .phone; $0.complainant = .with { $0.name = "赵六"; $0.phone = "13900000000" }
                        $0.content = "社会事务服务部工作人员态度生硬"; $0.targetDepartment = "社会事务服务部"
                    }
                }, metadata: acceptor.metadata).complaint
                #expect(complaint.state == .registered && complaint.replyClock.kind == .complaintReply && complaint.limit.workingDays == 1)
                // A second one about the same window stays unanswered.
                _ = try await acceptor.supervision.createComplaint(.with {
                    $0.requestID = "c2"
                    $0.complaint = .with {
                        $0.channel = .online; $0.complainant = .with { $0.name = "孙八" }
                        $0.content = "网上预约无人处理"; $0.targetDepartment = "社会事务服务部"
                    }
                }, metadata: acceptor.metadata)
                return complaint.number
            }
            // The next working day passes unanswered: the due rung escalates it to the county.
            node.clock.advance(by: .seconds(3 * 86_400))
            try await node.client(as: .supervisor) { supervisor in
                var complaint = Banjian_V1_Complaint()
                for _ in 0..<100 where complaint.state != .escalated {
                    complaint = try await supervisor.supervision.getComplaint(.with { $0.complaintNumber = number }, metadata: supervisor.metadata).complaint
                    if complaint.state != .escalated { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(complaint.state == .escalated && complaint.escalatedToNodeCode == TestNode.county.rawValue)
                #expect(complaint.firedRungs.contains { $0.kind == .due && $0.clockKind == .complaintReply })
                let alerts = try await supervisor.supervision.watchAlerts(.with { $0.since = .init(date: TestNode.start.date) },
                                                                          metadata: supervisor.metadata) { response in
                    var seen: [Banjian_V1_Alert] = []
                    for try await message in response.messages {
                        seen.append(message.alert)
                        if message.alert.kind == .complaintEscalated { break }
                    }
                    return seen
                }
                #expect(alerts.contains { $0.caseNumber == number && $0.clockKind == .complaintReply && $0.rungKind == .due && $0.hasDueAt })
                #expect(alerts.contains { $0.caseNumber == number && $0.kind == .complaintEscalated && $0.department == "社会事务服务部" })
            }
            try await node.client(as: .handler) { handler in
                let replied = try await handler.supervision.replyComplaint(.with {
                    $0.requestID = "a1"; $0.complaintNumber = number; $0.investigationResult = "属实"; $0.reply = "已批评教育并整改"
                    $0.replyMethod = .phone; $0.verified = true
                }, metadata: handler.metadata).complaint
                #expect(replied.state == .replied && replied.replies.count == 1 && replied.replies[0].workingDaysLate >= 1)
                let reopened = try await handler.supervision.replyComplaint(.with {
                    $0.requestID = "a2"; $0.complaintNumber = number; $0.satisfaction = .dissatisfied
                }, metadata: handler.metadata).complaint
                #expect(reopened.state == .rehandling && reopened.rehandlingCount == 1 && reopened.replyClock.state == .running)
                let opinionOnly = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.replyComplaint(.with {
                        $0.requestID = "a9"; $0.complaintNumber = number; $0.satisfaction = .satisfied; $0.verified = true
                    }, metadata: handler.metadata)
                }
                #expect(opinionOnly?.code == .invalidArgument, "verified goes with a reply")
                let notLeader = await #expect(throws: RPCError.self) {
                    _ = try await handler.supervision.replyComplaint(.with {
                        $0.requestID = "a3"; $0.complaintNumber = number; $0.reply = "再次答复"; $0.replyMethod = .phone
                    }, metadata: handler.metadata)
                }
                #expect(notLeader?.code == .permissionDenied && notLeader?.message.contains("重新办理") == true)
            }
            try await node.client(as: .director) { director in
                let closed = try await director.supervision.replyComplaint(.with {
                    $0.requestID = "a4"; $0.complaintNumber = number; $0.reply = "中心主任约谈，已整改到位"; $0.replyMethod = .inPerson
                    $0.satisfaction = .satisfied
                }, metadata: director.metadata).complaint
                #expect(closed.state == .closed && closed.replies.count == 2 && closed.rehandlingCount == 1)
                let stats = try await director.supervision.getStatistics(.with {
                    $0.period = StatisticsAssessmentTests.march
                    $0.groupBy = .window
                }, metadata: director.metadata)
                #expect(stats.total.complaints == 2 && stats.total.complaintsOverdue == 2)
                // The window: −5 for the verified complaint, −2 per working day its answer was late, and −2 per
                // working day so far for the one still unanswered (provisional until the month ends).
                let window = try #require(try await director.supervision.getAssessment(.with {
                    $0.month = .with { $0.year = 2025; $0.month = 3 }
                    $0.subjectKind = .window
                }, metadata: director.metadata).assessments.first { $0.subjectID == "社会事务服务部" })
                let verified = try #require(window.items.first { $0.ruleCode == "complaint-verified" })
                let late = try #require(window.items.first { $0.ruleCode == "complaint-late" })
                let open = try #require(window.items.first { $0.ruleCode == "complaint-late" && $0.caseNumber != number })
                #expect(verified.points == -5 && verified.caseNumber == number)
                #expect(late.caseNumber == number && late.points == -2 * Int32(late.count) && late.count >= 1)
                #expect(open.points == -2 * Int32(open.count) && open.count >= 1 && open.text.contains("尚未答复") && open.text.contains("暂计"))
                #expect(window.totalPoints == 100 - 5 - 2 * Int32(late.count) - 2 * Int32(open.count))
            }
            // The statistics and facts kept change by change equal a recount from the stored records.
            let config = node.runtime.config
            let log = CaseLog(node: config.code, parent: nil, settings: config.settings, calendar: CalendarSource(config.calendar))
            #expect(try await node.runtime.database.rebuildProjections(log, rewriting: false).countsDiffer == false)
        }
    }
}
