import BanjianDomain
import Foundation
import Testing

/// The monthly assessment on hand-made quarters of facts; every expected score is worked out by
/// hand from the scheme's defaults (−5 per working day past the promise, −10 past the statutory
/// limit, −10 for an unjustified return, +2 for a promise compressed by more than 70 %; 优秀 at 90,
/// 合格 at 70; the red flag for the top 3 in all three months).
@Suite struct AssessmentTests {
    static let township = NodeCode("341182102")!
    static let zone = CalendarZone.shanghai
    static let calendar = WorkingCalendar.chinaMainland()
    static let scheme = AssessmentScheme.standard
    nonisolated(unsafe) static var sequence: UInt64 = 0

    /// A fact of `rule` on the window `department` (handler `handler`), raised on `day` at 10:00.
    static func fact(_ rule: ScoreFact.Rule, _ department: String, _ count: Int = 1, case number: Int, on day: String,
                     handler: String = "", handlerName: String = "") -> ScoreFact {
        sequence += 1
        let at = zone.instant(CivilDate(iso: day)!, secondOfDay: 10 * 3600)
        return ScoreFact(caseNumber: CaseNumber("341182102-20250102-\(String(format: "%06d", number))")!, rule: rule,
                         event: EventID(origin: township, sequence: sequence), occurredAt: at, node: township, department: department,
                         handler: handler, handlerName: handlerName, count: count)
    }

    static func windows(_ names: [String]) -> Set<AssessmentSubject> {
        Set(names.map { AssessmentSubject(node: township, id: $0, name: $0) })
    }

    static func assess(_ month: AssessmentMonth) -> [String: Assessment] {
        Dictionary(uniqueKeysWithValues: scheme.assess(month, kind: .window, calendar: calendar).map { ($0.subject.id, $0) })
    }

    static let january = AssessmentMonth(
        month: YearMonth(year: 2025, month: 1)!,
        facts: [
            fact(.overduePromised, "民政", 1, case: 1, on: "2025-01-14"),             // −5
            fact(.completedWithinPromise, "民政", 200, case: 2, on: "2025-01-15"),    // +2 (20 % used)
            fact(.overdueStatutory, "派出所", 2, case: 3, on: "2025-01-20"),          // −20
            fact(.unjustifiedReturn, "社保", case: 4, on: "2025-01-21"),              // −10
            fact(.completedWithinPromise, "社保", 500, case: 5, on: "2025-01-22"),    // 50 % used: no bonus
        ],
        subjects: windows(["民政", "计生", "派出所", "社保"]))

    static let february = AssessmentMonth(
        month: YearMonth(year: 2025, month: 2)!,
        facts: [
            fact(.completedWithinPromise, "民政", 300, case: 6, on: "2025-02-10"),    // +2 (exactly 30 %)
            fact(.completedWithinPromise, "民政", 100, case: 7, on: "2025-02-11"),    // +2
            fact(.extensionApproved, "计生", 3, case: 8, on: "2025-02-12"),           // one case extended 3 days: no 优秀
            fact(.overduePromised, "派出所", 7, case: 9, on: "2025-02-13"),           // −35
        ],
        caseEnds: [CaseNumber("341182102-20250102-000008")!: zone.instant(CivilDate(iso: "2025-02-20")!)],
        subjects: windows(["民政", "计生", "派出所", "社保"]))

    static let march = AssessmentMonth(
        month: YearMonth(year: 2025, month: 3)!,
        facts: [
            // Four extensions at 计生: three cases unfinished at the month's end (one ends on 2 April),
            // one finished on the 20th: three unfinished bars 优秀.
            fact(.extensionApproved, "计生", 1, case: 10, on: "2025-03-03"),
            fact(.extensionApproved, "计生", 1, case: 11, on: "2025-03-04"),
            fact(.extensionApproved, "计生", 1, case: 12, on: "2025-03-05"),
            fact(.extensionApproved, "计生", 1, case: 13, on: "2025-03-06"),
            fact(.overduePromised, "社保", 1, case: 14, on: "2025-03-07"),            // −5
            fact(.completedWithinPromise, "派出所", 0, case: 15, on: "2025-03-10"),   // +2
        ],
        caseEnds: [CaseNumber("341182102-20250102-000010")!: zone.instant(CivilDate(iso: "2025-04-02")!),
                   CaseNumber("341182102-20250102-000013")!: zone.instant(CivilDate(iso: "2025-03-20")!)],
        subjects: windows(["民政", "计生", "派出所", "社保"]))

    @Test func januaryScoresRanksAndGrades() {
        let january = Self.assess(Self.january)
        #expect(january.mapValues(\.totalPoints) == ["民政": 97, "计生": 100, "派出所": 80, "社保": 90])
        #expect(january.mapValues(\.rank) == ["计生": 1, "民政": 2, "社保": 3, "派出所": 4])
        #expect(january.mapValues(\.grade) == ["计生": .excellent, "民政": .excellent, "社保": .excellent, "派出所": .qualified])
        let items = january["民政"]!.items
        #expect(items.map(\.rule) == ["overdue-promised", "compressed-promise"] && items.map(\.points) == [-5, 2])
        #expect(items.allSatisfy { $0.events.count == 1 }, "every item names the event behind it")
        #expect(january["社保"]!.items.map(\.rule) == ["unjustified-return"], "half the promise used earns nothing")
    }

    @Test func februaryTiesShareARankAndALongExtensionBarsExcellent() {
        let february = Self.assess(Self.february)
        #expect(february.mapValues(\.totalPoints) == ["民政": 104, "计生": 100, "派出所": 65, "社保": 100])
        #expect(february.mapValues(\.rank) == ["民政": 1, "社保": 2, "计生": 2, "派出所": 4])
        #expect(february["计生"]!.excellentDisqualified && february["计生"]!.grade == .qualified)
        #expect(february["计生"]!.items.map(\.rule) == ["extension-long"] && february["计生"]!.items[0].points == 0)
        #expect(february["社保"]!.grade == .excellent && february["派出所"]!.grade == .unqualified)
    }

    @Test func marchCountsExtensionsUnfinishedAtTheMonthsEnd() {
        let march = Self.assess(Self.march)
        #expect(march.mapValues(\.totalPoints) == ["民政": 100, "计生": 100, "派出所": 102, "社保": 95])
        #expect(march.mapValues(\.rank) == ["派出所": 1, "民政": 2, "计生": 2, "社保": 4])
        let unfinished = march["计生"]!.items.first { $0.rule == "extensions-unfinished" }
        #expect(unfinished?.count == 3 && march["计生"]!.excellentDisqualified && march["计生"]!.grade == .qualified)
        // With one more case finished in time, two are left: not enough to bar it.
        var fewer = Self.march
        fewer.caseEnds[CaseNumber("341182102-20250102-000011")!] = Self.zone.instant(CivilDate(iso: "2025-03-31")!, secondOfDay: 17 * 3600)
        #expect(Self.assess(fewer)["计生"]!.grade == .excellent)
    }

    @Test func theQuartersRedFlagGoesToTheWindowInTheTopThreeEveryMonthWithoutABlemish() {
        // 民政 ranks 2, 1, 2. 计生 ranks 1, 2, 2 but was barred from 优秀 in February and March; 社保
        // ranks 3, 2, 4; 派出所 4, 4, 1.
        let quarter = [Self.january, Self.february, Self.march].map { Self.scheme.assess($0, kind: .window, calendar: Self.calendar) }
        var march = quarter[2]
        Self.scheme.awardRedFlags(to: &march, quarter: quarter)
        #expect(march.filter(\.redFlag).map(\.subject.id) == ["民政"])
        // A centre that flags the top 2 in two months of three: 民政 still, 计生 still barred, 社保 (3, 2, 4) once only.
        var lenient = Self.scheme
        lenient.redFlagTopRanks = 2
        lenient.redFlagMonths = 2
        var again = quarter[2]
        lenient.awardRedFlags(to: &again, quarter: quarter)
        #expect(again.filter(\.redFlag).map(\.subject.id) == ["民政"])
    }

    @Test func staffAreScoredOnTheirOwnCasesAndOpenBreachesCountProvisionally() {
        let month = AssessmentMonth(
            month: YearMonth(year: 2025, month: 3)!,
            facts: [Self.fact(.overduePromised, "民政", 1, case: 20, on: "2025-03-03", handler: "op-zhang", handlerName: "张三"),
                    Self.fact(.overduePromised, "民政", 4, case: 21, on: "2025-03-04")],  // no handler: the window's only
            // Due Tue 11 March at 17:30; now Fri 14 March at 10:00: 6.5 + 6.5 + 1.5 working hours, 3 working days so far.
            openBreaches: [OpenBreach(caseNumber: CaseNumber("341182102-20250102-000022")!, clock: .statutory, node: Self.township,
                                      department: "民政", handler: "op-li", handlerName: "李四",
                                      dueAt: Self.zone.instant(CivilDate(iso: "2025-03-11")!, secondOfDay: 17 * 3600 + 1800), dueEvent: nil)],
            now: Self.zone.instant(CivilDate(iso: "2025-03-14")!, secondOfDay: 10 * 3600),
            subjects: [AssessmentSubject(node: Self.township, id: "op-wang", name: "王五")])
        let staff = Self.scheme.assess(month, kind: .staff, calendar: Self.calendar)
        #expect(staff.map(\.subject.name) == ["王五", "张三", "李四"])
        #expect(staff.map(\.totalPoints) == [100, 95, 70] && staff.map(\.rank) == [1, 2, 3])
        #expect(staff[2].items.first?.text.contains("暂计") == true && staff[2].grade == .qualified)
        // The window carries all three: 100 − 5 − 20 − 30 (the subjects given are the kind asked for).
        var windows = month
        windows.subjects = []
        #expect(Self.scheme.assess(windows, kind: .window, calendar: Self.calendar).map(\.totalPoints) == [45])
    }

    @Test func extensionsAreCountedPerCaseAndARenamedOperatorIsOnePerson() {
        // One case extended twice, 2 working days each: 4 days on one case bars 优秀; it is one unfinished case, not two.
        let month = AssessmentMonth(
            month: YearMonth(year: 2025, month: 4)!,
            facts: [Self.fact(.extensionApproved, "民政", 2, case: 30, on: "2025-04-01", handler: "op-zhang", handlerName: "张三"),
                    Self.fact(.extensionApproved, "民政", 2, case: 30, on: "2025-04-08", handler: "op-zhang", handlerName: "张三丰"),
                    Self.fact(.extensionApproved, "民政", 1, case: 31, on: "2025-04-09", handler: "op-zhang", handlerName: "张三丰")],
            subjects: [AssessmentSubject(node: Self.township, id: "op-zhang", name: "张三")])
        let staff = Self.scheme.assess(month, kind: .staff, calendar: Self.calendar)
        #expect(staff.count == 1 && staff[0].totalPoints == 100 && staff[0].excellentDisqualified)
        let long = staff[0].items.filter { $0.rule == "extension-long" }
        #expect(long.map(\.count) == [4] && long[0].events.count == 2)
        #expect(!staff[0].items.contains { $0.rule == "extensions-unfinished" }, "two unfinished cases are fewer than three")
    }

    @Test func latenessIsChargedToTheMonthsItFallsIn() {
        // Due Fri 28 March 2025 at 17:30, completed Thu 3 April at 10:00: Monday 31 March in March (1
        // working day), 1, 2 and part of 3 April in April (3 working days).
        let due = Self.zone.instant(CivilDate(iso: "2025-03-28")!, secondOfDay: 17 * 3600 + 1800)
        let late = ScoreFact(caseNumber: CaseNumber("341182102-20250102-000040")!, rule: .overduePromised,
                             event: EventID(origin: Self.township, sequence: 900), occurredAt: Self.zone.instant(CivilDate(iso: "2025-04-03")!, secondOfDay: 10 * 3600),
                             node: Self.township, department: "民政", handler: "", handlerName: "", count: 4, since: due)
        func points(_ month: Int, facts: [ScoreFact], open: [OpenBreach] = [], now: Date = .distantFuture) -> [ScoreItem] {
            Self.scheme.assess(AssessmentMonth(month: YearMonth(year: 2025, month: month)!, facts: facts, openBreaches: open, now: now),
                               kind: .window, calendar: Self.calendar).first?.items ?? []
        }
        #expect(points(3, facts: [late]).map(\.points) == [-5] && points(4, facts: [late]).map(\.points) == [-15])
        #expect(points(4, facts: [late]).first?.text.contains("共 4 个工作日，本月 3 个") == true)
        // Still open on 10 April: March is charged its day for good, April so far (1–3, 7–9 and part of 10: 7 days).
        let open = OpenBreach(caseNumber: CaseNumber("341182102-20250102-000041")!, clock: .promised, node: Self.township, department: "民政",
                              handler: "", handlerName: "", dueAt: due, dueEvent: nil)
        let now = Self.zone.instant(CivilDate(iso: "2025-04-10")!, secondOfDay: 9 * 3600)
        let march = points(3, facts: [], open: [open], now: now)
        #expect(march.map(\.points) == [-5] && march.first?.text.contains("至月末尚未办结") == true)
        let april = points(4, facts: [], open: [open], now: now)
        #expect(april.map(\.points) == [-35] && april.first?.text.contains("暂计") == true)
    }

    @Test func aSchemeInConfigNamesOnlyWhatItChanges() throws {
        let scheme = try JSONDecoder().decode(AssessmentScheme.self, from: Data(#"{"overduePromisedPerWorkingDay": 8, "redFlagMonths": 2}"#.utf8))
        #expect(scheme.overduePromisedPerWorkingDay == 8 && scheme.redFlagMonths == 2 && scheme.overdueStatutoryPerWorkingDay == 10)
        var bad = AssessmentScheme()
        bad.qualifiedAt = 95
        bad.redFlagMonths = 4
        #expect(bad.problems.count == 2)
    }

    @Test func periodsAreKeyedByIsoWeekMonthQuarterAndYear() {
        func key(_ grouping: StatisticsGrouping, _ day: Int) -> String {
            grouping.rowKey(CaseTally.Key(day: day, node: Self.township, department: "民政", handler: "op", matter: "JS-003"))
        }
        #expect(key(.week, 20250310) == "2025-W11" && key(.week, 20241230) == "2025-W01" && key(.week, 20210103) == "2020-W53")
        #expect(key(.month, 20250310) == "2025-03" && key(.quarter, 20251231) == "2025-Q4" && key(.year, 20250310) == "2025")
        #expect(key(.window, 20250310) == "341182102/民政" && key(.day, 20250310) == "2025-03-10")
        var figures = StatisticsFigures([.received, .completed, .onTime, .satisfied])
        figures = figures + StatisticsFigures([.received, .dissatisfied]) + StatisticsFigures([.received])
        #expect(figures.completionRateBasisPoints == 3333 && figures.onTimeRateBasisPoints == 10_000)
        #expect(figures.satisfactionRateBasisPoints == 5000 && figures.onSpotRateBasisPoints == 0)
    }
}
