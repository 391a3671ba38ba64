public import Foundation

/// What a node's catalogue said about a matter when a case used it: the terms a case runs under.
///
/// The node resolves them from its own catalogue inside the command's transaction and records them
/// in the event (intake, acceptance), so a replay of the log reaches the same decisions without the
/// catalogue. A client never sets them.
public struct MatterTerms: Hashable, Sendable, Codable {
    /// Code, name and the catalogue version in force.
    public var matter: MatterRef
    /// The level with the authority to decide.
    public var authority: NodeLevel
    /// Where the matter is delegated to be decided (下放 to handle, or 委托), in force at the
    /// time; a full-agency delegation (全程代理) leaves the decision above and is not listed.
    public var decidedAlsoAt: [DelegationTarget]
    /// The promised limit (承诺时限) and the statutory limit (法定时限), when the law sets one.
    public var limits: CaseLimits
    /// 上报时限 for escalated cases; the centre's default when `nil`.
    public var forwardingLimit: TimeLimit?
    /// Whether village agents may take it (代办服务清单).
    public var agencyAllowed: Bool
    /// 收费标准.
    public var feeStandard: String
    /// 申报材料: what the applicant must bring, for the one-time notice (一次性告知).
    public var requiredMaterials: [Matter.MaterialSpec]

    public init(matter: MatterRef, authority: NodeLevel, decidedAlsoAt: [DelegationTarget] = [], limits: CaseLimits,
                forwardingLimit: TimeLimit? = nil, agencyAllowed: Bool = false, feeStandard: String = "",
                requiredMaterials: [Matter.MaterialSpec] = []) {
        self.matter = matter
        self.authority = authority
        self.decidedAlsoAt = decidedAlsoAt
        self.limits = limits
        self.forwardingLimit = forwardingLimit
        self.agencyAllowed = agencyAllowed
        self.feeStandard = feeStandard
        self.requiredMaterials = requiredMaterials
    }

    /// Whether `node` may decide a case of this matter (accept it as 即办, 承诺 or 联办): the
    /// matter is of the node's own level, or delegated to that level or to the node itself.
    public func mayBeDecided(at node: NodeCode) -> Bool {
        node.level == authority || decidedAlsoAt.contains { $0.includes(node) }
    }
}

/// Whom a delegation (下放) reaches: one node, or every node of a level (e.g. all townships).
public enum DelegationTarget: Hashable, Sendable, Codable, CustomStringConvertible {
    case node(NodeCode)
    case level(NodeLevel)

    /// Whether `node` is reached.
    public func includes(_ node: NodeCode) -> Bool {
        switch self {
        case .node(let code): code == node
        case .level(let level): node.level == level
        }
    }

    public var description: String {
        switch self {
        case .node(let code): "node \(code)"
        case .level(let level): "every \(level.name) node"
        }
    }
}

extension NodeLevel {
    /// The level's name in messages.
    public var name: String {
        switch self {
        case .village: "village"
        case .township: "township"
        case .county: "county"
        case .aboveCounty: "above-county"
        }
    }
}

extension Matter {
    /// The terms a case of this version runs under at `instant`: a delegation counts once it is in
    /// effect.
    public func terms(at instant: Date) -> MatterTerms {
        var targets: [DelegationTarget] = []
        if let delegation, delegation.mode != .fullAgency, delegation.effectiveAt <= instant { targets.append(delegation.to) }
        return MatterTerms(
            matter: MatterRef(code: code, name: name, version: version), authority: authority, decidedAlsoAt: targets,
            limits: caseLimits, forwardingLimit: forwardingLimit, agencyAllowed: agencyAllowed, feeStandard: feeStandard,
            requiredMaterials: materials)
    }
}

extension TimeLimit {
    /// Whether this limit is longer than `other`; `nil` when they measure time differently
    /// (working time against elapsed days) and so cannot be compared.
    public func exceeds(_ other: TimeLimit, workingSecondsPerDay: Int64) -> Bool? {
        guard measure == other.measure else { return nil }
        return budgetSeconds(workingSecondsPerDay: workingSecondsPerDay) > other.budgetSeconds(workingSecondsPerDay: workingSecondsPerDay)
    }
}
