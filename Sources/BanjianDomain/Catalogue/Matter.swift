public import Foundation

/// A matter (事项) in the catalogue: what the centre publishes about it (七公开: name, legal basis,
/// conditions, materials, procedure, time limit, fees), its limits and who may decide it.
public struct Matter: Hashable, Sendable, Codable {
    /// One material the applicant must bring (Kaifeng guide: name, basis, format, copies, signature).
    public struct MaterialSpec: Hashable, Sendable, Codable {
        public var name: String
        public var basis: String
        public var format: String
        public var copies: Int
        public var signatureOrSealRequired: Bool
        /// 主件: without it the application is returned.
        public var isMainDocument: Bool
        public init(name: String, basis: String = "", format: String = "", copies: Int = 1,
                    signatureOrSealRequired: Bool = false, isMainDocument: Bool = false) {
            self.name = name
            self.basis = basis
            self.format = format
            self.copies = copies
            self.signatureOrSealRequired = signatureOrSealRequired
            self.isMainDocument = isMainDocument
        }
    }

    /// One step of the procedure, at the level that performs it; 公示 steps are public notices.
    public struct ProcedureStep: Hashable, Sendable, Codable {
        public var title: String
        public var detail: String
        public var level: NodeLevel
        public var isPublicNotice: Bool
        /// The step's own limit, e.g. forwarding within one working day (低保, 001 篇四 附件4).
        public var timeLimit: TimeLimit?
        public init(title: String, detail: String = "", level: NodeLevel, isPublicNotice: Bool = false, timeLimit: TimeLimit? = nil) {
            self.title = title
            self.detail = detail
            self.level = level
            self.isPublicNotice = isPublicNotice
            self.timeLimit = timeLimit
        }
    }

    /// A delegation (下放) from a higher level.
    public struct Delegation: Hashable, Sendable, Codable {
        public enum Mode: String, Hashable, Sendable, Codable, CaseIterable {
            /// 办理: the lower level handles and decides.
            case handle
            /// 全程代理: the lower level accepts and acts as full agent; the decision stays above.
            case fullAgency
            /// 委托: entrusted by public announcement.
            case entrusted
        }
        public var from: NodeCode
        /// One node, or every node of a level (e.g. all townships).
        public var to: DelegationTarget
        public var mode: Mode
        public var effectiveAt: Date
        /// The delegating document (下放文件).
        public var documentNumber: String
        public init(from: NodeCode, to: DelegationTarget, mode: Mode, effectiveAt: Date, documentNumber: String = "") {
            self.from = from
            self.to = to
            self.mode = mode
            self.effectiveAt = effectiveAt
            self.documentNumber = documentNumber
        }

        private enum CodingKeys: String, CodingKey { case from, to, mode, effectiveAt, documentNumber }

        /// Reads both forms of `to`: a target, and the bare node code stored before delegations
        /// could reach a whole level.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            from = try container.decode(NodeCode.self, forKey: .from)
            if let target = try? container.decode(DelegationTarget.self, forKey: .to) {
                to = target
            } else {
                to = .node(try container.decode(NodeCode.self, forKey: .to))
            }
            mode = try container.decode(Mode.self, forKey: .mode)
            effectiveAt = try container.decode(Date.self, forKey: .effectiveAt)
            documentNumber = try container.decode(String.self, forKey: .documentNumber)
        }
    }

    public var code: String
    public var name: String
    /// Bumped on every publication.
    public var version: Int
    public var department: String
    /// The level with the authority to decide.
    public var authority: NodeLevel
    /// The node that publishes the entry.
    public var owner: NodeCode
    public var legalBasis: String
    public var conditions: String
    public var materials: [MaterialSpec]
    public var procedure: [ProcedureStep]
    public var statutoryLimit: TimeLimit?
    public var promisedLimit: TimeLimit
    /// 上报时限 for escalated cases of this matter; the centre's default when `nil`.
    public var forwardingLimit: TimeLimit?
    public var feeBasis: String
    public var feeStandard: String
    public var defaultKind: CaseKind
    /// Whether village agents may take it (代办服务清单).
    public var agencyAllowed: Bool
    public var delegation: Delegation?
    public var supervisionPhone: String
    public var publishedAt: Date?
    /// When this version was withdrawn from the catalogue (停止办理): no new case may use it.
    public var withdrawnAt: Date?

    public init(code: String, name: String, version: Int = 1, department: String, authority: NodeLevel, owner: NodeCode,
                legalBasis: String = "", conditions: String = "", materials: [MaterialSpec] = [],
                procedure: [ProcedureStep] = [], statutoryLimit: TimeLimit? = nil, promisedLimit: TimeLimit,
                forwardingLimit: TimeLimit? = nil, feeBasis: String = "", feeStandard: String = "不收费",
                defaultKind: CaseKind = .promised, agencyAllowed: Bool = false, delegation: Delegation? = nil,
                supervisionPhone: String = "", publishedAt: Date? = nil, withdrawnAt: Date? = nil) {
        self.code = code
        self.name = name
        self.version = version
        self.department = department
        self.authority = authority
        self.owner = owner
        self.forwardingLimit = forwardingLimit
        self.publishedAt = publishedAt
        self.legalBasis = legalBasis
        self.conditions = conditions
        self.materials = materials
        self.procedure = procedure
        self.statutoryLimit = statutoryLimit
        self.promisedLimit = promisedLimit
        self.feeBasis = feeBasis
        self.feeStandard = feeStandard
        self.defaultKind = defaultKind
        self.agencyAllowed = agencyAllowed
        self.delegation = delegation
        self.supervisionPhone = supervisionPhone
        self.withdrawnAt = withdrawnAt
    }

    /// The case limits this matter gives.
    public var caseLimits: CaseLimits { CaseLimits(promised: promisedLimit, statutory: statutoryLimit) }

    /// What makes the entry unpublishable, as `field: reason`; empty when it is valid.
    public var problems: [String] {
        var problems: [String] = []
        if code.allSatisfy(\.isWhitespace) { problems.append("code: must not be empty") }
        if name.allSatisfy(\.isWhitespace) { problems.append("name: must not be empty") }
        if department.allSatisfy(\.isWhitespace) { problems.append("department: must not be empty") }
        if version < 1 { problems.append("version: must be at least 1") }
        if !promisedLimit.isValid { problems.append("promised_limit: out of range: \(promisedLimit)") }
        if let statutory = statutoryLimit {
            if !statutory.isValid { problems.append("statutory_limit: out of range: \(statutory)") }
            if let forwarding = forwardingLimit, !forwarding.isValid { problems.append("forwarding_limit: out of range: \(forwarding)") }
            // A promise may only be shorter than the law's limit (承诺时限 ≤ 法定时限).
            if case .workingDays(let p) = promisedLimit, case .workingDays(let s) = statutory, p > s {
                problems.append("promised_limit: \(p) working days exceeds the statutory \(s)")
            }
        }
        if defaultKind == .supplement || defaultKind == .returned {
            problems.append("default_kind: a matter's default kind is immediate, promised, joint or escalated")
        }
        for (index, material) in materials.enumerated() {
            if material.name.allSatisfy(\.isWhitespace) { problems.append("materials[\(index)].name: must not be empty") }
            if !(1...99).contains(material.copies) { problems.append("materials[\(index)].copies: must be in 1...99") }
        }
        for (index, step) in procedure.enumerated() where step.title.allSatisfy(\.isWhitespace) {
            problems.append("procedure[\(index)].title: must not be empty")
        }
        return problems
    }
}
