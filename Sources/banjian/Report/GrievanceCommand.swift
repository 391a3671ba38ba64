import ArgumentParser
import BanjianDomain
import BanjianWire
import Foundation
import SwiftProtobuf

/// `banjian petition …`: 信访 registered, answered and read at the node that handles it.
struct PetitionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petition",
        abstract: "信访: register a petition (letter, visit, call or online), answer it, read it.",
        discussion: """
            A petition is answered on the spot (--route spot, with --answer), transferred (--route transfer, with --unit; \
            3 working days), or answered after a leader's instruction (--route leader; one week). Its copy travels up to \
            every ancestor (without a confidential petitioner's name); its reply clock raises alerts like a case's. \
            Exit codes: 0 done; 65 invalid input; 66 not found; 69 node unreachable; 77 not permitted; 1 any other refusal.
            """,
        subcommands: [Register.self, Reply.self, Get.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "信访登记: register a petition.")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "letter, visit, phone or online.") var channel = "visit"
        @Option(help: "The petitioner's name.") var name: String
        @Option(help: "The petitioner's phone.") var phone = ""
        @Option(name: .customLong("contact-address"), help: "The petitioner's address or work unit.") var address = ""
        @Option(help: "反映的主要问题.") var content: String
        @Option(help: "分类.") var category = ""
        @Option(help: "spot (当即答复), transfer (受理转办) or leader (领导批办).") var route: String
        @Option(help: "承办单位, for a transfer.") var unit = ""
        @Option(help: "答复要点, for an answer on the spot.") var answer = ""
        @Flag(help: "集体访: notify the units and the leader at once.") var groupVisit = false
        @Flag(help: "Keep the petitioner's identity secret.") var confidential = false
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?

        func run() async throws {
            let channel = try GrievanceOutput.option(channel, "--channel",
                                                     ["letter": Banjian_V1_PetitionChannel.letter, "visit": .visit, "phone": .phone, "online": .online])
            let route = try GrievanceOutput.option(route, "--route",
                                                   ["spot": Banjian_V1_PetitionRoute.immediateReply, "transfer": .transfer, "leader": .leaderInstruction])
            let request = Banjian_V1_CreatePetitionRequest.with {
                $0.requestID = requestID ?? UUID().uuidString
                $0.petition = .with {
                    $0.channel = channel
                    $0.visitor = .with { $0.party = .with { $0.name = name; $0.phone = phone; $0.address = address } }
                    $0.content = content
                    $0.category = category
                    $0.route = route
                    $0.assignedUnit = unit
                    $0.replyPoints = answer
                    $0.groupVisit = groupVisit
                    $0.confidential = confidential
                }
            }
            let json = connection.json
            try await connection.call { client in
                try GrievanceOutput.print(try await client.supervision.createPetition(request, metadata: client.metadata).petition, json: json)
            }
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "答复: answer a petition, with the feedback when known; or record the feedback on an answered one.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The petition number.") var number: String
        @Option(help: "答复要点 (leave out to record only the feedback).") var answer = ""
        @Option(help: "领导批办: the leader's instruction, signed by you (a leader).") var instruction = ""
        @Option(help: "反馈方式: in-person, phone, letter, online or sms.") var method = ""
        @Option(help: "反馈结果.") var feedback = ""
        @Option(help: "The petitioner's opinion: satisfied, basicallySatisfied, dissatisfied or notEvaluated.") var satisfaction = ""
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?

        func run() async throws {
            let (method, opinion) = (try GrievanceOutput.method(method), try GrievanceOutput.satisfaction(satisfaction))
            let request = Banjian_V1_ReplyPetitionRequest.with {
                $0.requestID = requestID ?? UUID().uuidString
                $0.petitionNumber = number
                $0.replyPoints = answer
                if !instruction.isEmpty { $0.leaderInstruction = .with { $0.text = instruction } }
                $0.feedbackMethod = method
                $0.feedbackResult = feedback
                $0.satisfaction = opinion
            }
            if opinion == .unspecified, method != .unspecified || !feedback.isEmpty {
                throw ValidationError("--method and --feedback record the feedback: give --satisfaction with them")
            }
            let json = connection.json
            try await connection.call { client in
                try GrievanceOutput.print(try await client.supervision.replyPetition(request, metadata: client.metadata).petition, json: json)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read a petition of the subtree.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The petition number.") var number: String

        func run() async throws {
            let (number, json) = (number, connection.json)
            try await connection.call { client in
                try GrievanceOutput.print(try await client.supervision.getPetition(.with { $0.petitionNumber = number }, metadata: client.metadata).petition,
                                          json: json)
            }
        }
    }
}

/// `banjian complaint …`: 投诉 registered, answered and read at the node that handles it.
struct ComplaintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaint",
        abstract: "投诉: register a complaint, answer it, record the complainant's opinion, read it.",
        discussion: """
            A complaint is answered on the spot (--answer at registration), by the next working day, or when --complex within \
            the centre's complex-complaint limit. A written complaint gets a written reply (--method letter). Left unanswered \
            past its limit at a township or village, it escalates to the county's efficiency supervision. A dissatisfied \
            complainant reopens it (重新办理, answered by the director or a deputy). Copies above the handling node name no \
            complainant. Exit codes as for 'banjian petition'.
            """,
        subcommands: [Register.self, Reply.self, Get.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "投诉来访登记: register a complaint.")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "on-site, phone, letter or online.") var channel = "on-site"
        @Option(help: "投诉人.") var name: String
        @Option(help: "联系电话.") var phone = ""
        @Option(name: .customLong("contact-address"), help: "通讯地址.") var address = ""
        @Option(help: "投诉内容.") var content: String
        @Option(help: "The window complained about.") var window = ""
        @Option(help: "The department complained about (it is charged in the assessment).") var department = ""
        @Option(help: "The staff member complained about.") var staff = ""
        @Option(help: "A related case number.") var caseNumber = ""
        @Flag(help: "Complex, or involving two departments or more.") var complex = false
        @Flag(help: "A written complaint: it gets a written reply.") var written = false
        @Option(help: "An answer given on the spot.") var answer = ""
        @Option(help: "How the on-the-spot answer was given: in-person, phone, letter, online or sms.") var method = ""
        @Flag(help: "投诉属实: the on-the-spot answer found the complaint true.") var verified = false
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?

        func run() async throws {
            let wire = try GrievanceOutput.option(channel, "--channel",
                                                  ["on-site": Banjian_V1_ComplaintChannel.onSite, "phone": .phone, "letter": .letter, "online": .online])
            let method = try GrievanceOutput.method(method)
            if answer.isEmpty, method != .unspecified || verified { throw ValidationError("--method and --verified go with an on-the-spot --answer") }
            let request = Banjian_V1_CreateComplaintRequest.with {
                $0.requestID = requestID ?? UUID().uuidString
                $0.complaint = .with {
                    $0.channel = wire
                    $0.complainant = .with { $0.name = name; $0.phone = phone; $0.address = address }
                    $0.content = content
                    $0.targetWindow = window
                    $0.targetDepartment = department
                    $0.targetStaff = staff
                    $0.caseNumber = caseNumber
                    $0.complex = complex
                    $0.written = written
                    $0.reply = answer
                    $0.replyMethod = method
                    $0.verified = verified
                }
            }
            let json = connection.json
            try await connection.call { client in
                try GrievanceOutput.print(try await client.supervision.createComplaint(request, metadata: client.metadata).complaint, json: json)
            }
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "答复: answer a complaint (with the complainant's opinion when known), or record the opinion on the last answer.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The complaint number.") var number: String
        @Option(help: "调查结果.") var investigation = ""
        @Option(help: "整改通知 to the window or department.") var rectification = ""
        @Option(help: "处理结果 told to the complainant (leave out to record only the opinion).") var answer = ""
        @Option(help: "in-person, phone, letter, online or sms (letter for a written complaint).") var method = ""
        @Flag(help: "投诉属实: the investigation found the complaint true.") var verified = false
        @Option(help: "The complainant's opinion: satisfied, basicallySatisfied, dissatisfied (reopens it) or notEvaluated.") var satisfaction = ""
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?

        func run() async throws {
            let (method, opinion) = (try GrievanceOutput.method(method), try GrievanceOutput.satisfaction(satisfaction))
            if answer.isEmpty {
                guard method == .unspecified, !verified, investigation.isEmpty, rectification.isEmpty else {
                    throw ValidationError("--method, --verified, --investigation and --rectification go with --answer")
                }
                guard opinion != .unspecified else { throw ValidationError("give --answer, or the complainant's --satisfaction with the last answer") }
            }
            let request = Banjian_V1_ReplyComplaintRequest.with {
                $0.requestID = requestID ?? UUID().uuidString
                $0.complaintNumber = number
                $0.investigationResult = investigation
                $0.rectificationNotice = rectification
                $0.reply = answer
                $0.replyMethod = method
                $0.verified = verified
                $0.satisfaction = opinion
            }
            let json = connection.json
            try await connection.call { client in
                try GrievanceOutput.print(try await client.supervision.replyComplaint(request, metadata: client.metadata).complaint, json: json)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read a complaint of the subtree.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The complaint number.") var number: String

        func run() async throws {
            let (number, json) = (number, connection.json)
            try await connection.call { client in
                try GrievanceOutput.print(try await client.supervision.getComplaint(.with { $0.complaintNumber = number }, metadata: client.metadata).complaint,
                                          json: json)
            }
        }
    }
}

/// Readable tables, or JSON, for petitions and complaints.
enum GrievanceOutput {
    /// The value an option names in `table`.
    static func option<Value>(_ text: String, _ name: String, _ table: [String: Value]) throws -> Value {
        guard let value = table[text] else { throw ValidationError("\(name): one of \(table.keys.sorted().joined(separator: ", "))") }
        return value
    }

    /// `--method`: unspecified when left out.
    static func method(_ text: String) throws -> Banjian_V1_ContactMethod {
        text.isEmpty ? .unspecified
            : try option(text, "--method", ["in-person": .inPerson, "phone": .phone, "letter": .letter, "online": .online, "sms": .sms])
    }

    /// `--satisfaction`: unspecified when left out.
    static func satisfaction(_ text: String) throws -> Banjian_V1_Satisfaction {
        guard !text.isEmpty else { return .unspecified }
        guard let satisfaction = Satisfaction(rawValue: text) else {
            throw ValidationError("--satisfaction: one of \(Satisfaction.allCases.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return Banjian_V1_Satisfaction(satisfaction)
    }

    static func print(_ p: Banjian_V1_Petition, json: Bool) throws {
        if json { return CaseOutput.emit(try p.jsonString()) }
        var rows: [(String, String)] = [
            ("petition", p.number), ("state", CaseOutput.name(p.state)), ("route", CaseOutput.name(p.route)),
            ("channel", CaseOutput.name(p.channel)), ("petitioner", p.visitor.party.name.isEmpty ? "(confidential)" : p.visitor.party.name),
            ("content", p.content), ("received", "\(CaseOutput.time(p.receivedAt)) by \(p.receivedBy.name)"), ("version", "\(p.version)"),
        ]
        if !p.assignedUnit.isEmpty { rows.append(("unit", p.assignedUnit)) }
        if p.groupVisit { rows.append(("集体访", "yes")) }
        for instruction in p.leaderInstructions { rows.append(("领导批办", "\(instruction.text) (\(instruction.signer.name))")) }
        if p.hasReplyClock { rows.append(clock(p.replyClock, fired: p.firedRungs)) }
        if p.hasRepliedBy { rows.append(("答复", "\(p.replyPoints) (\(p.repliedBy.name), \(CaseOutput.time(p.repliedAt)))")) }
        if p.hasFeedbackAt { rows.append(("反馈", "\(CaseOutput.name(p.satisfaction)) \(p.feedbackResult)")) }
        CaseOutput.table(rows)
    }

    static func print(_ c: Banjian_V1_Complaint, json: Bool) throws {
        if json { return CaseOutput.emit(try c.jsonString()) }
        var rows: [(String, String)] = [
            ("complaint", c.number), ("state", CaseOutput.name(c.state)), ("channel", CaseOutput.name(c.channel)),
            ("complainant", c.complainant.name.isEmpty ? "(kept at node \(c.nodeCode))" : c.complainant.name), ("content", c.content),
            ("about", [c.targetWindow, c.targetDepartment, c.targetStaff].filter { !$0.isEmpty }.joined(separator: " / ")),
            ("received", "\(CaseOutput.time(c.receivedAt)) by \(c.receivedBy.name)"), ("limit", CaseOutput.limit(c.limit)),
            ("version", "\(c.version)"),
        ]
        if c.written { rows.append(("written", "yes: a written reply")) }
        if c.hasReplyClock { rows.append(clock(c.replyClock, fired: c.firedRungs)) }
        if !c.escalatedToNodeCode.isEmpty { rows.append(("escalated", "to \(c.escalatedToNodeCode) at \(CaseOutput.time(c.escalatedAt))")) }
        for (index, reply) in c.replies.enumerated() {
            let late = reply.workingDaysLate > 0 ? ", \(reply.workingDaysLate) working days late" : ""
            rows.append(("答复 \(index + 1)", "\(reply.reply) (\(reply.repliedBy.name), \(CaseOutput.time(reply.repliedAt))\(late)\(reply.verified ? ", 属实" : ""))"))
        }
        if c.rehandlingCount > 0 { rows.append(("重新办理", "\(c.rehandlingCount)")) }
        if c.satisfaction != .unspecified { rows.append(("opinion", CaseOutput.name(c.satisfaction))) }
        CaseOutput.table(rows)
    }

    private static func clock(_ clock: Banjian_V1_Clock, fired: [Banjian_V1_Rung]) -> (String, String) {
        let rungs = fired.filter { $0.epoch == clock.epoch }.map { CaseOutput.rung($0.kind) }
        return ("reply clock", CaseOutput.name(clock.state) + (clock.hasDueAt ? " due \(CaseOutput.time(clock.dueAt))" : "")
                + (rungs.isEmpty ? "" : ", fired \(rungs.joined(separator: " "))"))
    }
}
