/// One line of the 否定报备 register (《否定报备情况登记表》): a refusal (退回) and where the
/// responsible leader's review of it stands (002 六).
public struct RefusalEntry: Hashable, Sendable, Codable {
    /// Where the review stands.
    public enum ReviewState: String, Hashable, Sendable, Codable, CaseIterable {
        /// Waiting for the leader (2 working days).
        case pending
        /// The leader upheld the refusal.
        case upheld
        /// The leader found it unlawful; the case reopened.
        case overturned
    }

    public var caseNumber: CaseNumber
    /// Which refusal of the case, from 0.
    public var ordinal: Int
    public var matter: MatterRef
    public var applicant: String
    public var refusal: ReturnRecord

    public init(caseNumber: CaseNumber, ordinal: Int, matter: MatterRef, applicant: String, refusal: ReturnRecord) {
        self.caseNumber = caseNumber
        self.ordinal = ordinal
        self.matter = matter
        self.applicant = applicant
        self.refusal = refusal
    }

    public var reviewState: ReviewState {
        guard let review = refusal.review else { return .pending }
        return review.upheld ? .upheld : .overturned
    }
}
