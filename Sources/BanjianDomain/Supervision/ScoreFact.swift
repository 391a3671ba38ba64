public import Foundation

/// A fact about a case that the monthly assessment (考核, domain.md §6.1) scores: raised by one
/// event of the case, never changed afterwards, and scored under the centre's
/// ``AssessmentScheme`` when the assessment is asked for.
public struct ScoreFact: Hashable, Sendable {
    /// What happened.
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        /// A promised clock (承诺时限) stopped after its due instant; `count` is the working days late.
        case overduePromised = "overdue-promised"
        /// A statutory clock (法定时限) stopped after its due instant; `count` is the working days late.
        case overdueStatutory = "overdue-statutory"
        /// A case completed within its promised limit; `count` is the permille of the limit used.
        case completedWithinPromise = "completed-within-promise"
        /// A return (退回) that the leader's review did not uphold: an unjustified refusal.
        case unjustifiedReturn = "unjustified-return"
        /// An approved extension (延期); `count` is its working days.
        case extensionApproved = "extension-approved"
        /// The director's follow-up (回访) found a dissatisfied applicant right.
        case dissatisfactionVerified = "dissatisfaction-verified"
        /// A complaint the investigation found true (投诉属实), charged to the window complained about.
        case complaintVerified = "complaint-verified"
        /// A complaint answered after its limit; `count` is the working days late.
        case complaintLate = "complaint-late"
    }

    /// The case, or the complaint.
    public let caseNumber: CaseNumber
    public let rule: Rule
    /// The event that raised it; for a complaint, its node and the version of the complaint that
    /// recorded the answer.
    public let event: EventID
    public let occurredAt: Date
    /// The window and the staff member charged: the case's centre, window and handler.
    public let node: NodeCode
    public let department: String
    public let handler: String
    public let handlerName: String
    public let count: Int
    /// For a clock stopped late: its due instant, so that each month is charged the working days
    /// late that fall in it. `nil` for other facts (and for overdue facts kept before v14, which
    /// charge their month of stopping).
    public let since: Date?

    public init(caseNumber: CaseNumber, rule: Rule, event: EventID, occurredAt: Date, node: NodeCode, department: String,
                handler: String, handlerName: String, count: Int, since: Date? = nil) {
        self.caseNumber = caseNumber
        self.rule = rule
        self.event = event
        self.occurredAt = occurredAt
        self.node = node
        self.department = department
        self.handler = handler
        self.handlerName = handlerName
        self.count = count
        self.since = since
    }

    /// The facts that the event `recorded` raises, moving its case from `previous` to `record`.
    /// A clock is late when the budget of its current epoch ran out before it stopped; the working
    /// days from that instant to the stop are counted through `calendar` when the event happens
    /// (any part of a working day counts as one, and a clock stopped late counts at least one).
    /// - Complexity: O(ledger entries of the case's clocks).
    public static func raised(by recorded: RecordedEvent, previous: CaseRecord?, record: CaseRecord,
                              calendar: WorkingCalendar) -> [ScoreFact] {
        func fact(_ rule: Rule, _ count: Int, charged: Actor? = nil, since: Date? = nil) -> ScoreFact {
            let handler = charged ?? record.assignment?.handler
            return ScoreFact(caseNumber: record.number, rule: rule, event: recorded.id, occurredAt: recorded.occurredAt,
                             node: record.agencySubmittedTo ?? record.number.origin, department: record.assignment?.department ?? "",
                             handler: handler?.operatorID ?? "", handlerName: handler?.name ?? "", count: count, since: since)
        }
        var facts: [ScoreFact] = []
        for kind in [ClockKind.promised, .statutory] {
            guard let clock = record.clocks[kind], case .stopped(let at) = clock.status,
                  let before = previous?.clocks[kind], !before.isStopped || before.epoch != clock.epoch
            else { continue }
            // Late when this epoch's budget ran out before the clock stopped, whatever earlier epochs did.
            if let due = clock.instant(whenConsumed: clock.budgetSeconds, calendar: calendar)?.instant, due < at {
                let late = calendar.workingDaysLate(from: due, to: at)
                facts.append(fact(kind == .promised ? .overduePromised : .overdueStatutory, late, since: due))
            } else if kind == .promised, record.result != nil, clock.budgetSeconds > 0 {
                let used = clock.consumedSeconds(at: at, calendar: calendar)
                facts.append(fact(.completedWithinPromise, Int(min(1000, used * 1000 / clock.budgetSeconds))))
            }
        }
        switch recorded.event {
        case .returnReviewed(upheld: false, note: _):
            if let last = record.returns.last { facts.append(fact(.unjustifiedReturn, 1, charged: record.assignment?.handler ?? last.returnedBy)) }
        case .extensionDecided(approved: true, _):
            if let approved = record.extensions.last { facts.append(fact(.extensionApproved, approved.workingDays)) }
        case .followUpRecorded(outcome: .verified, _):
            facts.append(fact(.dissatisfactionVerified, 1))
        default:
            break
        }
        return facts
    }
}
