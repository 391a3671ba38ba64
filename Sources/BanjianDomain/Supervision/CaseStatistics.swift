/// One figure of the case statistics (办件统计).
public enum StatisticsCounter: Int, Hashable, Sendable, CaseIterable {
    /// 受理: every case.
    case received
    /// 办结: the result exists.
    case completed
    /// 现场办结: a 即办件 with its result.
    case completedOnSpot
    /// Completed, and never overdue on its promised or statutory limit.
    case onTime
    /// 超期: the promised or statutory limit's due rung fired.
    case overdue
    /// 延期: an extension was approved.
    case extended
    /// 退回: the case ended returned.
    case returned
    /// 上报: the case was forwarded to the level above.
    case forwardedUp
    case satisfied
    case basicallySatisfied
    case dissatisfied
    /// 咨询: a consultation registered (not a case; counted on its own day).
    case consultations
    /// 信访: a petition registered (counted on its day of registration).
    case petitions
    /// 投诉: a complaint registered.
    case complaints
    /// A complaint whose reply limit was missed (its due rung fired, or it was answered late).
    case complaintsOverdue

    /// The column name in `case_statistics`.
    public var column: String {
        switch self {
        case .received: "received"
        case .completed: "completed"
        case .completedOnSpot: "completed_on_spot"
        case .onTime: "on_time"
        case .overdue: "overdue"
        case .extended: "extended"
        case .returned: "returned"
        case .forwardedUp: "forwarded_up"
        case .satisfied: "satisfied"
        case .basicallySatisfied: "basically_satisfied"
        case .dissatisfied: "dissatisfied"
        case .consultations: "consultations"
        case .petitions: "petitions"
        case .complaints: "complaints"
        case .complaintsOverdue: "complaints_overdue"
        }
    }
}

/// Where a case counts and what it counts as, a pure function of the case as it stands.
///
/// A case counts on the day it was received, at the centre that took it (the township for a
/// village's agency case once submitted), under its window, handler and matter: a period's
/// figures are those of the cases received within it, as they stand now. Every figure is 0 or 1
/// per case, so the statistics of a node are the sum of its cases' tallies, and the difference
/// of a case's tally before and after an event is what that event changes.
public struct CaseTally: Hashable, Sendable {
    /// The statistics row a case adds to.
    public struct Key: Hashable, Sendable {
        /// The civil day of receipt as `yyyymmdd`.
        public let day: Int
        public let node: NodeCode
        /// The window (承办部室); empty before assignment.
        public let department: String
        /// The handler's operator id; empty before assignment.
        public let handler: String
        public let matter: String

        public init(day: Int, node: NodeCode, department: String, handler: String, matter: String) {
            self.day = day
            self.node = node
            self.department = department
            self.handler = handler
            self.matter = matter
        }
    }

    public let key: Key
    /// Labels of the key: the handler's and the matter's names.
    public let handlerName: String
    public let matterName: String
    public let counters: Set<StatisticsCounter>

    /// The tally of `record`; days are civil days in `zone`.
    public init(_ record: CaseRecord, zone: CalendarZone) {
        let date = zone.civilDate(of: record.receivedAt)
        key = Key(day: date.dayKey, node: record.agencySubmittedTo ?? record.number.origin,
                  department: record.assignment?.department ?? "", handler: record.assignment?.handler.operatorID ?? "",
                  matter: record.matter.code)
        handlerName = record.assignment?.handler.name ?? ""
        matterName = record.matter.name
        var counters: Set<StatisticsCounter> = [.received]
        if record.result != nil {
            counters.insert(.completed)
            if record.kind == .immediate { counters.insert(.completedOnSpot) }
            if !record.wasOverdue { counters.insert(.onTime) }
        }
        if record.wasOverdue { counters.insert(.overdue) }
        if record.wasExtended { counters.insert(.extended) }
        switch record.state {
        case .closed(.returned), .archived(closure: .returned): counters.insert(.returned)
        default: break
        }
        if record.escalation != nil { counters.insert(.forwardedUp) }
        switch record.feedback?.satisfaction {
        case .satisfied: counters.insert(.satisfied)
        case .basicallySatisfied: counters.insert(.basicallySatisfied)
        case .dissatisfied: counters.insert(.dissatisfied)
        case .notEvaluated, nil: break
        }
        self.counters = counters
    }

    /// What moving a case from tally `old` (none for a new case) to `new` adds to each row:
    /// at most two rows, with +1, −1 or 0 per figure.
    public static func change(from old: CaseTally?, to new: CaseTally) -> [(tally: CaseTally, delta: StatisticsFigures)] {
        guard let old, old != new else { return old == nil ? [(new, StatisticsFigures(new.counters))] : [] }
        if old.key == new.key {
            return [(new, StatisticsFigures(new.counters) - StatisticsFigures(old.counters))]
        }
        return [(old, StatisticsFigures() - StatisticsFigures(old.counters)), (new, StatisticsFigures(new.counters))]
    }
}

/// The figures of a statistics row, and its rates.
public struct StatisticsFigures: Hashable, Sendable {
    private var counts = [Int](repeating: 0, count: StatisticsCounter.allCases.count)

    public init() {}

    /// One for each counter in `counters`.
    public init(_ counters: Set<StatisticsCounter>) {
        for counter in counters { counts[counter.rawValue] = 1 }
    }

    public subscript(counter: StatisticsCounter) -> Int {
        get { counts[counter.rawValue] }
        set { counts[counter.rawValue] = newValue }
    }

    public static func + (a: StatisticsFigures, b: StatisticsFigures) -> StatisticsFigures {
        var sum = a
        for counter in StatisticsCounter.allCases { sum[counter] += b[counter] }
        return sum
    }

    public static func - (a: StatisticsFigures, b: StatisticsFigures) -> StatisticsFigures {
        var difference = a
        for counter in StatisticsCounter.allCases { difference[counter] -= b[counter] }
        return difference
    }

    /// 办结率 = completed ÷ received, in basis points (0 without cases).
    public var completionRateBasisPoints: Int { Self.rate(self[.completed], of: self[.received]) }
    /// 现场办结率 = completed on the spot ÷ received.
    public var onSpotRateBasisPoints: Int { Self.rate(self[.completedOnSpot], of: self[.received]) }
    /// 按时办结率 = completed on time ÷ completed.
    public var onTimeRateBasisPoints: Int { Self.rate(self[.onTime], of: self[.completed]) }
    /// 满意率 = (satisfied + basically satisfied) ÷ (satisfied + basically satisfied + dissatisfied);
    /// an applicant who declined to evaluate is outside the base.
    public var satisfactionRateBasisPoints: Int {
        Self.rate(self[.satisfied] + self[.basicallySatisfied], of: evaluated)
    }

    /// The cases with feedback that evaluates (satisfied, basically, dissatisfied): the base of 满意率.
    public var evaluated: Int { self[.satisfied] + self[.basicallySatisfied] + self[.dissatisfied] }

    /// `part ÷ whole` in basis points, rounded half up; 0 when `whole` is 0.
    public static func rate(_ part: Int, of whole: Int) -> Int {
        whole > 0 ? (part * 20_000 + whole) / (2 * whole) : 0
    }
}

/// How statistics rows are grouped.
public enum StatisticsGrouping: String, Hashable, Sendable, CaseIterable {
    case node, window, handler, matter
    case day, week, month, quarter, year

    /// Whether the grouping is a period (day to year) rather than a subject.
    public var isPeriod: Bool { [.day, .week, .month, .quarter, .year].contains(self) }

    /// The row key of a tally key under this grouping. Windows and handlers are keyed within
    /// their node; weeks are ISO weeks (`2026-W48`, Monday first), quarters `2026-Q4`.
    public func rowKey(_ key: CaseTally.Key) -> String {
        let year = key.day / 10_000, month = key.day / 100 % 100, day = key.day % 100
        switch self {
        case .node: return key.node.rawValue
        case .window: return key.node.rawValue + "/" + key.department
        case .handler: return key.node.rawValue + "/" + key.handler
        case .matter: return key.matter
        case .day: return String(format: "%04d-%02d-%02d", year, month, day)
        case .week:
            guard let date = CivilDate(dayKey: key.day) else { return "" }
            let week = date.isoWeek
            return String(format: "%04d-W%02d", week.year, week.week)
        case .month: return String(format: "%04d-%02d", year, month)
        case .quarter: return String(format: "%04d-Q%d", year, (month - 1) / 3 + 1)
        case .year: return String(format: "%04d", year)
        }
    }
}

extension CivilDate {
    /// The ISO 8601 week (Monday first; week 1 holds the year's first Thursday) and its year.
    public var isoWeek: (year: Int, week: Int) {
        let thursday = adding(days: Weekday.thursday.rawValue - weekday.rawValue)
        let firstOfYear = CivilDate(year: thursday.year, month: 1, day: 1)!
        return (thursday.year, (thursday.dayNumber - firstOfYear.dayNumber) / 7 + 1)
    }
}

/// Which statistics to answer.
public struct StatisticsQuery: Hashable, Sendable {
    /// Cases counted at nodes of this subtree only; `nil`: every case the node knows.
    public var subtree: NodeCode?
    public var grouping: StatisticsGrouping
    /// Cases received on these civil days (inclusive).
    public var days: ClosedRange<CivilDate>
    /// A period grouping that also splits each subject's row (each township per month); `nil`:
    /// the whole of `days`.
    public var interval: StatisticsGrouping?

    public init(subtree: NodeCode?, grouping: StatisticsGrouping, days: ClosedRange<CivilDate>, interval: StatisticsGrouping? = nil) {
        self.subtree = subtree
        self.grouping = grouping
        self.days = days
        self.interval = interval
    }

    /// The row key of a tally key: the interval's period first, when there is one.
    public func rowKey(_ key: CaseTally.Key) -> String {
        guard let interval, interval != grouping else { return grouping.rowKey(key) }
        return interval.rowKey(key) + " " + grouping.rowKey(key)
    }
}

/// One row of the answer: a group's key, its label, the node of a window or handler, and its figures.
public struct StatisticsRow: Hashable, Sendable {
    public let key: String
    public let label: String
    public let node: NodeCode?
    public let figures: StatisticsFigures

    public init(key: String, label: String, node: NodeCode?, figures: StatisticsFigures) {
        self.key = key
        self.label = label
        self.node = node
        self.figures = figures
    }
}
