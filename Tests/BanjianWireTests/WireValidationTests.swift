import BanjianDomain
import Foundation
import SwiftProtobuf
import Testing
@testable import BanjianWire

@Suite("Wire validation")
struct WireValidationTests {
    /// A valid CreateCase request to break one field at a time.
    static var validCreate: Banjian_V1_CreateCaseRequest {
        var request = Banjian_V1_CreateCaseRequest()
        request.requestID = "req-0001"
        request.received = Banjian_V1_CaseReceived()
        guard case .received(let body) = Banjian_V1_CaseEvent.OneOf_Body(.received(W.intake)) else { return request }
        request.received = body
        return request
    }

    static let createCases: [(String, @Sendable (inout Banjian_V1_CreateCaseRequest) -> Void, String)] = [
        ("empty request id", { $0.requestID = "" }, "request_id: must not be empty"),
        ("oversize request id", { $0.requestID = String(repeating: "r", count: 65) }, "request_id: longer than 64 characters"),
        ("request id with spaces", { $0.requestID = "a b" }, "request_id: must be printable ASCII"),
        ("missing body", { $0.clearReceived() }, "received: must be set"),
        ("unspecified channel", { $0.received.channel = .unspecified }, "received.channel: must be set"),
        ("unknown channel", { $0.received.channel = .UNRECOGNIZED(42) }, "received.channel: unknown value 42"),
        ("missing applicant", { $0.received.clearApplicant() }, "received.applicant: must be set"),
        ("empty applicant name", { $0.received.applicant.name = "  " }, "received.applicant.name: must not be empty"),
        ("oversize applicant name", { $0.received.applicant.name = String(repeating: "张", count: 65) }, "received.applicant.name: longer than 64 characters"),
        ("control character", { $0.received.applicant.name = "张\u{7}三" }, "received.applicant.name: contains a control character U+7"),
        ("bad phone", { $0.received.applicant.phone = "138-abc" }, "received.applicant.phone: may contain only digits, spaces, '+' and '-'"),
        ("oversize summary", { $0.received.summary = String(repeating: "a", count: 1001) }, "received.summary: longer than 1000 characters"),
        ("bad matter code", { $0.received.matterCode = "MZ 001" }, "received.matter_code: may contain only letters, digits and '-', '.'"),
        ("negative-looking matter version", { $0.received.matterVersion = UInt32.max }, "received.matter_version: must be in 0...2147483647, got 4294967295"),
        ("oversize matter name", { $0.received.matterName = String(repeating: "事", count: 129) }, "received.matter_name: longer than 128 characters"),
        ("duplicate material", { $0.received.materials[1].id = "m1" }, "received.materials[1].id: duplicate id 'm1'"),
        ("bad material id", { $0.received.materials[0].id = "m/1" }, "received.materials[0].id: may contain only letters, digits and '-', '_'"),
        ("too many copies", { $0.received.materials[0].copies = 100 }, "received.materials[0].copies: must be in 0...99, got 100"),
        ("unknown material status", { $0.received.materials[0].status = .UNRECOGNIZED(9) }, "received.materials[0].status: unknown value 9"),
        ("too many materials", { r in r.received.materials = (0...100).map { i in var m = Banjian_V1_Material(); m.id = "m\(i)"; m.name = "x"; return m } },
         "received.materials: more than 100 entries"),
        ("negative fee", { $0.received.fees[0].amountFen = -1 }, "received.fees[0].amount_fen: must be in 0...1000000000000, got -1"),
        ("bad village code", { $0.received.agencyHandover.villageNodeCode = "3411821022" }, "received.agency_handover.village_node_code: '3411821022' is not a node code of 2, 4, 6, 9 or 12 digits"),
        ("bad timestamp", { $0.received.agencyHandover.pickupAt.nanos = -1 }, "received.agency_handover.pickup_at: is not a valid timestamp"),
    ]

    @Test("CreateCase rejects each bad field by name", arguments: createCases.indices)
    func createRejections(_ index: Int) {
        let (name, breakIt, message) = Self.createCases[index]
        var request = Self.validCreate
        breakIt(&request)
        #expect(throws: WireValidationError.self, "\(name)") { try request.intake(number: W.number) }
        do {
            _ = try request.intake(number: W.number)
        } catch {
            #expect(error.description == message, "\(name)")
        }
    }

    @Test("a valid CreateCase decodes to the intake")
    func validCreate() throws {
        let (requestID, event) = try Self.validCreate.intake(number: W.number)
        #expect(requestID == "req-0001")
        #expect(event == .received(W.intake))
    }

    @Test("transition requests decode, and name the missing or bad field")
    func transitions() throws {
        var accept = Banjian_V1_AcceptCaseRequest()
        accept.requestID = "r1"
        accept.caseNumber = W.number.description
        #expect(throws: WireValidationError("accepted", "must be set")) { try accept.command() }
        accept.accepted = Banjian_V1_CaseAccepted()
        #expect(throws: WireValidationError("accepted", "set one of immediate, promised, joint, escalated")) { try accept.command() }
        accept.accepted.promised.department = "民政"
        #expect(throws: WireValidationError("accepted.promised.handler", "must be set")) { try accept.command() }
        accept.accepted.promised.handler = Banjian_V1_Actor(W.actor(.handler))
        accept.accepted.promised.handler.role = .unspecified
        #expect(throws: WireValidationError("accepted.promised.handler.role", "must be set")) { try accept.command() }
        accept.accepted.promised.handler = Banjian_V1_Actor(W.actor(.handler))
        accept.accepted.promised.promisedLimit = Banjian_V1_TimeLimit()
        #expect(throws: WireValidationError("accepted.promised.promised_limit", "set one of working_days, working_minutes, calendar_days")) { try accept.command() }
        accept.accepted.promised.promisedLimit.workingDays = 0
        #expect(throws: WireValidationError("accepted.promised.promised_limit", "out of range: 0 working days")) { try accept.command() }
        accept.accepted.promised.promisedLimit.workingDays = 5
        let command = try accept.command()
        #expect(command.expectedVersion == nil)
        #expect(command.event == .accepted(Acceptance(route: .promised(Assignment(department: "民政", handler: W.actor(.handler))),
                                                      limits: CaseLimits(promised: .workingDays(5)))))
        accept.expectedVersion = 7
        #expect(try accept.command().expectedVersion == 7)
        accept.caseNumber = "341182102-20250231-000001"
        #expect(throws: WireValidationError("case_number", "'341182102-20250231-000001' is not a case number <node code>-<yyyymmdd>-<6 digits>")) { try accept.command() }

        var joint = Banjian_V1_AcceptCaseRequest()
        joint.requestID = "r2"
        joint.caseNumber = W.number.description
        joint.accepted.joint.leadDepartment = "民政"
        joint.accepted.joint.departments = ["民政"]
        #expect(throws: WireValidationError("accepted.joint.departments", "needs at least 2 entries")) { try joint.command() }

        var extend = Banjian_V1_RequestExtensionRequest()
        extend.requestID = "r3"
        extend.caseNumber = W.number.description
        extend.extensionRequested.clockKind = .promised
        extend.extensionRequested.workingDays = 61
        extend.extensionRequested.reason = "r"
        #expect(throws: WireValidationError("extension_requested.working_days", "must be in 1...60, got 61")) { try extend.command() }

        var reply = Banjian_V1_ReplyCaseRequest()
        reply.requestID = "r4"
        reply.caseNumber = W.number.description
        #expect(try reply.command().event == .replied, "an empty body is allowed where the event has no fields")

        var returned = Banjian_V1_ReturnCaseRequest()
        returned.requestID = "r5"
        returned.caseNumber = W.number.description
        returned.returned.category = .other
        #expect(throws: WireValidationError("returned.reason", "must not be empty")) { try returned.command() }
    }

    @Test("recorded events need their envelope")
    func envelope() throws {
        var wire = Banjian_V1_CaseEvent(RecordedEvent(
            id: EventID(origin: W.township, sequence: 1), caseNumber: W.number, caseVersion: 1,
            occurredAt: W.at("2025-03-10"), actor: W.actor(.acceptor), event: .archived))
        #expect(throws: Never.self) { try RecordedEvent(wire: wire) }
        wire.id.originSequence = 0
        #expect(throws: WireValidationError("id.origin_sequence", "must be at least 1")) { try RecordedEvent(wire: wire) }
        wire.id.originSequence = 1
        wire.body = nil
        #expect(throws: WireValidationError("body", "must be set")) { try RecordedEvent(wire: wire) }
        wire.body = .rungFired(Banjian_V1_RungFired())
        #expect(throws: WireValidationError("rung_fired.clock_kind", "must be set")) { try RecordedEvent(wire: wire) }
        wire.body = .deadlinesCorrected(Banjian_V1_DeadlinesCorrected())
        #expect(throws: WireValidationError("deadlines_corrected.withdrawn", "must name 1 to 50 rungs")) { try RecordedEvent(wire: wire) }
        wire.body = .deadlinesCorrected(.with { $0.withdrawn = [.with { $0.clockKind = .promised }] })
        #expect(throws: WireValidationError("deadlines_corrected.withdrawn[0].rung_kind", "must be set")) { try RecordedEvent(wire: wire) }
    }

    @Test("a matter that breaks a domain rule names the field")
    func matterRules() throws {
        var matter = Banjian_V1_Matter(Matter(code: "M-1", name: "n", department: "d", authority: .township, owner: W.township,
                                              statutoryLimit: .workingDays(10), promisedLimit: .workingDays(5)))
        matter.promisedLimit.workingDays = 11
        #expect(throws: WireValidationError("matter.promised_limit", "11 working days exceeds the statutory 10")) {
            try Matter(wire: matter, field: "matter")
        }
        matter.clearPromisedLimit()
        #expect(throws: WireValidationError("matter.promised_limit", "must be set")) { try Matter(wire: matter, field: "matter") }
    }

    @Test("garbage bytes never crash decoding or validation", arguments: 0..<4)
    func garbage(seed: Int) {
        var state = UInt64(seed + 1) &* 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let valid: [UInt8] = (try? Banjian_V1_CaseEvent(RecordedEvent(
            id: EventID(origin: W.township, sequence: 1), caseNumber: W.number, caseVersion: 1,
            occurredAt: W.at("2025-03-10"), actor: W.actor(.acceptor), event: .received(W.intake))).serializedBytes()) ?? []
        var outcomes = (decodeFailed: 0, rejected: 0, accepted: 0)
        for _ in 0..<2_000 {
            var bytes: [UInt8]
            if next() % 2 == 0 {
                bytes = (0..<Int(next() % 256)).map { _ in UInt8(truncatingIfNeeded: next()) }
            } else {
                bytes = valid
                for _ in 0..<(1 + next() % 8) where !bytes.isEmpty {
                    bytes[Int(next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: next())
                }
            }
            guard let message = try? Banjian_V1_CaseEvent(serializedBytes: bytes) else {
                outcomes.decodeFailed += 1
                continue
            }
            if (try? RecordedEvent(wire: message)) == nil { outcomes.rejected += 1 } else { outcomes.accepted += 1 }
        }
        #expect(outcomes.decodeFailed > 0 && outcomes.rejected > 0, "\(outcomes)")
    }
}
