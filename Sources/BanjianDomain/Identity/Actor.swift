/// The roles an operator can hold (design.md "Security"; domain.md §1.2).
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    /// 村代理员: takes applications in a village on the citizen's behalf (代办).
    case agent
    /// 咨询受理人员: receives, checks materials, accepts, urges, hands results over.
    case acceptor
    /// 承接办理人员 / 全程承办人: handles the case from acceptance to result.
    case handler
    /// 部室负责人 / 单位负责人: signs handling opinions; approves extensions in the department.
    case departmentHead
    /// 副主任: tracks time limits, 督办 and 催办; approves extensions; reviews refusals.
    case deputy
    /// 中心主任: leads the centre; instructs on 催办单; reviews refusals.
    case director
    /// 督查室: supervision, assessment, complaints.
    case supervisor
    /// Read-only auditor.
    case auditor
    /// The node itself (the deadline scheduler); never held by an operator token.
    case system

    /// The leaders whose approval an extension (延期) or a refusal review (否定报备) needs.
    public static let leaders: Set<Role> = [.departmentHead, .deputy, .director]
}

/// Who did something: an operator with a role at a node.
public struct Actor: Hashable, Sendable, Codable {
    public let operatorID: String
    public let name: String
    public let role: Role
    public let node: NodeCode

    public init(operatorID: String, name: String, role: Role, node: NodeCode) {
        self.operatorID = operatorID
        self.name = name
        self.role = role
        self.node = node
    }

    /// The node itself, the actor of the events it appends on its own (rungs fired, deadlines
    /// corrected).
    public static func system(of node: NodeCode) -> Actor {
        Actor(operatorID: "node", name: "办件系统", role: .system, node: node)
    }
}
