package import BanjianDomain
import Foundation
import SwiftProtobuf

// Conversions of the shared messages in common.proto.

extension Google_Protobuf_Timestamp {
    init(_ date: Date) { self.init(roundingTimeIntervalSince1970: date.timeIntervalSince1970, rule: .down) }
}

extension Banjian_V1_Actor {
    package init(_ actor: Actor) {
        self.init()
        operatorID = actor.operatorID
        name = actor.name
        role = Mappings.role.wire(actor.role)
        nodeCode = actor.node.rawValue
    }
}

extension Actor {
    package init(wire: Banjian_V1_Actor, field: String) throws(WireValidationError) {
        self.init(
            operatorID: try Check.token(wire.operatorID, "\(field).operator_id", max: WireLimits.name, extra: "-_.@"),
            name: try Check.text(wire.name, "\(field).name", max: WireLimits.name, required: true),
            role: try Mappings.role.domain(wire.role, "\(field).role"),
            node: try Check.node(wire.nodeCode, "\(field).node_code"))
    }
}

extension Banjian_V1_Party {
    package init(_ party: Party) {
        self.init()
        name = party.name
        idNumber = party.idNumber
        phone = party.phone
        address = party.address
    }
}

extension Party {
    package init(wire: Banjian_V1_Party, field: String) throws(WireValidationError) {
        self.init(
            name: try Check.text(wire.name, "\(field).name", max: WireLimits.name, required: true),
            idNumber: try Check.text(wire.idNumber, "\(field).id_number", max: WireLimits.idNumber),
            phone: try Check.phone(wire.phone, "\(field).phone"),
            address: try Check.text(wire.address, "\(field).address", max: WireLimits.address))
    }
}

extension Banjian_V1_Opinion {
    package init(_ opinion: Opinion) {
        self.init()
        text = opinion.text
        if let signer = opinion.signer { self.signer = Banjian_V1_Actor(signer) }
        if let signedAt = opinion.signedAt { self.signedAt = Google_Protobuf_Timestamp(signedAt) }
    }
}

extension Opinion {
    package init(wire: Banjian_V1_Opinion, field: String, required: Bool = false) throws(WireValidationError) {
        self.init(
            text: try Check.text(wire.text, "\(field).text", max: WireLimits.opinion, required: required, multiline: true),
            signer: wire.hasSigner ? try Actor(wire: wire.signer, field: "\(field).signer") : nil,
            signedAt: wire.hasSignedAt ? try Check.date(wire.signedAt, "\(field).signed_at") : nil)
    }

    /// The opinion, or `nil` when the field is absent.
    static func optional(has: Bool, _ wire: Banjian_V1_Opinion, _ field: String) throws(WireValidationError) -> Opinion? {
        has ? try Opinion(wire: wire, field: field) : nil
    }
}

extension Banjian_V1_TimeLimit {
    package init(_ limit: TimeLimit) {
        self.init()
        switch limit {
        case .workingDays(let n): workingDays = UInt32(clamping: n)
        case .workingMinutes(let n): workingMinutes = UInt32(clamping: n)
        case .calendarDays(let n): calendarDays = UInt32(clamping: n)
        }
    }
}

extension TimeLimit {
    package init(wire: Banjian_V1_TimeLimit, field: String) throws(WireValidationError) {
        let limit: TimeLimit
        switch wire.limit {
        case .workingDays(let n): limit = .workingDays(Int(n))
        case .workingMinutes(let n): limit = .workingMinutes(Int(n))
        case .calendarDays(let n): limit = .calendarDays(Int(n))
        case nil: throw WireValidationError(field, "set one of working_days, working_minutes, calendar_days")
        }
        guard limit.isValid else { throw WireValidationError(field, "out of range: \(limit)") }
        self = limit
    }

    /// The limit, or `nil` when the field is absent.
    static func optional(has: Bool, _ wire: Banjian_V1_TimeLimit, _ field: String) throws(WireValidationError) -> TimeLimit? {
        has ? try TimeLimit(wire: wire, field: field) : nil
    }
}
