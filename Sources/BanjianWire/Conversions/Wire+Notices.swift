package import BanjianDomain
import Foundation
import SwiftProtobuf

// Conversions of notices and the 否定报备 register (case_service.proto).

extension Banjian_V1_Notice {
    package init(_ notice: NoticeDocument) {
        self.init()
        number = notice.number
        kind = Mappings.notice.wire(notice.kind)
        caseNumber = notice.caseNumber.description
        caseVersion = notice.caseVersion
        issuedAt = Google_Protobuf_Timestamp(notice.issuedAt)
        issuedBy = Banjian_V1_Actor(notice.issuedBy)
        title = notice.title
        fields = notice.fields.map { field in .with { $0.label = field.label; $0.value = field.value } }
        materials = notice.materials.map { line in
            .with { $0.name = line.name; $0.status = line.status; $0.copies = UInt32(clamping: line.copies) }
        }
        signatures = notice.signatures
    }
}

extension NoticeDocument {
    /// A notice as a node sent it; the CLI prints it.
    package init(wire w: Banjian_V1_Notice, field f: String) throws(WireValidationError) {
        try Check.present(w.hasIssuedBy, "\(f).issued_by")
        self.init(
            number: try Check.text(w.number, "\(f).number", max: WireLimits.title, required: true),
            kind: try Mappings.notice.domain(w.kind, "\(f).kind"),
            caseNumber: try Check.caseNumber(w.caseNumber, "\(f).case_number"),
            caseVersion: w.caseVersion,
            issuedAt: try Check.date(w.issuedAt, "\(f).issued_at"),
            issuedBy: try Actor(wire: w.issuedBy, field: "\(f).issued_by"),
            title: w.title,
            fields: w.fields.map { Field($0.label, $0.value) },
            materials: w.materials.map { MaterialLine(name: $0.name, status: $0.status, copies: Int($0.copies)) },
            signatures: w.signatures)
    }
}

extension Banjian_V1_RefusalEntry {
    package init(_ entry: RefusalEntry) {
        self.init()
        caseNumber = entry.caseNumber.description
        ordinal = UInt32(clamping: entry.ordinal)
        matterCode = entry.matter.code
        matterName = entry.matter.name
        applicantName = entry.applicant
        refusal = Banjian_V1_ReturnRecord(entry.refusal)
        reviewState = Mappings.refusalReview.wire(entry.reviewState)
    }
}

extension Banjian_V1_ListNoticesRequest {
    package func validated() throws(WireValidationError) -> CaseNumber { try Check.caseNumber(caseNumber, "case_number") }
}

extension Banjian_V1_GetNoticeRequest {
    package func validated() throws(WireValidationError) -> String {
        try Check.token(noticeNumber, "notice_number", max: WireLimits.title, extra: "-")
    }
}

extension Banjian_V1_ListRefusalsRequest {
    /// The state to filter on (`nil`: all) and the page size.
    package func validated() throws(WireValidationError) -> (state: RefusalEntry.ReviewState?, limit: Int) {
        let state = reviewState == .unspecified ? nil : try Mappings.refusalReview.domain(reviewState, "review_state")
        return (state, try PageToken.pageSize(pageSize, "page_size", default: 200, max: 1000))
    }
}
