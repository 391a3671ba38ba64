/// The six case kinds (六件管理, 003 篇1). A case has no kind while it is only received; the kind
/// is set when it is classified, and becomes 补办件 or 退回件 on those paths.
public enum CaseKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// 即办件: simple, complete, finished on the spot (generally within 30 minutes).
    case immediate
    /// 承诺件: needs review, a hearing, a notice or a survey; finished within the promised limit.
    case promised
    /// 联办件: several windows or departments; the lead unit is responsible.
    case joint
    /// 补办件: received with materials to supplement; the clock starts when they are complete.
    case supplement
    /// 退回件: returned with a written reason.
    case returned
    /// 上报件: decided at county level or above; the accepting window is the full-process agent.
    case escalated
}

/// How a case reached the centre.
public enum Channel: String, Hashable, Sendable, Codable, CaseIterable {
    /// In person at a window.
    case window
    /// Through a village agent (代办).
    case agency
    case letter
    case phone
    case online
}
