package import BanjianDomain
package import Foundation
import SwiftProtobuf

// Conversions of the parts of a case: materials, fees, the agency slip.

extension Banjian_V1_Material {
    package init(_ material: Material) {
        self.init()
        id = material.id
        name = material.name
        copies = UInt32(clamping: material.copies)
        pages = UInt32(clamping: material.pages)
        status = Mappings.materialStatus.wire(material.status)
        isMainDocument = material.isMainDocument
    }
}

extension Material {
    /// A material; `status` is required unless `defaultStatus` says what the request implies.
    package init(wire: Banjian_V1_Material, field: String, defaultStatus: Status? = nil) throws(WireValidationError) {
        let status: Status
        if wire.status == .unspecified, let defaultStatus {
            status = defaultStatus
        } else {
            status = try Mappings.materialStatus.domain(wire.status, "\(field).status")
        }
        self.init(
            id: try Check.token(wire.id, "\(field).id", max: WireLimits.materialID, extra: "-_"),
            name: try Check.text(wire.name, "\(field).name", max: WireLimits.title, required: true),
            copies: try Check.range(Int(wire.copies), "\(field).copies", WireLimits.copies),
            pages: try Check.range(Int(wire.pages), "\(field).pages", WireLimits.pages),
            isMainDocument: wire.isMainDocument,
            status: status)
    }

    /// A list of materials with unique ids.
    static func list(_ wire: [Banjian_V1_Material], _ field: String, defaultStatus: Status? = nil) throws(WireValidationError) -> [Material] {
        try Check.count(wire.count, field, max: WireLimits.materials)
        var seen = Set<String>()
        var materials: [Material] = []
        for (index, item) in wire.enumerated() {
            let material = try Material(wire: item, field: "\(field)[\(index)]", defaultStatus: defaultStatus)
            guard seen.insert(material.id).inserted else { throw WireValidationError("\(field)[\(index)].id", "duplicate id '\(material.id)'") }
            materials.append(material)
        }
        return materials
    }
}

extension Banjian_V1_Fee {
    package init(_ fee: Fee) {
        self.init()
        item = fee.item
        basis = fee.basis
        amountFen = fee.amountFen
        receiptNumber = fee.receiptNumber
        prepaid = fee.prepaid
    }
}

extension Fee {
    package init(wire: Banjian_V1_Fee, field: String) throws(WireValidationError) {
        self.init(
            item: try Check.text(wire.item, "\(field).item", max: WireLimits.title, required: true),
            basis: try Check.text(wire.basis, "\(field).basis", max: WireLimits.feeBasis),
            amountFen: try Check.range(wire.amountFen, "\(field).amount_fen", WireLimits.fenAmount),
            receiptNumber: try Check.text(wire.receiptNumber, "\(field).receipt_number", max: WireLimits.receiptNumber),
            prepaid: wire.prepaid)
    }
}

extension Banjian_V1_AgencyHandover {
    /// The slip; the agent and the submission time come from the case.
    package init(_ slip: AgencyHandover, agent: Actor?, submittedAt: Date?) {
        self.init()
        serialNumber = slip.serialNumber
        if let agent { self.agent = Banjian_V1_Actor(agent) }
        villageNodeCode = slip.village.rawValue
        materialIds = slip.materialIDs
        prepaidFeeFen = slip.prepaidFen
        if let pickupAt = slip.pickupAt { self.pickupAt = Google_Protobuf_Timestamp(pickupAt) }
        principalSigned = slip.principalSigned
        agentSigned = slip.agentSigned
        if let submittedAt { self.submittedAt = Google_Protobuf_Timestamp(submittedAt) }
    }
}

extension AgencyHandover {
    /// The slip as a client sends it; `agent` and `submitted_at` are set by the node and ignored.
    package init(wire: Banjian_V1_AgencyHandover, field: String) throws(WireValidationError) {
        try Check.count(wire.materialIds.count, "\(field).material_ids", max: WireLimits.materials)
        for (index, id) in wire.materialIds.enumerated() {
            _ = try Check.token(id, "\(field).material_ids[\(index)]", max: WireLimits.materialID, extra: "-_")
        }
        self.init(
            serialNumber: try Check.text(wire.serialNumber, "\(field).serial_number", max: WireLimits.documentNumber, required: true),
            village: try Check.node(wire.villageNodeCode, "\(field).village_node_code"),
            materialIDs: wire.materialIds,
            prepaidFen: try Check.range(wire.prepaidFeeFen, "\(field).prepaid_fee_fen", WireLimits.fenAmount),
            pickupAt: wire.hasPickupAt ? try Check.date(wire.pickupAt, "\(field).pickup_at") : nil,
            principalSigned: wire.principalSigned,
            agentSigned: wire.agentSigned)
    }
}
