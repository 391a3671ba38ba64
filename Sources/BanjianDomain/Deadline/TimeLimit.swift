public import Foundation

/// A time limit as the rules state it: in working days (工作日), working minutes, or calendar days.
public enum TimeLimit: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Whole working days; the count starts per `CentreSettings.clockStart`.
    case workingDays(Int)
    /// Working minutes from the moment the clock starts (即办件: 30).
    case workingMinutes(Int)
    /// Calendar days (a week = 7), counted in elapsed time; the count starts per
    /// `CentreSettings.clockStart`.
    case calendarDays(Int)

    /// The largest amount any limit may state: ten years of days.
    public static let maximumAmount = 3660

    /// The stated amount.
    public var amount: Int {
        switch self {
        case .workingDays(let n), .workingMinutes(let n), .calendarDays(let n): n
        }
    }

    /// Whether the amount is within 1...`maximumAmount` (minutes: within that many days' minutes).
    public var isValid: Bool {
        switch self {
        case .workingDays(let n), .calendarDays(let n): (1...Self.maximumAmount).contains(n)
        case .workingMinutes(let n): (1...(Self.maximumAmount * 1440)).contains(n)
        }
    }

    /// How a clock running this limit measures time.
    public var measure: DeadlineClock.Measure {
        switch self {
        case .workingDays, .workingMinutes: .workingTime
        case .calendarDays: .elapsedTime
        }
    }

    /// The budget in seconds of the limit's measure.
    /// - Parameter workingSecondsPerDay: the office day's length.
    public func budgetSeconds(workingSecondsPerDay: Int64) -> Int64 {
        switch self {
        case .workingDays(let n): Int64(n) * workingSecondsPerDay
        case .workingMinutes(let n): Int64(n) * 60
        case .calendarDays(let n): Int64(n) * 86_400
        }
    }

    /// Where a clock running this limit from `reference` starts: limits in minutes at the instant
    /// itself, limits in days at the start of the day of `reference` or of the next day, per
    /// `clockStart`.
    public func origin(reference: Date, clockStart: CentreSettings.ClockStart, calendar: WorkingCalendar) -> Date {
        switch self {
        case .workingMinutes:
            return reference
        case .workingDays, .calendarDays:
            let day = calendar.civilDate(of: reference)
            return calendar.startOfDay(clockStart == .nextDay ? day.adding(days: 1) : day)
        }
    }

    public var description: String {
        switch self {
        case .workingDays(let n): "\(n) working days"
        case .workingMinutes(let n): "\(n) working minutes"
        case .calendarDays(let n): "\(n) calendar days"
        }
    }
}

/// The clocks a case can carry. Each has its own budget, ledger and rungs.
public enum ClockKind: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// 承诺时限: the centre's published promise.
    case promised
    /// 法定时限: the limit set by law or regulation.
    case statutory
    /// 上报时限: forwarding an escalated case to the higher level.
    case forwarding
    /// 否定报备: the responsible leader reviews a refusal (2 working days, 002 六(五)).
    case refusalReview
    /// After a leader overturns a refusal, the handler processes it (1 working day, 002 六(五)).
    case refusalRecheck
    /// Delivering the result after the decision (5 days, 001 篇三 6(3)).
    case delivery
    /// Replying to a petition (信访: 3 days, 003 篇1).
    case petitionReply
    /// Replying to a complaint (投诉: next day, or the complex-complaint limit).
    case complaintReply
    /// Answering a 督办 order from a level above (the order's own limit).
    case supervisionOrder
    /// The director's follow-up (回访) of a dissatisfied applicant.
    case followUp

    public static func < (lhs: ClockKind, rhs: ClockKind) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
