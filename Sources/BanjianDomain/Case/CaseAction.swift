/// What the owner of a case must do after an event: the state machine decides, the node acts.
public enum CaseAction: Hashable, Sendable {
    /// Project the clock's pending rungs (again) into the scheduler: it started, resumed or its
    /// budget changed.
    case scheduleRungs(ClockKind)
    /// Remove the clock's rungs from the scheduler: it paused or stopped.
    case cancelRungs(ClockKind)
    /// Print or send a notice to the applicant.
    case issueNotice(Notice)
    /// Tell a role at this node.
    case notify(Role, NotificationReason)
    /// Send the case, with all materials and the preliminary opinion, to the higher level.
    case forwardUpward(NodeCode)
    /// Send the result down to the node the case came from.
    case sendResultDownward(NodeCode)
    /// File a refusal in the 否定报备 register for the leader.
    case fileRefusal
    /// A rung fired: raise the alert here and up the supervision chain.
    case raiseAlert(RungKey)
}

/// The notices and slips the rules name (domain.md §2.1, §4).
public enum Notice: String, Hashable, Sendable, Codable, CaseIterable {
    /// 收件回执单.
    case receipt
    /// 《补办件通知书》/ 一次性告知书 with the missing materials.
    case supplementNotice
    /// 《承诺件受理通知书》.
    case promisedAcceptance
    /// 《联办件通知书》.
    case jointNotice
    /// 《上报件通知书》.
    case escalationNotice
    /// 《退回件通知书》 with the reason and appeal rights.
    case returnNotice
    /// Where to apply instead (not in scope).
    case referral
    /// The reason for an extension, told to the applicant.
    case extensionNotice
    /// 催办单 to the handler.
    case urgingSlip
    /// 不予办理通知书.
    case cannotHandleNotice
    /// The result is ready to collect.
    case resultReady
}

/// Why a role is told.
public enum NotificationReason: String, Hashable, Sendable, Codable, CaseIterable {
    case assigned, urged, refusalFiled, refusalOverturned, extensionRequested, agencyAccepted
    case resultReady, rungWarning, rungDue, rungSupervise
}
