/// The rules on which the seeds disagree (domain.md §2.6), set per centre, plus the limits and
/// rungs every case uses. Every default is documented with its source or stated as Banjian's choice.
public struct CentreSettings: Hashable, Sendable, Codable {
    /// When a limit stated in days starts counting.
    public enum ClockStart: String, Hashable, Sendable, Codable, CaseIterable {
        /// From the day of receipt (收件之日, 001 篇三 6(1)): the receipt day is day one.
        case receiptDay
        /// From the day after receipt (次日, 001 篇六 限时办结制度 第三条), as the law counts periods.
        case nextDay
    }

    /// What happens when materials are incomplete.
    public enum IncompleteMaterials: String, Hashable, Sendable, Codable, CaseIterable {
        /// 003 篇1: a 补办件 is received first and marked as such; the clock starts when the
        /// materials are complete; a missing main document means a return, not a supplement.
        case acceptThenSupplement
        /// 000: the 补交材料清单 comes first and acceptance is registered only on completion;
        /// the case is not counted as a 补办件.
        case supplementThenAccept
    }

    /// The complex-complaint reply limit.
    public enum ComplaintLimit: String, Hashable, Sendable, Codable, CaseIterable {
        /// 003 篇1 投诉制度 六: within one week.
        case oneWeek
        /// 001 篇四 附件2 投诉处理制度 五: within 5 working days, then escalation to the county.
        case fiveWorkingDays

        public var limit: TimeLimit {
            switch self {
            case .oneWeek: .calendarDays(7)
            case .fiveWorkingDays: .workingDays(5)
            }
        }
    }

    /// Default `.nextDay`: the stricter source for working-day counting (001 篇六) and the legal
    /// convention that the first day of a period is not counted.
    public var clockStart: ClockStart
    /// Default `.acceptThenSupplement`: 003 篇1 is the core rule set for the six kinds.
    public var incompleteMaterials: IncompleteMaterials
    /// Departments a 联办件 needs at least. Default 2: five sources against one (003 篇1 says 3).
    public var jointThreshold: Int
    /// Default `.fiveWorkingDays`: it comes with an escalation rule the other lacks.
    public var complexComplaintLimit: ComplaintLimit
    /// The fixed limits the rules give.
    public var limits: StandardLimits
    /// The rungs of every clock.
    public var ladder: RungLadder
    /// The monthly assessment's scheme.
    public var assessment: AssessmentScheme = .standard

    public init(
        clockStart: ClockStart = .nextDay,
        incompleteMaterials: IncompleteMaterials = .acceptThenSupplement,
        jointThreshold: Int = 2,
        complexComplaintLimit: ComplaintLimit = .fiveWorkingDays,
        limits: StandardLimits = StandardLimits(),
        ladder: RungLadder = .standard
    ) {
        self.clockStart = clockStart
        self.incompleteMaterials = incompleteMaterials
        self.jointThreshold = jointThreshold
        self.complexComplaintLimit = complexComplaintLimit
        self.limits = limits
        self.ladder = ladder
    }

    /// The defaults described on each property.
    public static let standard = CentreSettings()

    /// The problems that make these settings unusable; empty when they are valid.
    public var problems: [String] {
        var problems: [String] = []
        if !(2...3).contains(jointThreshold) { problems.append("jointThreshold must be 2 or 3, got \(jointThreshold)") }
        for (name, limit) in limits.named where !limit.isValid {
            problems.append("limits.\(name) is out of range: \(limit)")
        }
        if ladder.rungs.isEmpty { problems.append("ladder must have at least one rung") }
        problems += assessment.problems.map { "assessment.\($0)" }
        for rung in ladder.rungs {
            if case .consumedPermille(let p) = rung.trigger, !(1...10_000).contains(p) {
                problems.append("ladder.\(rung.kind.rawValue): permille must be in 1...10000, got \(p)")
            }
            if case .daysFromDue(let d) = rung.trigger, !(-365...365).contains(d) {
                problems.append("ladder.\(rung.kind.rawValue): days from due must be in -365...365, got \(d)")
            }
        }
        return problems
    }
}

/// The limits the seeds fix for every case, independent of the matter.
public struct StandardLimits: Hashable, Sendable, Codable {
    /// 即办件: generally within 30 minutes (003 篇1 限时办结制度 二).
    public var immediate: TimeLimit = .workingMinutes(30)
    /// 上报时限: the seeds give no general value; the 低保 example forwards within one working day
    /// (001 篇四 附件4). Banjian's default.
    public var forwarding: TimeLimit = .workingDays(1)
    /// Leader review of a refusal: 2 working days (002 六(五)).
    public var refusalReview: TimeLimit = .workingDays(2)
    /// Handler after an overturned refusal: 1 working day (002 六(五)).
    public var refusalRecheck: TimeLimit = .workingDays(1)
    /// Result delivered within 5 days of the decision (001 篇三 6(3)); counted in working days as
    /// licensing periods are. Banjian's reading.
    public var delivery: TimeLimit = .workingDays(5)
    /// Petition reply within 3 days (003 篇1 信访接待制度); counted in working days. Banjian's reading.
    public var petitionReply: TimeLimit = .workingDays(3)
    /// A petition a leader receives (领导接待, 领导批办) is answered generally within one week (003 篇1
    /// 信访接待制度 三2).
    public var leaderPetitionReply: TimeLimit = .calendarDays(7)
    /// A simple complaint is answered the same or the next day (003 篇1 投诉制度 六).
    public var simpleComplaintReply: TimeLimit = .workingDays(1)
    /// When a matter states no promised limit: 5 days, the top of 003 篇1's "3–5日". Banjian's default.
    public var defaultPromised: TimeLimit = .workingDays(5)
    /// The director's follow-up (回访) of a dissatisfied applicant: the seeds give no limit;
    /// 3 working days, as a petition's reply (003 篇1). Banjian's default.
    public var followUp: TimeLimit = .workingDays(3)

    public init() {}

    /// Every limit with its field name, for validation and reports.
    public var named: [(String, TimeLimit)] {
        [("immediate", immediate), ("forwarding", forwarding), ("refusalReview", refusalReview),
         ("refusalRecheck", refusalRecheck), ("delivery", delivery), ("petitionReply", petitionReply),
         ("leaderPetitionReply", leaderPetitionReply),
         ("simpleComplaintReply", simpleComplaintReply), ("defaultPromised", defaultPromised), ("followUp", followUp)]
    }
}
