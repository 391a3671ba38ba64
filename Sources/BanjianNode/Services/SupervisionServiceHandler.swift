import BanjianDomain
import BanjianStore
import BanjianWire
import Foundation
import GRPCCore

/// SupervisionService, answering for the node's subtree: link status, overdue cases, the alert
/// stream, statistics, the assessment, 督办 orders, petitions and complaints.
struct SupervisionServiceHandler: Banjian_V1_SupervisionService.ServiceProtocol {
    let node: NodeContext
    let links: LinkSettings
    let registry: LinkRegistry

    func getLinkStatus(request: ServerRequest<Banjian_V1_GetLinkStatusRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetLinkStatusResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            var only: NodeCode?
            if !request.message.peerNodeCode.isEmpty {
                guard let code = NodeCode(request.message.peerNodeCode) else {
                    throw WireValidationError("peer_node_code", "'\(request.message.peerNodeCode)' is not a node code")
                }
                only = code
            }
            let now = node.now()
            let entries = try await LinkStatusReport.make(parent: node.parent, children: links.children, registry: registry,
                                                          database: node.database, only: only)
            if let only, entries.isEmpty { throw RPCError(code: .notFound, message: "node \(only) is not linked with node \(node.code)") }
            var response = Banjian_V1_GetLinkStatusResponse()
            response.links = entries.map { entry in
                var status = Banjian_V1_LinkStatus()
                status.peerNodeCode = entry.peer.rawValue
                status.peerLevel = Banjian_V1_NodeLevel(entry.peer.level)
                status.direction = entry.isParent ? .parent : .child
                status.state = entry.connected ? .connected : .disconnected
                if let since = entry.since { status.since = .init(date: since) }
                status.outboxDepth = UInt64(entry.ledger.outboxDepth)
                if let oldest = entry.ledger.oldestUnacked { status.lag = .init(timeInterval: max(0, now.timeIntervalSince(oldest))) }
                status.lastAckedSequence = entry.ledger.ackedThrough
                if let acked = entry.ledger.ackedAt { status.lastAckAt = .init(date: acked) }
                status.lastAppliedSequence = entry.ledger.appliedThrough
                status.peerSoftwareVersion = entry.peerSoftware
                return status
            }
            return ServerResponse(message: response)
        }
    }

    /// Alerts of the subtree (rungs 预警, 到期, 催办, 督办, 上报; cases returned; applicants
    /// dissatisfied; links down too long): first those since the request's resume token or
    /// instant, then live, until the node shuts down. Leaders, supervisors and auditors.
    func watchAlerts(request: ServerRequest<Banjian_V1_WatchAlertsRequest>, context: ServerContext)
        async throws -> StreamingServerResponse<Banjian_V1_WatchAlertsResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata, allowed: Role.leaders.union([.supervisor, .auditor]))
            let query = try request.message.validated()
            // Subscribe before reading the journal, so that no alert falls between the two.
            let live = node.hub.subscribeAlerts()
            let start: Int64 = if let after = query.afterSequence {
                after
            } else if let since = query.since {
                try await node.database.alertSequence(before: since)
            } else {
                try await node.database.latestAlertSequence()
            }
            return StreamingServerResponse { writer in
                var sent = start
                func sendJournal() async throws {
                    while true {
                        let alerts = try await node.database.alerts(query, after: sent, limit: 500)
                        let calendar = node.log.machine.calendar
                        for alert in alerts {
                            let due: Date? = switch alert.kind {
                            case .rung(let key): alert.record?.clocks[key.clock]?.due(calendar: calendar)?.instant
                            case .grievance(.rung(let key), let record, _):
                                record.replyClock.flatMap { $0.epoch == key.epoch ? $0.due(calendar: calendar)?.instant : nil }
                            default: nil
                            }
                            try await writer.write(.with {
                                $0.alert = Banjian_V1_Alert(alert, dueAt: due)
                                $0.resumeToken = alert.resumeToken
                            })
                            sent = alert.sequence
                        }
                        if alerts.count < 500 { return }
                    }
                }
                try await sendJournal()
                // Alerts are journaled in the transactions that raise them; the commit wakes the stream.
                for await _ in live { try await sendJournal() }
                return [:]
            }
        }
    }
    /// Running promised and statutory clocks past due across the subtree (its copies included),
    /// longest overdue first: leaders, supervisors and auditors.
    func listOverdueCases(request: ServerRequest<Banjian_V1_ListOverdueCasesRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ListOverdueCasesResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata, allowed: Role.leaders.union([.supervisor, .auditor]))
            let query = try request.message.validated()
            let page = try await node.database.overdueClocks(query, now: node.now(), calendar: node.log.machine.calendar)
            var response = Banjian_V1_ListOverdueCasesResponse()
            response.cases = page.clocks.map(Banjian_V1_OverdueCase.init)
            response.nextPageToken = page.next?.pageToken ?? ""
            return ServerResponse(message: response)
        }
    }

    /// Case statistics of the subtree for the cases received in a period, grouped: leaders,
    /// supervisors and auditors.
    func getStatistics(request: ServerRequest<Banjian_V1_GetStatisticsRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetStatisticsResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata, allowed: Role.leaders.union([.supervisor, .auditor]))
            let query = try request.message.validated(zone: node.log.machine.calendar.zone)
            let answer = try await node.database.statistics(query)
            var response = Banjian_V1_GetStatisticsResponse()
            response.rows = answer.rows.map(Banjian_V1_StatisticsRow.init)
            response.total = Banjian_V1_StatisticsRow(key: "total", label: "合计", node: nil, figures: answer.total)
            return ServerResponse(message: response)
        }
    }

    /// The monthly assessment of the subtree's windows or staff under the centre's scheme,
    /// ranked: leaders, supervisors and auditors.
    func getAssessment(request: ServerRequest<Banjian_V1_GetAssessmentRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetAssessmentResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata, allowed: Role.leaders.union([.supervisor, .auditor]))
            let asked = try request.message.validated()
            let machine = node.log.machine
            var assessments = try await node.database.assessments(
                asked.month, kind: asked.kind, subtree: asked.subtree, scheme: machine.settings.assessment, now: node.now(),
                calendar: machine.calendar)
            if let subject = asked.subjectID {
                assessments = assessments.filter { $0.subject.id == subject }
                if assessments.isEmpty { throw RPCError(code: .notFound, message: "no \(asked.kind.rawValue) '\(subject)' was assessed in \(asked.month)") }
            }
            var response = Banjian_V1_GetAssessmentResponse()
            response.assessments = assessments.map(Banjian_V1_Assessment.init)
            return ServerResponse(message: response)
        }
    }
    /// Issues a 督办 order on a case held in the subtree: recorded at once when this node holds
    /// the case, else sent down the links to its holder. Supervisors, deputies and directors.
    func issueSupervisionOrder(request: ServerRequest<Banjian_V1_IssueSupervisionOrderRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_IssueSupervisionOrderResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata, allowed: [.supervisor, .deputy, .director])
            let asked = try request.message.validated()
            let order = SupervisionOrder(number: "", issuingNode: node.code, target: node.code, caseNumber: asked.caseNumber,
                                         instruction: asked.instruction, respondWithin: asked.respondWithin, issuedBy: actor, issuedAt: node.now())
            _ = try await node.writer.submitAll([CaseWrite(.issueOrder(order), requestID: asked.requestID, actor: actor, at: order.issuedAt)])
            guard let issued = try await node.database.issuedOrder(operatorID: actor.operatorID, requestID: asked.requestID) else {
                throw RPCError(code: .internalError, message: "the order was not kept")
            }
            return ServerResponse(message: .with { $0.order = Banjian_V1_SupervisionOrder(issued) })
        }
    }

    /// The holder answers a 督办 order; the answer travels up with the case's events.
    func answerSupervisionOrder(request: ServerRequest<Banjian_V1_AnswerSupervisionOrderRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_AnswerSupervisionOrderResponse>
    {
        try await node.transition(request)
    }
    /// Registers a petition (信访登记): answered on the spot, or transferred, or for a leader's
    /// instruction, with its reply clock. Staff of the node, not auditors.
    func createPetition(request: ServerRequest<Banjian_V1_CreatePetitionRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_CreatePetitionResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata)
            let (requestID, form) = try request.message.validated()
            let record = try await register(.petition(form), requestID: requestID, by: actor)
            guard case .petition(let petition) = record else { throw RPCError(code: .alreadyExists, message: "request id '\(requestID)' named a complaint") }
            return ServerResponse(message: .with { $0.petition = Banjian_V1_Petition(petition.readable(by: actor), calendar: calendar, now: node.now()) })
        }
    }

    /// A petition of the subtree; a confidential petitioner is shown to its registrar, handler and
    /// the leaders of its node only.
    func getPetition(request: ServerRequest<Banjian_V1_GetPetitionRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetPetitionResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata)
            guard case .petition(let petition) = try await find(request.message.petitionNumber, "petition_number") else {
                throw RPCError(code: .notFound, message: "no petition \(request.message.petitionNumber)")
            }
            return ServerResponse(message: .with { $0.petition = Banjian_V1_Petition(petition.readable(by: actor), calendar: calendar, now: node.now()) })
        }
    }

    /// Answers a petition (答复要点), with the feedback when known; or records the feedback.
    func replyPetition(request: ServerRequest<Banjian_V1_ReplyPetitionRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ReplyPetitionResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata)
            let asked = try request.message.validated()
            let reply = GrievanceReply.petition(points: asked.points, instruction: asked.instruction, method: asked.method, result: asked.result,
                                                satisfaction: asked.satisfaction)
            guard case .petition(let petition) = try await answer(asked.number, reply, requestID: asked.requestID, by: actor) else {
                throw RPCError(code: .notFound, message: "no petition \(asked.number)")
            }
            return ServerResponse(message: .with { $0.petition = Banjian_V1_Petition(petition.readable(by: actor), calendar: calendar, now: node.now()) })
        }
    }

    /// Registers a complaint (投诉来访登记): answered on the spot, or within the next working day,
    /// or within the complex-complaint limit. Staff of the node, not auditors.
    func createComplaint(request: ServerRequest<Banjian_V1_CreateComplaintRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_CreateComplaintResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata)
            let (requestID, form) = try request.message.validated()
            guard case .complaint(let complaint) = try await register(.complaint(form), requestID: requestID, by: actor) else {
                throw RPCError(code: .alreadyExists, message: "request id '\(requestID)' named a petition")
            }
            return ServerResponse(message: .with { $0.complaint = Banjian_V1_Complaint(complaint, calendar: calendar, now: node.now()) })
        }
    }

    /// A complaint of the subtree; a copy from below names no complainant.
    func getComplaint(request: ServerRequest<Banjian_V1_GetComplaintRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_GetComplaintResponse>
    {
        try await node.rpc {
            _ = try await node.directory.actor(for: request.metadata)
            guard case .complaint(let complaint) = try await find(request.message.complaintNumber, "complaint_number") else {
                throw RPCError(code: .notFound, message: "no complaint \(request.message.complaintNumber)")
            }
            return ServerResponse(message: .with { $0.complaint = Banjian_V1_Complaint(complaint, calendar: calendar, now: node.now()) })
        }
    }

    /// Answers a complaint, or records the complainant's opinion (不满意 reopens it).
    func replyComplaint(request: ServerRequest<Banjian_V1_ReplyComplaintRequest>, context: ServerContext)
        async throws -> ServerResponse<Banjian_V1_ReplyComplaintResponse>
    {
        try await node.rpc {
            let actor = try await node.directory.actor(for: request.metadata)
            let asked = try request.message.validated()
            guard case .complaint(let complaint) = try await answer(asked.number, .complaint(asked.reply, satisfaction: asked.satisfaction),
                                                                    requestID: asked.requestID, by: actor) else {
                throw RPCError(code: .notFound, message: "no complaint \(asked.number)")
            }
            return ServerResponse(message: .with { $0.complaint = Banjian_V1_Complaint(complaint, calendar: calendar, now: node.now()) })
        }
    }

    private var calendar: WorkingCalendar { node.log.machine.calendar }

    private func register(_ form: GrievanceForm, requestID: String, by actor: Actor) async throws -> Grievance {
        _ = try await node.writer.submitAll([CaseWrite(.registerGrievance(form), requestID: requestID, actor: actor, at: node.now())])
        guard let record = try await node.database.grievance(operatorID: actor.operatorID, requestID: requestID) else {
            throw RPCError(code: .internalError, message: "the record was not kept")
        }
        return record
    }

    private func answer(_ number: CaseNumber, _ reply: GrievanceReply, requestID: String, by actor: Actor) async throws -> Grievance {
        _ = try await node.writer.submitAll([CaseWrite(.replyGrievance(number, reply), requestID: requestID, actor: actor, at: node.now())])
        guard let record = try await node.database.grievance(number) else { throw RPCError(code: .notFound, message: "no \(number)") }
        return record
    }

    private func find(_ text: String, _ field: String) async throws -> Grievance {
        guard let number = CaseNumber(text) else { throw WireValidationError(field, "'\(text)' is not a petition or complaint number") }
        guard let record = try await node.database.grievance(number) else { throw RPCError(code: .notFound, message: "no petition or complaint \(number)") }
        return record
    }
}

extension Petition {
    /// The petition as `reader` may see it: a confidential petitioner only for its registrar, its
    /// handler and the leaders of its node.
    func readable(by reader: Actor) -> Petition {
        guard confidential, reader.node == number.origin else { return redacted }
        let entitled = reader.operatorID == receivedBy.operatorID || reader.operatorID == assignedHandler?.operatorID || Role.leaders.contains(reader.role)
        return entitled ? self : redacted
    }
}
