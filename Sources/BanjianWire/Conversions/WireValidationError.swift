/// A wire message that breaks the contract: the field (a dotted path such as
/// `received.applicant.phone`) and why. Services map it to `INVALID_ARGUMENT` with this text.
public struct WireValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let field: String
    public let reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
