/// A filter on the matter catalogue; every set criterion must hold. Ordered by code.
public struct MatterQuery: Hashable, Sendable {
    public var department: String?
    public var authority: NodeLevel?
    public var agencyAllowedOnly = false
    /// Continue after this matter code (from the previous page).
    public var afterCode: String?
    public var limit = 50

    public init() {}
}
