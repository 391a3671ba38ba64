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
            Create.self, Get.self, List.self, Events.self, Watch.self,
            Submit.self, Accept.self, Supplement.self, Supply.self, Assign.self, Complete.self, Return.self, Escalate.self,
            Extend.self, ApproveExtension.self, Urge.self, Reply.self, HandOver.self, Feedback.self, Archive.self,
        ])
}

extension CaseCommand {
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
        @Option(help: "Matter code from the catalogue.") var matter: String
        @Option(help: "Matter name (default: the catalogue's).") var matterName: String?
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
            let channels: [String: Channel] = ["window": .window, "letter": .letter, "phone": .phone, "online": .online, "agency": .agency]
            guard let channel = channels[channel] else { throw ValidationError("--channel: one of \(channels.keys.sorted().joined(separator: ", "))") }
            var materials = try CaseCommand.materials(material, option: "--material", status: .provided)
            if !materials.isEmpty { materials[0].isMainDocument = true }
            let (connection, matter, matterName, requestID) = (connection, matter, matterName, requestID ?? UUID().uuidString)
            guard let anyNode = NodeCode("00") else { return }
            let intake = Intake(
                number: .unassigned(origin: anyNode), channel: channel,
                applicant: Party(name: applicant, idNumber: idNumber, phone: phone), matter: MatterRef(code: matter, name: matterName ?? matter),
                summary: summary, materials: materials, agency: try handover(channel: channel, materials: materials))
            try await connection.call { client in
                var name = matterName
                if name == nil {
                    name = try await client.catalog.getMatter(.with { $0.matterCode = matter }, metadata: client.metadata).matter.name
                }
                var opening = intake
                opening.matter.name = name ?? matter
                let response = try await client.cases.createCase(.init(requestID: requestID, intake: opening), metadata: client.metadata)
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
        static let configuration = CommandConfiguration(abstract: "受理: accept as immediate or promised, naming the handler.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "immediate or promised.") var route = "promised"
        @Option(help: "Handling department.") var department = "综合服务窗口"
        @Option(help: "Handler's operator id.") var handlerId = "handler-1"
        @Option(help: "Handler's name.") var handlerName = "张承办"
        @Option(help: "Promised limit in working days (default: the matter's).") var promisedDays: Int?
        func run() async throws {
            let handler = Actor(operatorID: handlerId, name: handlerName, role: .handler, node: try transition.node())
            let limits = CaseLimits(promised: promisedDays.map { .workingDays($0) })
            switch route {
            case "immediate": try await transition.send(.accepted(Acceptance(route: .immediate, limits: limits)))
            case "promised": try await transition.send(.accepted(Acceptance(route: .promised(Assignment(department: department, handler: handler)), limits: limits)))
            default: throw ValidationError("--route: immediate or promised")
            }
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
        static let configuration = CommandConfiguration(abstract: "办结: record the result.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "approved, refused or done.") var outcome = "approved"
        @Option(help: "What was done.") var summary: String
        @Option(help: "The handler's handling opinion.") var opinion = ""
        @Option(help: "The reviewer's opinion (复核意见).") var review = "复核无误"
        func run() async throws {
            let outcomes: [String: Outcome] = ["approved": .approved, "refused": .refused, "done": .done]
            guard let value = outcomes[outcome] else { throw ValidationError("--outcome: approved, refused or done") }
            try await transition.send(.completed(Decision(outcome: value, summary: summary, handlingOpinion: opinion, review: Opinion(text: review))))
        }
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
        static let configuration = CommandConfiguration(abstract: "上报: forward to the upper level with the preliminary opinion.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "The upper node's code.") var target: String
        @Option(help: "The preliminary review opinion.") var opinion: String
        func run() async throws {
            guard let node = NodeCode(target) else { throw ValidationError("--target: not a node code") }
            try await transition.send(.escalated(EscalationPlan(target: node, preliminaryOpinion: Opinion(text: opinion))))
        }
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
        static let configuration = CommandConfiguration(abstract: "催办: urge the handler.")
        @OptionGroup var transition: TransitionOptions
        @Option(help: "Why.") var reason: String
        func run() async throws { try await transition.send(.urged(reason: reason, directorInstruction: nil)) }
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
        @Option(help: "satisfied, basicallySatisfied or dissatisfied.") var satisfaction = "satisfied"
        @Option(help: "The applicant's comment.") var comment = ""
        func run() async throws {
            guard let value = Satisfaction(rawValue: satisfaction) else { throw ValidationError("--satisfaction: unknown '\(satisfaction)'") }
            try await transition.send(.feedbackRecorded(satisfaction: value, comment: comment))
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "归档: file the case.")
        @OptionGroup var transition: TransitionOptions
        func run() async throws { try await transition.send(.archived) }
    }
}
