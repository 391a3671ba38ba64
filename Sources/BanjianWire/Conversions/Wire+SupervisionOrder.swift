package import BanjianDomain
package import Foundation
import SwiftProtobuf

// 督办 orders: on a case, on a link, and in the supervision service's requests.

extension SupervisionOrder {
    /// An order as it travels (every field set by its issuing node), every field checked.
    package init(wire w: Banjian_V1_SupervisionOrder, field f: String) throws(WireValidationError) {
        try Check.present(w.hasIssuedBy, "\(f).issued_by")
        try Check.present(w.hasIssuedAt, "\(f).issued_at")
        try Check.present(w.hasRespondWithin, "\(f).respond_within")
        self.init(
            number: try Check.text(w.orderNumber, "\(f).order_number", max: WireLimits.documentNumber, required: true),
            issuingNode: try Check.node(w.issuingNodeCode, "\(f).issuing_node_code"),
            target: try Check.node(w.targetNodeCode, "\(f).target_node_code"),
            caseNumber: try Check.caseNumber(w.caseNumber, "\(f).case_number"),
            instruction: try Check.text(w.instruction, "\(f).instruction", max: WireLimits.longText, required: true, multiline: true),
            respondWithin: try TimeLimit(wire: w.respondWithin, field: "\(f).respond_within"),
            issuedBy: try Actor(wire: w.issuedBy, field: "\(f).issued_by"),
            issuedAt: try Check.date(w.issuedAt, "\(f).issued_at"))
    }
}

extension Banjian_V1_SupervisionOrder {
    package init(_ order: SupervisionOrder) {
        self.init()
        orderNumber = order.number
        issuingNodeCode = order.issuingNode.rawValue
        targetNodeCode = order.target.rawValue
        caseNumber = order.caseNumber.description
        instruction = order.instruction
        respondWithin = Banjian_V1_TimeLimit(order.respondWithin)
        issuedBy = Banjian_V1_Actor(order.issuedBy)
        issuedAt = Google_Protobuf_Timestamp(order.issuedAt)
    }
}

extension Banjian_V1_SupervisionOrderStatus {
    package init(_ record: SupervisionOrderRecord) {
        self.init()
        order = Banjian_V1_SupervisionOrder(record.order)
        receivedAt = Google_Protobuf_Timestamp(record.receivedAt)
        answer = record.answer ?? ""
        if let by = record.answeredBy { answeredBy = Banjian_V1_Actor(by) }
        if let at = record.answeredAt { answeredAt = Google_Protobuf_Timestamp(at) }
        breached = record.breached
    }
}

/// A checked request to issue an order: what the supervisor gives; the node assigns the rest.
package struct OrderRequest: Sendable {
    package let requestID: String
    package let caseNumber: CaseNumber
    package let instruction: String
    package let respondWithin: TimeLimit
}

extension Banjian_V1_IssueSupervisionOrderRequest {
    package func validated() throws(WireValidationError) -> OrderRequest {
        let requestID = try Check.requestID(requestID)
        try Check.present(hasOrder, "order")
        try Check.present(order.hasRespondWithin, "order.respond_within")
        return OrderRequest(
            requestID: requestID, caseNumber: try Check.caseNumber(order.caseNumber, "order.case_number"),
            instruction: try Check.text(order.instruction, "order.instruction", max: WireLimits.longText, required: true, multiline: true),
            respondWithin: try TimeLimit(wire: order.respondWithin, field: "order.respond_within"))
    }
}

extension Banjian_V1_AnswerSupervisionOrderRequest: CaseTransitionRequest {
    package var wireBody: Banjian_V1_CaseEvent.OneOf_Body? { hasAnswer ? .supervisionOrderAnswered(answer) : nil }
    package static var bodyField: String { "answer" }
}

extension Banjian_V1_AnswerSupervisionOrderResponse: CaseTransitionResponse {}
