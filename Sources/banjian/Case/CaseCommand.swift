import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianWire
import Foundation
import SwiftProtobuf

/// `banjian case …`: staff work on cases, over TLS with an operator token.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Work on cases at a node: intake, the transitions of a case, reads and watch.",
        discussion: "Exit codes: 0 done; 65 invalid input; 66 no such case; 69 node unreachable; 77 not authenticated or not permitted; 1 any other refusal (the server's message is printed).",
        subcommands: [
            Create.self, Get.self, List.self, Events.self, Watch.self, Notices.self, NoticeCommand.self, Refusals.self,
            Submit.self, OutOfScope.self, Supplement.self, Supply.self, Accept.self, Assign.self, JointDone.self,
            Escalate.self, Acknowledge.self, Decide.self, StepStart.self, StepEnd.self, Extend.self, ApproveExtension.self,
            Urge.self, Return.self, ReviewReturn.self, CannotHandle.self, Complete.self, Reply.self, HandOver.self,
            Feedback.self, FollowUp.self, Archive.self, Consult.self,
        ])
}

extension CaseCommand {
    /// The `--channel` of a case or a consultation.
    static func channel(_ text: String) throws -> Channel {
        guard let channel = Channel(rawValue: text) else {
            throw ValidationError("--channel: one of \(Channel.allCases.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return channel
    }

    /// Materials given as `ID:NAME` options.
    static func materials(_ texts: [String], option: String, status: Material.Status) throws -> [Material] {
        try texts.map { text in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("\(option): '\(text)' is not ID:NAME") }
            return Material(id: parts[0], name: parts[1], status: status)
        }
    }
}

/// Options of every transition: the case, the idempotency key and the version check.
struct TransitionOptions: ParsableArguments {
    @OptionGroup var connection: CaseConnectionOptions
    @Argument(help: "The case number.") var number: String
    @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?
    @Option(help: "Apply only if the case is at this version (0: any).") var expectedVersion: UInt64 = 0

    /// The node that operators named in this command belong to.
    func node() throws -> NodeCode {
        if let config = connection.config { return try NodeConfig.loadForCommand(path: config).code }
        guard let prefix = number.split(separator: "-").first, let code = NodeCode(String(prefix)) else {
            throw ValidationError("cannot tell the node: give --config")
        }
        return code
    }

    /// The node's parent, from its config; `nil` without a config or at the top of the tree.
    func parent() throws -> NodeCode? {
        try connection.config.flatMap { try NodeConfig.loadForCommand(path: $0).parent?.code }
    }

    func send(_ event: CaseEvent) async throws {
        let (number, requestID, version, json) = (number, requestID ?? UUID().uuidString, expectedVersion, connection.json)
        try await connection.call { client in
            let (record, event) = try await CaseTransitionCall.send(event, to: number, requestID: requestID, expectedVersion: version, client: client)
            try CaseOutput.print(event, json: json)
            if !json { try CaseOutput.print(record, json: false) }
        }
    }
}

extension CaseCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "受理/收件: register a new case.")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "Matter code from the node's catalogue (the node fills in its name, version and limits).") var matter: String
        @Option(help: "Applicant's name.") var applicant: String
        @Option(help: "Applicant's phone.") var phone = ""
        @Option(help: "Applicant's ID number.") var idNumber = ""
        @Option(help: "What is applied for.") var summary: String
        @Option(help: "A material as ID:NAME (repeatable); the first is the main document.") var material: [String] = []
        @Option(help: "window, letter, phone, online or agency (代办: a village agent's hand-over slip).") var channel = "window"
        @Option(help: "Agency: the hand-over slip's serial number (代理交接单 NO.).") var slip: String?
        @Option(help: "Agency: the village agent point's node code (default: the node of --config).") var village: String?
        @Option(help: "Agency: when the principal expects to collect the result (取件时间): \(CalendarTime.formats), Beijing time.")
        var pickup: String?
        @Option(help: "Agency: fees the principal prepaid, in fen.") var prepaidFen: Int64 = 0
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?

        func run() async throws {
            let channel = try CaseCommand.channel(channel)
            var materials = try CaseCommand.materials(material, option: "--material", status: .provided)
            if !materials.isEmpty { materials[0].isMainDocument = true }
            let (connection, requestID) = (connection, requestID ?? UUID().uuidString)
            guard let anyNode = NodeCode("00") else { return }
            let intake = Intake(
                number: .unassigned(origin: anyNode), channel: channel,
                applicant: Party(name: applicant, idNumber: idNumber, phone: phone), matter: MatterRef(code: matter, name: "", version: 0),
                summary: summary, materials: materials, agency: try handover(channel: channel, materials: materials))
            try await connection.call { client in
                let response = try await client.cases.createCase(.init(requestID: requestID, intake: intake), metadata: client.metadata)
                try CaseOutput.print(response.caseRecord, json: connection.json)
            }
        }

        /// The hand-over slip of an agency case; `nil` on other channels, where its options are refused.
        private func handover(channel: Channel, materials: [Material]) throws -> AgencyHandover? {
            guard channel == .agency else {
                if slip != nil || village != nil || pickup != nil || prepaidFen != 0 {
                    throw ValidationError("--slip, --village, --pickup and --prepaid-fen go with --channel agency")
                }
                return nil
            }
            guard let slip, !slip.isEmpty else { throw ValidationError("--channel agency needs --slip, the hand-over slip's serial number") }
            guard prepaidFen >= 0 else { throw ValidationError("--prepaid-fen must not be negative") }
            let code: NodeCode
            if let village {
                guard let parsed = NodeCode(village), parsed.level == .village else { throw ValidationError("--village: '\(village)' is not a 12-digit village code") }
                code = parsed
            } else if let config = connection.config {
                code = try NodeConfig.loadForCommand(path: config).code
            } else {
                throw ValidationError("--channel agency needs --village or --config")
            }
            return AgencyHandover(serialNumber: slip, village: code, materialIDs: materials.map(\.id), prepaidFen: prepaidFen,
                                  pickupAt: try pickup.map { try CalendarTime(parsing: $0).instant(in: .shanghai) })
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "代办: the village agent hands an agency case to the township centre.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The township centre's node code (default: the township of the village).") var to: String?
        func run() async throws {
            let township: NodeCode
            if let to {
                guard let parsed = NodeCode(to) else { throw ValidationError("--to: '\(to)' is not a node code") }
                township = parsed
            } else {
                let village = try transition.node()
                guard village.level == .village, let parent = NodeCode(String(village.rawValue.prefix(9))) else {
                    throw ValidationError("--to: name the township; \(village) is not a village")
                }
                township = parent
            }
            try await transition.send(.agencySubmitted(to: township))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one case.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The case number.") var number: String
        func run() async throws {
            let (connection, number) = (connection, number)
            try await connection.call { client in
                try CaseOutput.print(try await client.cases.getCase(.with { $0.caseNumber = number }, metadata: client.metadata).caseRecord,
                                     json: connection.json)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases, newest first.")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "State (repeatable): received, handling, completed, …") var state: [String] = []
        @Option(help: "Kind (repeatable): immediate, promised, joint, supplement, returned or escalated.") var kind: [String] = []
        @Option(help: "Matter code.") var matter: String?
        @Option(help: "Handler's operator id.") var handler: String?
        @Flag(help: "Only cases with a breached, running clock.") var overdue = false
        @Option(help: "Only cases received at or after this time: \(CalendarTime.formats), Beijing time.") var receivedFrom: String?
        @Option(help: "Only cases received before this time (a date: before that day begins).") var receivedBefore: String?
        @Option(help: "Only cases held by this node or its subtree.") var node: String?
        @Option(help: "Cases per page (1...500).") var pageSize: Int32 = 50
        @Option(help: "Continue from a previous page.") var pageToken = ""

        func run() async throws {
            func values<E: SwiftProtobuf.Enum & CaseIterable>(_ names: [String], _ option: String) throws -> [E] {
                try names.map { name in
                    guard let value = E.allCases.first(where: { "\($0)".lowercased() == name.lowercased() }) else {
                        throw ValidationError("--\(option): unknown \(option) '\(name)'")
                    }
                    return value
                }
            }
            let states: [Banjian_V1_CaseState] = try values(state, "state")
            let kinds: [Banjian_V1_CaseKind] = try values(kind, "kind")
            let from = try receivedFrom.map { try CalendarTime(parsing: $0).instant(in: .shanghai) }
            let before = try receivedBefore.map { try CalendarTime(parsing: $0).instant(in: .shanghai) }
            let request = Banjian_V1_ListCasesRequest.with {
                $0.states = states
                $0.kinds = kinds
                $0.nodeCode = node ?? ""
                $0.matterCode = matter ?? ""
                $0.handlerOperatorID = handler ?? ""
                $0.overdueOnly = overdue
                if from != nil || before != nil {
                    $0.received = .with { range in
                        if let from { range.start = .init(date: from) }
                        if let before { range.end = .init(date: before) }
                    }
                }
                $0.pageSize = pageSize
                $0.pageToken = pageToken
            }
            let json = connection.json
            try await connection.call { client in
                let page = try await client.cases.listCases(request, metadata: client.metadata)
                try CaseOutput.list(page.cases, next: page.nextPageToken, json: json)
            }
        }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A case's event log, oldest first.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The case number.") var number: String
        func run() async throws {
            let (connection, number) = (connection, number)
            try await connection.call { client in
                var token = ""
                repeat {
                    let page = try await client.cases.listCaseEvents(.with { $0.caseNumber = number; $0.pageToken = token }, metadata: client.metadata)
                    for event in page.events { try CaseOutput.print(event, json: connection.json) }
                    token = page.nextPageToken
                } while !token.isEmpty
            }
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a case's events, then new ones as they happen (Ctrl-C ends).")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The case number.") var number: String
        @Option(help: "Start after this version (0: the whole log).") var after: UInt64 = 0
        func run() async throws {
            let (connection, number, after) = (connection, number, after)
            try await connection.call { client in
                try await client.cases.watchCase(.with { $0.caseNumber = number; $0.afterVersion = after }, metadata: client.metadata) { response in
                    for try await message in response.messages {
                        try CaseOutput.print(message.event, json: connection.json)
                    }
                }
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "受理: accept as immediate (即办), promised (承诺), joint (联办) or escalated (上报).",
            discussion: "The limits come from the node's catalogue; --promised-days may only shorten the promise. A matter the node may not decide can only be accepted as escalated.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "immediate, promised, joint or escalated.") var route = "promised"
        @Option(help: "Handling department (joint: the lead department).") var department = "综合服务窗口"
        @Option(help: "Handler's operator id.") var handlerId = "handler-1"
        @Option(help: "Handler's name.") var handlerName = "张承办"
        @Option(help: "Joint: a participating department besides the lead (repeatable).") var jointDepartment: [String] = []
        @Option(help: "Escalated: the upper node's code (default: the parent in the node's config).") var target: String?
        @Option(help: "Escalated: the preliminary review opinion (初步审查意见).") var opinion: String?
        @Option(help: "A promise shorter than the catalogue's, in working days.") var promisedDays: Int?
        func run() async throws {
            let handler = Actor(operatorID: handlerId, name: handlerName, role: .handler, node: try transition.node())
            let assignment = Assignment(department: department, handler: handler)
            let limits = CaseLimits(promised: promisedDays.map { .workingDays($0) })
            let route: Acceptance.Route
            switch self.route {
            case "immediate": route = .immediate
            case "promised": route = .promised(assignment)
            case "joint": route = .joint(lead: department, departments: [department] + jointDepartment, handler: assignment)
            case "escalated": route = .escalated(try EscalationPlan(cli: target, opinion: opinion, parent: transition.parent()), handler: assignment)
            default: throw ValidationError("--route: immediate, promised, joint or escalated")
            }
            try await transition.send(.accepted(Acceptance(route: route, limits: limits)))
        }
    }

    struct Supplement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "一次性告知: list the missing materials once.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "A missing material as ID:NAME (repeatable).") var missing: [String]
        @Option(help: "Note to the applicant.") var note = ""
        func run() async throws {
            let materials = try CaseCommand.materials(missing, option: "--missing", status: .missing)
            try await transition.send(.supplementRequested(SupplementRequest(missing: materials, note: note)))
        }
    }

    struct Supply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record supplied materials by id.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "Material id (repeatable).") var material: [String]
        func run() async throws { try await transition.send(.materialsSupplied(materialIDs: material)) }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name or change the full-process handler.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "Department.") var department: String
        @Option(help: "Handler's operator id.") var handlerId: String
        @Option(help: "Handler's name.") var handlerName: String
        func run() async throws {
            let handler = Actor(operatorID: handlerId, name: handlerName, role: .handler, node: try transition.node())
            try await transition.send(.handlerAssigned(Assignment(department: department, handler: handler)))
        }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "办结: record the result (the case's handler or a leader).")
        @OptionGroup var transition: TransitionOptions
        @OptionGroup var decision: DecisionOptions
        func run() async throws { try await transition.send(.completed(try decision.decision())) }
    }

    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "退回: return with a written reason.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "Category: incompleteDocuments, mainDocumentMissing, other, …") var category = "other"
        @Option(help: "The reason, in writing.") var reason: String
        @Option(help: "The applicant's appeal rights.") var appealRights = "可依法申请行政复议或提起行政诉讼"
        func run() async throws {
            guard let value = ReturnCategory(rawValue: category) else { throw ValidationError("--category: unknown '\(category)'") }
            try await transition.send(.returned(category: value, reason: reason, appealRights: appealRights))
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "上报: forward a case in handling to the upper level with the preliminary opinion.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The upper node's code (default: the parent in the node's config).") var target: String?
        @Option(help: "The preliminary review opinion (初步审查意见).") var opinion: String
        func run() async throws {
            try await transition.send(.escalated(try EscalationPlan(cli: target, opinion: opinion, parent: transition.parent())))
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "At the upper node: issue the 决定受理通知书 for an escalated case.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The 决定受理通知书's number.") var noticeNumber: String
        func run() async throws { try await transition.send(.escalationAcknowledged(noticeNumber: noticeNumber)) }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "At the upper node: decide an escalated case; the result travels down.")
        @OptionGroup var transition: TransitionOptions
        @OptionGroup var decision: DecisionOptions
        func run() async throws { try await transition.send(.escalationDecided(try decision.decision())) }
    }

    struct JointDone: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "joint-done", abstract: "联办: one department finished its part.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The department.") var department: String
        @Option(help: "approved, refused or done.") var outcome = "done"
        @Option(help: "The department's opinion.") var opinion: String?
        func run() async throws {
            try await transition.send(.jointDepartmentCompleted(department: department, outcome: try DecisionOptions.outcome(outcome),
                                                               opinion: opinion.map { Opinion(text: $0) }))
        }
    }

    struct StepStart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "step-start", abstract: "Start a special step (hearing, survey, …); pauses the clocks.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "hearing, testing, appraisal, expertReview, siteSurvey or publicNotice.") var kind: String
        @Option(help: "What is done, and the applicant told (by SMS).") var note = ""
        func run() async throws {
            guard let value = SpecialStep.Kind(rawValue: kind) else { throw ValidationError("--kind: unknown '\(kind)'") }
            try await transition.send(.specialStepStarted(kind: value, note: note, expectedEndAt: nil))
        }
    }

    struct StepEnd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "step-end", abstract: "End the running special step; resumes the clocks.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The step's outcome.") var outcome = ""
        func run() async throws { try await transition.send(.specialStepEnded(outcome: outcome)) }
    }

    struct OutOfScope: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "out-of-scope", abstract: "非受理范围: tell the applicant where to apply instead.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The competent unit or window.") var unit: String
        @Option(help: "Its contact.") var contact = ""
        func run() async throws { try await transition.send(.declaredOutOfScope(Referral(unit: unit, contact: contact))) }
    }

    struct CannotHandle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cannot-handle", abstract: "不能办理: the handler writes the reason and signs.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The reason.") var reason: String
        func run() async throws { try await transition.send(.cannotHandle(reason: reason)) }
    }

    struct ReviewReturn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review-return", abstract: "否定报备: the responsible leader upholds the last refusal, or overturns it and the case reopens.")
        @OptionGroup var transition: TransitionOptions
        @Flag(help: "The refusal was unlawful: reopen the case (a note is required).") var overturn = false
        @Option(help: "The leader's finding.") var note = ""
        func run() async throws { try await transition.send(.returnReviewed(upheld: !overturn, note: note)) }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "延期: ask for more working days, with a reason.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "Working days asked for.") var days: Int
        @Option(help: "The reason.") var reason: String
        @Option(help: "The clock: promised or statutory.") var clock = "promised"
        func run() async throws {
            guard let kind = ClockKind(rawValue: clock) else { throw ValidationError("--clock: unknown '\(clock)'") }
            try await transition.send(.extensionRequested(clock: kind, workingDays: days, reason: reason))
        }
    }

    struct ApproveExtension: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve-extension", abstract: "Decide the pending extension (a leader).")
        @OptionGroup var transition: TransitionOptions
        @Flag(help: "Refuse instead of approving.") var refuse = false
        @Option(help: "The leader's note.") var note = ""
        func run() async throws { try await transition.send(.extensionDecided(approved: !refuse, note: note)) }
    }

    struct Urge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "催办: urge the handler with a 催办单.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "Why.") var reason: String
        @Option(help: "The centre director's instruction on the slip (中心主任批办).") var instruction: String?
        func run() async throws { try await transition.send(.urged(reason: reason, directorInstruction: instruction.map { Opinion(text: $0) })) }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "回复: hand the result back to acceptance.")
        @OptionGroup var transition: TransitionOptions
        func run() async throws { try await transition.send(.replied) }
    }

    struct HandOver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "handover", abstract: "移交: the result reaches the applicant.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "Who received it.") var recipient: String
        @Option(help: "inPerson, post, agent or online.") var method = "inPerson"
        func run() async throws {
            guard let value = BanjianDomain.HandOver.Method(rawValue: method) else { throw ValidationError("--method: unknown '\(method)'") }
            try await transition.send(.handedOver(recipient: recipient, method: value, recipientSigned: true))
        }
    }

    struct Feedback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "反馈: the applicant's satisfaction.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "satisfied, basicallySatisfied, dissatisfied, or notEvaluated when the applicant declines.") var satisfaction = "satisfied"
        @Option(help: "The applicant's comment.") var comment = ""
        func run() async throws {
            guard let value = Satisfaction(rawValue: satisfaction) else { throw ValidationError("--satisfaction: unknown '\(satisfaction)'") }
            try await transition.send(.feedbackRecorded(satisfaction: value, comment: comment))
        }
    }

    struct FollowUp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow-up",
            abstract: "回访: the director (or deputy) records the follow-up of a dissatisfied applicant.",
            discussion: "A dissatisfied applicant opens it, with its own limit; a verified dissatisfaction counts in the assessment. The case is archived after it.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "verified (不满意属实) or unfounded (不属实).") var outcome: String
        @Option(help: "回访情况: what the follow-up found.") var note: String
        func run() async throws {
            guard let value = FollowUpOutcome(rawValue: outcome) else { throw ValidationError("--outcome: '\(outcome)' is not verified or unfounded") }
            try await transition.send(.followUpRecorded(outcome: value, note: note))
        }
    }

    struct Consult: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "咨询登记: register a consultation that is not a case (it counts in the statistics and travels up).")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "What was asked.") var topic: String
        @Option(help: "window, phone, online, letter or agency.") var channel = "window"
        @Option(help: "The matter asked about, if any.") var matter = ""
        @Option(help: "The window that answered, if any.") var department = ""
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?

        func run() async throws {
            let wire = Banjian_V1_CaseChannel(try CaseCommand.channel(channel))
            let (topic, matter, department, requestID, json) = (topic, matter, department, requestID ?? UUID().uuidString, connection.json)
            try await connection.call { client in
                let consultation = try await client.cases.recordConsultation(.with {
                    $0.requestID = requestID
                    $0.consultation = .with {
                        $0.channel = wire
                        $0.topic = topic
                        $0.matterCode = matter
                        $0.department = department
                    }
                }, metadata: client.metadata).consultation
                if json { return CaseOutput.emit(try consultation.jsonString()) }
                CaseOutput.emit("consultation \(consultation.number) by \(consultation.answeredBy.name) at \(CaseOutput.time(consultation.consultedAt))")
            }
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "归档: file the case (once its satisfaction, and any follow-up, is recorded).")
        @OptionGroup var transition: TransitionOptions
        func run() async throws { try await transition.send(.archived) }
    }
}

/// The result of a case as options: 办结 at this node, or the upper level's decision.
struct DecisionOptions: ParsableArguments {
    @Option(help: "approved, refused or done.") var outcome = "approved"
    @Option(help: "What was done.") var summary: String
    @Option(help: "The handler's handling opinion.") var opinion = ""
    @Option(help: "The reviewer's opinion (复核意见).") var review = "复核无误"

    static func outcome(_ text: String) throws -> Outcome {
        let outcomes: [String: Outcome] = ["approved": .approved, "refused": .refused, "done": .done]
        guard let value = outcomes[text] else { throw ValidationError("--outcome: approved, refused or done") }
        return value
    }

    func decision() throws -> Decision {
        Decision(outcome: try Self.outcome(outcome), summary: summary, handlingOpinion: opinion, review: Opinion(text: review))
    }
}

extension EscalationPlan {
    /// A plan from the CLI's options: the target defaults to the node's parent from its config.
    init(cli target: String?, opinion: String?, parent: NodeCode?) throws {
        guard let opinion, !opinion.isEmpty else { throw ValidationError("--opinion: an escalation needs the preliminary review opinion") }
        let code: NodeCode
        if let target {
            guard let parsed = NodeCode(target) else { throw ValidationError("--target: '\(target)' is not a node code") }
            code = parsed
        } else {
            guard let parent else { throw ValidationError("--target: name the upper node (no parent in the config)") }
            code = parent
        }
        self.init(target: code, preliminaryOpinion: Opinion(text: opinion))
    }
}
