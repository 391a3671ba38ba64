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
    /// Send the event over the federation (an outbox row): the case with all its materials to a
    /// higher level, the result down to the node it came from, every event to the parent for
    /// supervision.
    case emit(OutboxPurpose, to: OutboxDestination)
    /// File a refusal in the 否定报备 register for the leader.
    case fileRefusal
    /// Record the leader's review of the last refusal in the 否定报备 register.
    case recordRefusalReview
    /// A rung fired: raise the alert here and up the supervision chain.
    case raiseAlert(RungKey)
    /// Something a supervisor must see at once: a case returned (退回), an applicant dissatisfied.
    case alertSupervisors(CaseAlert)

    /// Whether the action journals an alert for the supervisors.
    public var raisesAlert: Bool {
        switch self {
        case .raiseAlert, .alertSupervisors: true
        default: false
        }
    }
}

/// Why a case event alerts the supervisors, beside the rungs.
public enum CaseAlert: String, Hashable, Sendable, Codable, CaseIterable {
    /// 退回: the case was returned to the applicant.
    case returned
    /// 不满意: the applicant's feedback.
    case dissatisfied
}

/// Why a record travels over a federation link.
public enum OutboxPurpose: String, Hashable, Sendable, Codable, CaseIterable {
    /// Every event of the subtree, for the ancestors' supervision.
    case supervisionCopy
    /// A case sent up to be decided (上报, 代办 submission), with its materials.
    case escalation
    /// A decision sent back down to the node the case came from.
    case result
    /// Any other event of a case the receiving node handled, for its history.
    case caseHistory
    /// A matter version or delegation, downward.
    case catalogue
    /// A holiday year or calendar change, downward.
    case calendar
    /// A 督办 order, downward.
    case order
}

/// Where an emitted record goes.
public enum OutboxDestination: Hashable, Sendable {
    /// This node's parent, whichever it is (none at the top of the tree).
    case parent
    case node(NodeCode)
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
    /// A 督办 order from a level above arrived.
    case supervisionOrdered
    /// A dissatisfied applicant: the director follows up (回访).
    case followUpOpened
}
