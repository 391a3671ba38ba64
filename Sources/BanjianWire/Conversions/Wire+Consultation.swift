package import BanjianDomain
package import Foundation
import SwiftProtobuf

// 咨询登记: consultations, from a client and on a link.

extension Consultation {
    /// A consultation as it travels (every field set by its node), every field checked.
    package init(wire w: Banjian_V1_Consultation, field f: String) throws(WireValidationError) {
        try Check.present(w.hasAnsweredBy, "\(f).answered_by")
        try Check.present(w.hasConsultedAt, "\(f).consulted_at")
        let request = try ConsultationRequest(wire: w, field: f)
        self.init(number: try Check.text(w.number, "\(f).number", max: WireLimits.documentNumber, required: true),
                  node: try Check.node(w.nodeCode, "\(f).node_code"), channel: request.channel, topic: request.topic,
                  matterCode: request.matterCode, department: request.department,
                  answeredBy: try Actor(wire: w.answeredBy, field: "\(f).answered_by"), at: try Check.date(w.consultedAt, "\(f).consulted_at"))
    }
}

/// What a client gives to register a consultation; the node assigns the rest.
package struct ConsultationRequest: Sendable {
    package let channel: Channel
    package let topic: String
    package let matterCode: String
    package let department: String

    init(wire w: Banjian_V1_Consultation, field f: String) throws(WireValidationError) {
        channel = try Mappings.channel.domain(w.channel, "\(f).channel")
        topic = try Check.text(w.topic, "\(f).topic", max: WireLimits.summary, required: true, multiline: true)
        matterCode = w.matterCode.isEmpty ? "" : try Check.token(w.matterCode, "\(f).matter_code", max: WireLimits.matterCode, extra: "-.")
        department = try Check.text(w.department, "\(f).department", max: WireLimits.department)
    }
}

extension Banjian_V1_RecordConsultationRequest {
    package func validated() throws(WireValidationError) -> (requestID: String, consultation: ConsultationRequest) {
        let requestID = try Check.requestID(requestID)
        try Check.present(hasConsultation, "consultation")
        return (requestID, try ConsultationRequest(wire: consultation, field: "consultation"))
    }
}

extension Banjian_V1_Consultation {
    package init(_ consultation: Consultation) {
        self.init()
        number = consultation.number
        nodeCode = consultation.node.rawValue
        channel = Mappings.channel.wire(consultation.channel)
        topic = consultation.topic
        matterCode = consultation.matterCode
        department = consultation.department
        answeredBy = Banjian_V1_Actor(consultation.answeredBy)
        consultedAt = Google_Protobuf_Timestamp(consultation.at)
    }
}
