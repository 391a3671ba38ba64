import BanjianDomain
import Foundation
import Testing

/// Seeded random comparison of the O(1) arithmetic with ``NaiveCalendar``, which walks day by
/// day using Foundation's calendar. Fixed seeds: every run checks the same cases.
@Suite("Calendar: seeded random comparison with a naive reference")
struct WorkingCalendarPropertyTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        let officeHours: String
        let withData: Bool
        let seed: UInt64
        var testDescription: String { "\(officeHours), \(withData ? "2024-2026 data" : "no data"), seed \(seed)" }
    }

    static let scenarios = [
        Scenario(officeHours: "08:30-12:00,14:30-17:30", withData: true, seed: 0x5EED_0001),
        Scenario(officeHours: "08:30-12:00,14:30-17:30", withData: false, seed: 0x5EED_0002),
        Scenario(officeHours: "00:00-24:00", withData: true, seed: 0x5EED_0003),
        Scenario(officeHours: "09:00-10:00,10:00-11:30,13:00-17:00,19:00-19:01", withData: true, seed: 0x5EED_0004),
    ]

    /// Seconds of the local day where off-by-one mistakes live.
    static let boundarySeconds: [Int64] = [
        0, 1, 86_399, 30_600, 30_599, 30_601, 43_200, 43_199, 43_201, 52_200, 52_199, 52_201, 63_000, 62_999,
        63_001, 32_400, 36_000, 41_400, 46_800, 61_200, 68_400, 68_460,
    ]

    static let casesPerScenario = 2500

    @Test("addingWorkingSeconds, workingSeconds, workingDays and addingWorkingDays agree", arguments: scenarios)
    func agreesWithNaive(_ scenario: Scenario) throws {
        let hours = try OfficeHours(parsing: scenario.officeHours)
        let calendar =
            scenario.withData
            ? WorkingCalendar.chinaMainland(officeHours: hours) : try WorkingCalendar(officeHours: hours, years: [])
        let naive =
            scenario.withData
            ? try NaiveCalendar.china(officeHours: hours)
            : NaiveCalendar(overrides: [:], loadedYears: [], officeHours: hours)
        let perDay = Int64(hours.minutesPerDay) * 60
        var rng = SplitMix64(seed: scenario.seed)

        for _ in 0..<Self.casesPerScenario {
            let startDay = Self.randomDay(&rng)
            let start = Self.randomInstant(onLocalDay: startDay, &rng)
            let budget = Self.randomBudget(perDay: perDay, &rng)

            // Adding matches the naive walk, and is provisional exactly when a year lacks data.
            let result = calendar.addingWorkingSeconds(budget, to: CalendarFixture.instant(start))
            let expected = budget == 0 ? start : naive.adding(seconds: budget, to: start)
            let got = CalendarFixture.seconds(result.instant)
            #expect(got == expected, "add \(budget)s to \(start)")
            #expect(result.provisional == naive.isProvisional(start, expected))

            // Round trip, and minimality: one second earlier is one working second short.
            #expect(calendar.workingSeconds(from: CalendarFixture.instant(start), to: result.instant) == budget)
            if budget > 0 {
                #expect(
                    calendar.workingSeconds(from: CalendarFixture.instant(start), to: CalendarFixture.instant(got - 1))
                        == budget - 1)
            }
            // Moving back by the same budget lands where the day's cumulative count says.
            let back = calendar.addingWorkingSeconds(-budget, to: result.instant)
            #expect(calendar.workingSeconds(from: back.instant, to: result.instant) == budget)

            // Working seconds between two random instants, either order.
            let endDay = startDay + Int64.random(in: -25...25, using: &rng)
            let end = Self.randomInstant(onLocalDay: endDay, &rng)
            #expect(
                calendar.workingSeconds(from: CalendarFixture.instant(start), to: CalendarFixture.instant(end))
                    == naive.workingSeconds(from: start, to: end), "\(start) → \(end)")

            // Working days between the two local days.
            #expect(
                calendar.workingDays(from: CivilDate(dayNumber: Int(startDay)), to: CivilDate(dayNumber: Int(endDay)))
                    == naive.workingDays(from: startDay, to: endDay))

            // Working days added.
            let n = Int.random(in: 1...30, using: &rng)
            let due = calendar.addingWorkingDays(n, to: CalendarFixture.instant(start))
            let expectedDue = naive.adding(workingDays: n, to: start)
            #expect(CalendarFixture.seconds(due.instant) == expectedDue, "\(n) working days after \(start)")
            #expect(due.provisional == naive.isProvisional(start, expectedDue))
        }
    }

    @Test("working days over random spans anywhere in 1900-2200 (closed form outside the data)")
    func farYears() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let naive = try NaiveCalendar.china()
        var rng = SplitMix64(seed: 0x1900_2200)
        let first = Int64(try CalendarFixture.date("1900-01-01").dayNumber)
        let last = Int64(try CalendarFixture.date("2200-12-31").dayNumber)
        for _ in 0..<1500 {
            let from = Int64.random(in: first...last, using: &rng)
            let to = from + Int64.random(in: -300...300, using: &rng)
            #expect(
                calendar.workingDays(from: CivilDate(dayNumber: Int(from)), to: CivilDate(dayNumber: Int(to)))
                    == naive.workingDays(from: from, to: to), "\(from) → \(to)")
        }
    }

    @Test("day by day from 2023 to 2027: one step of the cumulative count is one working day")
    func dayByDay() throws {
        let calendar = WorkingCalendar.chinaMainland()
        let naive = try NaiveCalendar.china()
        var date = try CalendarFixture.date("2022-12-20")
        let stop = try CalendarFixture.date("2028-01-10")
        var nextWorking: CivilDate?
        while date < stop {
            let working = naive.dayFacts(Int64(date.dayNumber)).working
            #expect(calendar.isWorkingDay(date) == working, "\(date)")
            #expect(calendar.workingDays(from: date, to: date.adding(days: 1)) == (working ? 1 : 0), "\(date)")
            // The first working day after the previous date is this one exactly when it works.
            let after = calendar.addingWorkingDays(1, to: date.adding(days: -1))
            #expect((after == date) == working, "\(date)")
            if working, let expected = nextWorking { #expect(expected == date) }
            nextWorking = calendar.addingWorkingDays(1, to: date)
            date = date.adding(days: 1)
        }
    }

    // MARK: Generators

    /// A local day: mostly 2023-2028 (across the edges of the loaded data), sometimes near 1900 or 2200.
    static func randomDay(_ rng: inout SplitMix64) -> Int64 {
        let buckets: [(String, Int64)] = [("2023-01-01", 6 * 365), ("1899-06-01", 400), ("2199-06-01", 400)]
        let pick = Int.random(in: 0..<20, using: &rng)
        let bucket = pick < 16 ? buckets[0] : pick < 18 ? buckets[1] : buckets[2]
        let base = Int64(CivilDate(iso: bucket.0)?.dayNumber ?? 0)
        return base + Int64.random(in: 0..<bucket.1, using: &rng)
    }

    /// An instant (UTC seconds) on a local (+08:00) day: half at boundaries, half anywhere.
    static func randomInstant(onLocalDay day: Int64, _ rng: inout SplitMix64) -> Int64 {
        let secondOfDay =
            Bool.random(using: &rng)
            ? boundarySeconds[Int.random(in: 0..<boundarySeconds.count, using: &rng)]
            : Int64.random(in: 0..<86_400, using: &rng)
        return day * 86_400 + secondOfDay - 8 * 3600
    }

    /// A working-time budget: whole days, small amounts, interval-sized amounts, or anything.
    static func randomBudget(perDay: Int64, _ rng: inout SplitMix64) -> Int64 {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1: perDay * Int64.random(in: 0...20, using: &rng)
        case 2:
            [0, 1, 59, 60, 61, 12_600, 12_599, 12_601, 10_800, perDay - 1, perDay + 1].randomElement(using: &rng) ?? 1
        default: Int64.random(in: 0...(20 * perDay), using: &rng)
        }
    }
}
