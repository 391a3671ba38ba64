public import Foundation

/// A centre's monthly 100-point scheme (考核办法, domain.md §6.1): what each fact costs or earns,
/// the grades, what bars a window from 优秀, and who wins the quarter's 流动红旗. Every default
/// is the seeds' figure, or where they give a range its lower end, as stated on each property.
public struct AssessmentScheme: Hashable, Sendable, Codable {
    /// 100 (003 篇1 评比办法; 001 篇六 考核办法).
    public var basePoints = 100
    /// Per working day late against the promised limit: 5 (001 篇六 第十一条(四); 002 八(四)5 says 5–10).
    public var overduePromisedPerWorkingDay = 5
    /// Per working day late against the statutory limit: 10, the heavier rule (002 八(五)1 says 10–15).
    public var overdueStatutoryPerWorkingDay = 10
    /// An unjustified refusal (a return the review did not uphold): 10 (001 篇六 第十一条).
    public var unjustifiedReturn = 10
    /// A dissatisfaction the director's follow-up (回访) found justified: 5 (001 篇六 第十一条).
    public var verifiedDissatisfaction = 5
    /// A complaint found true (投诉属实): 5, charged to the window complained about (001 篇六 第十一条).
    public var verifiedComplaint = 5
    /// Per working day a complaint is answered after its limit: 2 (001 篇六 第十一条(六), "每延误一天扣2分";
    /// Banjian counts working days, as for every other limit).
    public var lateComplaintPerWorkingDay = 2
    /// Not 优秀 with this many verified complaints in the month (2; 001 篇六 says within 20 working days,
    /// about a month).
    public var disqualifyingVerifiedComplaints = 2
    /// Bonus for a case completed with the promised time compressed by more than 70 %: 2
    /// (001 篇六 加分), given when at most `compressedUsedPercent` of the limit was used.
    public var compressedPromiseBonus = 2
    public var compressedUsedPercent = 30
    /// 优秀 at 90 and above, 合格 at 70 and above (001 篇六).
    public var excellentAt = 90
    public var qualifiedAt = 70
    /// Not 优秀 in a month with this many cases extended and unfinished at its end (3), or with one
    /// case extended by this many working days (3) (001 篇六 第十三条(七)).
    public var disqualifyingUnfinishedExtensions = 3
    public var disqualifyingExtensionWorkingDays = 3
    /// 流动红旗: at a quarter's last month, the windows ranked within the top `redFlagTopRanks` in
    /// at least `redFlagMonths` months of the quarter, and never disqualified nor below 合格 in it.
    /// 003 篇1 ("季度汇总时连续得分…位于前10名") leaves the figures to the centre; Banjian's
    /// defaults: the top 3 in all 3 months.
    public var redFlagTopRanks = 3
    public var redFlagMonths = 3

    public init() {}

    public static let standard = AssessmentScheme()

    /// Reads the fields present and keeps the defaults of the others, so that a config names only
    /// what the centre changes.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: FieldKey.self)
        for (name, path) in Self.fields {
            if let value = try container.decodeIfPresent(Int.self, forKey: FieldKey(stringValue: name)) { self[keyPath: path] = value }
        }
    }

    private struct FieldKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static var fields: [(String, WritableKeyPath<AssessmentScheme, Int>)] {
        [
            ("basePoints", \.basePoints), ("overduePromisedPerWorkingDay", \.overduePromisedPerWorkingDay),
            ("overdueStatutoryPerWorkingDay", \.overdueStatutoryPerWorkingDay), ("unjustifiedReturn", \.unjustifiedReturn),
            ("verifiedDissatisfaction", \.verifiedDissatisfaction), ("verifiedComplaint", \.verifiedComplaint),
            ("lateComplaintPerWorkingDay", \.lateComplaintPerWorkingDay), ("disqualifyingVerifiedComplaints", \.disqualifyingVerifiedComplaints),
            ("compressedPromiseBonus", \.compressedPromiseBonus), ("compressedUsedPercent", \.compressedUsedPercent),
            ("excellentAt", \.excellentAt), ("qualifiedAt", \.qualifiedAt),
            ("disqualifyingUnfinishedExtensions", \.disqualifyingUnfinishedExtensions),
            ("disqualifyingExtensionWorkingDays", \.disqualifyingExtensionWorkingDays), ("redFlagTopRanks", \.redFlagTopRanks),
            ("redFlagMonths", \.redFlagMonths),
        ]
    }

    /// The problems that make this scheme unusable; empty when it is valid.
    public var problems: [String] {
        var problems: [String] = []
        for (name, value) in [("basePoints", basePoints), ("overduePromisedPerWorkingDay", overduePromisedPerWorkingDay),
                              ("overdueStatutoryPerWorkingDay", overdueStatutoryPerWorkingDay), ("unjustifiedReturn", unjustifiedReturn),
                              ("verifiedDissatisfaction", verifiedDissatisfaction), ("verifiedComplaint", verifiedComplaint),
                              ("lateComplaintPerWorkingDay", lateComplaintPerWorkingDay),
                              ("compressedPromiseBonus", compressedPromiseBonus)] where !(0...1000).contains(value) {
            problems.append("\(name) must be in 0...1000, got \(value)")
        }
        if !(0...100).contains(compressedUsedPercent) { problems.append("compressedUsedPercent must be in 0...100, got \(compressedUsedPercent)") }
        if !(qualifiedAt <= excellentAt && qualifiedAt >= 0) {
            problems.append("qualifiedAt (\(qualifiedAt)) must be at least 0 and at most excellentAt (\(excellentAt))")
        }
        if disqualifyingUnfinishedExtensions < 1 { problems.append("disqualifyingUnfinishedExtensions must be at least 1") }
        if disqualifyingVerifiedComplaints < 1 { problems.append("disqualifyingVerifiedComplaints must be at least 1") }
        if disqualifyingExtensionWorkingDays < 1 { problems.append("disqualifyingExtensionWorkingDays must be at least 1") }
        if redFlagTopRanks < 1 { problems.append("redFlagTopRanks must be at least 1") }
        if !(1...3).contains(redFlagMonths) { problems.append("redFlagMonths must be in 1...3, got \(redFlagMonths)") }
        return problems
    }
}

/// A calendar month in the centre's zone.
public struct YearMonth: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// The month as the number `yyyymm`, as stored with the score facts.
    public var key: Int { year * 100 + month }

    /// The years a month may name: the months either side stay within ``CivilDate``'s range.
    public static let supportedYears = 1970...2200

    public init?(year: Int, month: Int) {
        guard Self.supportedYears.contains(year), (1...12).contains(month) else { return nil }
        self.init(checkedYear: year, month: month)
    }

    private init(checkedYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// `2026-11`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        self.init(year: year, month: month)
    }

    /// The month holding `instant` in `zone`.
    public init(of instant: Date, zone: CalendarZone) {
        let date = zone.civilDate(of: instant)
        year = date.year
        month = date.month
    }

    public var first: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    public var last: CivilDate { CivilDate(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))! }
    public var next: YearMonth { month == 12 ? YearMonth(checkedYear: year + 1, month: 1) : YearMonth(checkedYear: year, month: month + 1) }
    public var previous: YearMonth { month == 1 ? YearMonth(checkedYear: year - 1, month: 12) : YearMonth(checkedYear: year, month: month - 1) }
    /// The months of this month's quarter, first to last.
    public var quarter: [YearMonth] {
        let first = (month - 1) / 3 * 3 + 1
        return (first..<first + 3).map { YearMonth(checkedYear: year, month: $0) }
    }

    public var description: String { String(format: "%04d-%02d", year, month) }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// Who is assessed.
public enum AssessmentSubjectKind: String, Hashable, Sendable, CaseIterable {
    /// A window (承办部室) of a centre.
    case window
    /// A staff member (the handler charged).
    case staff
}

/// 等次.
public enum AssessmentGrade: String, Hashable, Sendable {
    /// 优秀.
    case excellent
    /// 合格 (windows) / 称职 (staff).
    case qualified
    /// 不合格 / 不称职.
    case unqualified
}

/// A window or a staff member of a node.
public struct AssessmentSubject: Hashable, Sendable, Comparable {
    public let node: NodeCode
    /// The department for a window, the operator id for staff.
    public let id: String
    public let name: String

    public init(node: NodeCode, id: String, name: String) {
        self.node = node
        self.id = id
        self.name = name
    }

    public static func < (a: AssessmentSubject, b: AssessmentSubject) -> Bool { (a.node.rawValue, a.id) < (b.node.rawValue, b.id) }

    /// The same subject whatever name it was given (an operator renamed is still one person).
    public static func == (a: AssessmentSubject, b: AssessmentSubject) -> Bool { a.node == b.node && a.id == b.id }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(node)
        hasher.combine(id)
    }
}

/// One deduction or bonus, or a fact that bars 优秀 (0 points), with the events behind it.
public struct ScoreItem: Hashable, Sendable {
    public let rule: String
    public let text: String
    public let points: Int
    public let caseNumber: CaseNumber?
    public let count: Int
    public let events: [EventID]

    public init(rule: String, text: String, points: Int, caseNumber: CaseNumber?, count: Int, events: [EventID]) {
        self.rule = rule
        self.text = text
        self.points = points
        self.caseNumber = caseNumber
        self.count = count
        self.events = events
    }
}

/// A subject's month.
public struct Assessment: Hashable, Sendable {
    public let kind: AssessmentSubjectKind
    public let subject: AssessmentSubject
    public let month: YearMonth
    public let basePoints: Int
    public let items: [ScoreItem]
    public var totalPoints: Int { basePoints + items.reduce(0) { $0 + $1.points } }
    public let excellentDisqualified: Bool
    public let grade: AssessmentGrade
    /// 1 = best, among the subjects of the same kind assessed together.
    public internal(set) var rank: Int
    public internal(set) var redFlag: Bool

    public init(kind: AssessmentSubjectKind, subject: AssessmentSubject, month: YearMonth, basePoints: Int, items: [ScoreItem],
                excellentDisqualified: Bool, grade: AssessmentGrade, rank: Int, redFlag: Bool) {
        self.kind = kind
        self.subject = subject
        self.month = month
        self.basePoints = basePoints
        self.items = items
        self.excellentDisqualified = excellentDisqualified
        self.grade = grade
        self.rank = rank
        self.redFlag = redFlag
    }
}

/// A running promised or statutory clock past due, or a complaint's reply clock: each month is
/// charged the working days late that fall in it up to the assessment's `now` (provisionally in
/// the month holding `now`). Once the clock stops, its ``ScoreFact`` charges the same days.
public struct OpenBreach: Hashable, Sendable {
    public let caseNumber: CaseNumber
    public let clock: ClockKind
    public let node: NodeCode
    public let department: String
    public let handler: String
    public let handlerName: String
    public let dueAt: Date
    /// The due rung's event, when it is in this node's journal.
    public let dueEvent: EventID?

    public init(caseNumber: CaseNumber, clock: ClockKind, node: NodeCode, department: String, handler: String, handlerName: String,
                dueAt: Date, dueEvent: EventID?) {
        self.caseNumber = caseNumber
        self.clock = clock
        self.node = node
        self.department = department
        self.handler = handler
        self.handlerName = handlerName
        self.dueAt = dueAt
        self.dueEvent = dueEvent
    }
}

/// What one month's assessment is computed from: the facts raised in the month and the late
/// clocks stopped in it or after it, the clocks still running past due as of `now`, when the
/// cases of its extensions ended, and the subjects known to have worked in the month.
public struct AssessmentMonth: Sendable {
    public var month: YearMonth
    public var facts: [ScoreFact]
    public var openBreaches: [OpenBreach]
    /// The instant the open breaches are measured to.
    public var now: Date
    /// When each case of an `extensionApproved` fact ended (its result or its closure); absent while it runs.
    public var caseEnds: [CaseNumber: Date]
    /// The subjects of the kind assessed that worked in the month (cases received), scored even
    /// without a fact.
    public var subjects: Set<AssessmentSubject>

    public init(month: YearMonth, facts: [ScoreFact], openBreaches: [OpenBreach] = [], now: Date = .distantFuture,
                caseEnds: [CaseNumber: Date] = [:], subjects: Set<AssessmentSubject> = []) {
        self.month = month
        self.facts = facts
        self.openBreaches = openBreaches
        self.now = now
        self.caseEnds = caseEnds
        self.subjects = subjects
    }
}

extension AssessmentScheme {
    /// The items that bar 优秀 (0 points each).
    static let extensionLong = "extension-long", extensionsUnfinished = "extensions-unfinished", complaintsVerified = "complaints-verified"
    static let barringRules: Set<String> = [extensionLong, extensionsUnfinished, complaintsVerified]

    /// The points a lateness rule costs per working day late.
    private func perWorkingDay(_ rule: ScoreFact.Rule) -> Int {
        switch rule {
        case .complaintLate: lateComplaintPerWorkingDay
        case .overdueStatutory: overdueStatutoryPerWorkingDay
        default: overduePromisedPerWorkingDay
        }
    }

    /// Scores every subject of `kind` in `month`, ranked (ties share a rank; order by points, then
    /// node and id). Lateness is charged month by month: a month gets the working days late that
    /// fall in it (any part of a working day counts as one), through `calendar`.
    /// - Complexity: O(facts + subjects log subjects).
    public func assess(_ month: AssessmentMonth, kind: AssessmentSubjectKind, calendar: WorkingCalendar) -> [Assessment] {
        let monthStart = calendar.zone.instant(month.month.first), monthEnd = calendar.zone.instant(month.month.next.first)
        /// Working days late within the month, from `due` to `end`.
        func daysInMonth(from due: Date, to end: Date) -> Int {
            let from = max(due, monthStart), to = min(end, monthEnd)
            return to > from ? calendar.workingDays(inWorkingSeconds: calendar.workingSeconds(from: from, to: to)) : 0
        }
        func limitName(_ statutory: Bool) -> String { statutory ? "法定" : "承诺" }
        var itemsBySubject: [AssessmentSubject: [ScoreItem]] = [:]
        var unfinishedExtensions: [AssessmentSubject: Set<CaseNumber>] = [:]
        var verifiedComplaints: [AssessmentSubject: [EventID]] = [:]
        var extensionDays: [AssessmentSubject: [CaseNumber: (days: Int, events: [EventID])]] = [:]
        var subjects = month.subjects
        func subject(node: NodeCode, department: String, handler: String, handlerName: String) -> AssessmentSubject {
            kind == .window ? AssessmentSubject(node: node, id: department, name: department)
                : AssessmentSubject(node: node, id: handler, name: handlerName)
        }
        for fact in month.facts {
            let who = subject(node: fact.node, department: fact.department, handler: fact.handler, handlerName: fact.handlerName)
            guard !who.id.isEmpty else { continue }
            subjects.insert(who)
            let item: ScoreItem?
            switch fact.rule {
            case .overduePromised, .overdueStatutory, .complaintLate:
                let statutory = fact.rule == .overdueStatutory
                let stoppedHere = fact.occurredAt >= monthStart && fact.occurredAt < monthEnd
                var days: Int
                if let since = fact.since {
                    days = daysInMonth(from: since, to: fact.occurredAt)
                    // Stopped after its due instant with no working time between: one day, where it stopped.
                    if days == 0, stoppedHere, calendar.workingSeconds(from: since, to: fact.occurredAt) == 0 { days = 1 }
                } else {
                    days = stoppedHere ? fact.count : 0
                }
                let perDay = perWorkingDay(fact.rule)
                let share = days == fact.count ? "" : "（共 \(fact.count) 个工作日，本月 \(days) 个）"
                let what = fact.rule == .complaintLate ? "投诉答复超过时限" : "超过\(limitName(statutory))时限"
                item = days == 0 ? nil
                    : ScoreItem(rule: fact.rule.rawValue, text: "\(what) \(days) 个工作日\(share)，每日扣 \(perDay) 分",
                                points: -perDay * days, caseNumber: fact.caseNumber, count: days, events: [fact.event])
            case .unjustifiedReturn:
                item = ScoreItem(rule: fact.rule.rawValue, text: "无正当理由拒办（退回未获维持），扣 \(unjustifiedReturn) 分",
                                 points: -unjustifiedReturn, caseNumber: fact.caseNumber, count: 1, events: [fact.event])
            case .dissatisfactionVerified:
                item = ScoreItem(rule: fact.rule.rawValue, text: "回访核实群众不满意属实，扣 \(verifiedDissatisfaction) 分",
                                 points: -verifiedDissatisfaction, caseNumber: fact.caseNumber, count: 1, events: [fact.event])
            case .complaintVerified:
                verifiedComplaints[who, default: []].append(fact.event)
                item = ScoreItem(rule: fact.rule.rawValue, text: "投诉经查属实，扣 \(verifiedComplaint) 分",
                                 points: -verifiedComplaint, caseNumber: fact.caseNumber, count: 1, events: [fact.event])
            case .completedWithinPromise:
                item = fact.count * 100 <= compressedUsedPercent * 1000 && compressedPromiseBonus > 0
                    ? ScoreItem(rule: "compressed-promise",
                                text: "压缩承诺时限 \(100 - compressedUsedPercent)% 以上办结（用时 \(fact.count / 10)%），加 \(compressedPromiseBonus) 分",
                                points: compressedPromiseBonus, caseNumber: fact.caseNumber, count: 1, events: [fact.event])
                    : nil
            case .extensionApproved:
                if month.caseEnds[fact.caseNumber].map({ $0 >= monthEnd }) ?? true { unfinishedExtensions[who, default: []].insert(fact.caseNumber) }
                var total = extensionDays[who, default: [:]][fact.caseNumber] ?? (0, [])
                total.days += fact.count
                total.events.append(fact.event)
                extensionDays[who, default: [:]][fact.caseNumber] = total
                item = nil
            }
            if let item { itemsBySubject[who, default: []].append(item) }
        }
        for breach in month.openBreaches {
            let who = subject(node: breach.node, department: breach.department, handler: breach.handler, handlerName: breach.handlerName)
            let days = daysInMonth(from: breach.dueAt, to: month.now)
            guard !who.id.isEmpty, days > 0 else { continue }
            subjects.insert(who)
            let statutory = breach.clock == .statutory, complaint = breach.clock == .complaintReply
            let rule: ScoreFact.Rule = complaint ? .complaintLate : statutory ? .overdueStatutory : .overduePromised
            let perDay = perWorkingDay(rule)
            let open = complaint ? "尚未答复" : "尚未办结"
            let when = month.now < monthEnd ? "\(open)，本月已超过" : "至月末\(open)，本月超过"
            let limit = complaint ? "投诉答复" : limitName(statutory)
            itemsBySubject[who, default: []].append(ScoreItem(
                rule: rule.rawValue,
                text: "\(when)\(limit)时限 \(days) 个工作日，每日扣 \(perDay) 分\(month.now < monthEnd ? "（暂计）" : "")",
                points: -perDay * days, caseNumber: breach.caseNumber, count: days, events: breach.dueEvent.map { [$0] } ?? []))
        }
        for (who, cases) in extensionDays {
            for (number, total) in cases where total.days >= disqualifyingExtensionWorkingDays {
                itemsBySubject[who, default: []].append(ScoreItem(
                    rule: Self.extensionLong, text: "单件延期 \(total.days) 个工作日（≥ \(disqualifyingExtensionWorkingDays)），不得评为优秀",
                    points: 0, caseNumber: number, count: total.days, events: total.events))
            }
        }
        for (who, cases) in unfinishedExtensions where cases.count >= disqualifyingUnfinishedExtensions {
            itemsBySubject[who, default: []].append(ScoreItem(
                rule: Self.extensionsUnfinished, text: "本月延期未办结 \(cases.count) 件（≥ \(disqualifyingUnfinishedExtensions)），不得评为优秀",
                points: 0, caseNumber: nil, count: cases.count, events: []))
        }
        // One fact per verified complaint (Complaint.scoreFacts), so the events count the complaints.
        for (who, events) in verifiedComplaints where events.count >= disqualifyingVerifiedComplaints {
            itemsBySubject[who, default: []].append(ScoreItem(
                rule: Self.complaintsVerified, text: "本月投诉属实 \(events.count) 件（≥ \(disqualifyingVerifiedComplaints)），不得评为优秀",
                points: 0, caseNumber: nil, count: events.count, events: events))
        }
        var assessments = subjects.map { who -> Assessment in
            let items = (itemsBySubject[who] ?? []).sorted { ($0.caseNumber?.description ?? "", $0.rule) < ($1.caseNumber?.description ?? "", $1.rule) }
            let total = basePoints + items.reduce(0) { $0 + $1.points }
            let disqualified = items.contains { Self.barringRules.contains($0.rule) }
            let grade: AssessmentGrade = total >= excellentAt && !disqualified ? .excellent : total >= qualifiedAt ? .qualified : .unqualified
            return Assessment(kind: kind, subject: who, month: month.month, basePoints: basePoints, items: items,
                              excellentDisqualified: disqualified, grade: grade, rank: 0, redFlag: false)
        }
        assessments.sort { ($1.totalPoints, $0.subject) < ($0.totalPoints, $1.subject) }
        for index in assessments.indices {
            let tied = index > 0 && assessments[index - 1].totalPoints == assessments[index].totalPoints
            assessments[index].rank = tied ? assessments[index - 1].rank : index + 1
        }
        return assessments
    }

    /// Marks the 流动红旗 on `last`, the assessments of a quarter's last month, given the
    /// assessments of each month of the quarter (`last` among them).
    public func awardRedFlags(to last: inout [Assessment], quarter: [[Assessment]]) {
        var placings: [AssessmentSubject: (top: Int, blemished: Bool)] = [:]
        for month in quarter {
            for assessment in month {
                var placing = placings[assessment.subject] ?? (0, false)
                if assessment.rank <= redFlagTopRanks { placing.top += 1 }
                if assessment.excellentDisqualified || assessment.grade == .unqualified { placing.blemished = true }
                placings[assessment.subject] = placing
            }
        }
        for index in last.indices where last[index].kind == .window {
            let placing = placings[last[index].subject]
            last[index].redFlag = placing.map { $0.top >= redFlagMonths && !$0.blemished } ?? false
        }
    }
}
