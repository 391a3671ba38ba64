public import Foundation

// Working-time arithmetic.
//
// Everything rests on one non-decreasing function of the local second L:
//
//     C(L) = W(day(L)) * perDay + (day(L) is working ? seconds worked in day(L) before L : 0)
//
// the working seconds from a fixed epoch to L. `workingSeconds(a, b)` is C(b) - C(a), and
// adding is the inverse: the earliest L with C(L) = T. For T, the k-th working day with
// k = floor((T - 1) / perDay) holds the target, at r = T - k * perDay in (0, perDay] worked
// seconds into that day, so a target at the end of the morning lands at 12:00, not 14:30.

extension WorkingCalendar {
    /// Working seconds in one working day: ``OfficeHours/minutesPerDay`` × 60.
    public var workingSecondsPerDay: Int64 { Int64(officeHours.minutesPerDay) * 60 }

    /// Working seconds in `[a, b)`: office time on working days between the two instants.
    ///
    /// - Returns: The count, negative when `b` is before `a`. Both instants are floored to
    ///   whole seconds.
    /// - Complexity: O(1).
    public func workingSeconds(from a: Date, to b: Date) -> Int64 {
        cumulativeSeconds(atLocal: zone.localSeconds(of: b)) - cumulativeSeconds(atLocal: zone.localSeconds(of: a))
    }

    /// The earliest instant `t >= start` with `workingSeconds(from: start, to: t) == seconds`.
    ///
    /// - Parameters:
    ///   - seconds: Working seconds to add; 0 returns `start` unchanged. A negative count
    ///     moves back: the result is then the earliest `t` with
    ///     `workingSeconds(from: t, to: start) == -seconds`.
    ///   - start: The starting instant, floored to a whole second.
    /// - Returns: The instant, provisional when a year from `start`'s through the result's
    ///   has no loaded data.
    /// - Complexity: O(1).
    public func addingWorkingSeconds(_ seconds: Int64, to start: Date) -> ProjectedInstant {
        guard seconds != 0 else {
            return ProjectedInstant(instant: start, provisional: isProvisional(from: start, to: start))
        }
        let range = cumulativeRange
        let (sum, overflow) = cumulativeSeconds(atLocal: zone.localSeconds(of: start)).addingReportingOverflow(seconds)
        let target = overflow ? (seconds > 0 ? range.upperBound : range.lowerBound) : sum
        let local = localSeconds(atCumulative: min(max(target, range.lowerBound), range.upperBound))
        let instant = zone.instant(localSeconds: local)
        return ProjectedInstant(instant: instant, provisional: isProvisional(from: start, to: instant))
    }

    /// ``addingWorkingSeconds(_:to:)`` for whole minutes.
    ///
    /// - Complexity: O(1).
    public func addingWorkingMinutes(_ minutes: Int, to start: Date) -> ProjectedInstant {
        let (seconds, overflow) = Int64(minutes).multipliedReportingOverflow(by: 60)
        return addingWorkingSeconds(overflow ? (minutes > 0 ? .max : .min) : seconds, to: start)
    }

    /// The close of office on the n-th working day after the local day of `start`.
    ///
    /// The day of `start` itself is not counted (期间开始之日不计算在内), whatever the hour:
    /// a case received on Tuesday 2025-09-30 with a limit of 1 working day is due at the close
    /// of Thursday 2025-10-09, after the National Day holiday.
    /// - Parameters:
    ///   - n: Working days. 0 returns `start` unchanged; a negative n gives the close of office
    ///     on the |n|-th working day before the local day of `start`.
    ///   - start: The starting instant.
    /// - Complexity: O(1).
    public func addingWorkingDays(_ n: Int, to start: Date) -> ProjectedInstant {
        guard n != 0 else {
            return ProjectedInstant(instant: start, provisional: isProvisional(from: start, to: start))
        }
        let target = addingWorkingDays(n, to: civilDate(of: start))
        let instant = closeOfOffice(on: target)
        return ProjectedInstant(instant: instant, provisional: isProvisional(from: start, to: instant))
    }

    /// The n-th working day after `date` (before it when n < 0); `date` itself when n == 0.
    ///
    /// - Complexity: O(1).
    public func addingWorkingDays(_ n: Int, to date: CivilDate) -> CivilDate {
        guard n != 0 else { return date }
        let limit = CivilDate.supportedDayNumbers.count
        let steps = min(max(n, -limit), limit)
        let day = date.dayNumber
        // W(d + 1) indexes the first working day after d; W(d) the first on or after d.
        let k = steps > 0 ? index.workingDaysBefore(day + 1) + steps - 1 : index.workingDaysBefore(day) + steps
        return CivilDate(dayNumber: index.workingDay(at: k))
    }

    /// Working days among the local days `[from, to)`; negative when `to` is before `from`.
    ///
    /// - Complexity: O(1).
    public func workingDays(from: CivilDate, to: CivilDate) -> Int {
        index.workingDaysBefore(to.dayNumber) - index.workingDaysBefore(from.dayNumber)
    }

    // MARK: The cumulative function and its inverse

    /// C(L): working seconds from the epoch to local second `local`.
    ///
    /// - Complexity: O(1).
    func cumulativeSeconds(atLocal local: Int64) -> Int64 {
        let (day, secondOfDay) = CalendarZone.split(local)
        let dayNumber = Int(day)
        let whole = Int64(index.workingDaysBefore(dayNumber)) * workingSecondsPerDay
        return index.isWorking(dayNumber) ? whole + officeHours.workedSeconds(before: secondOfDay) : whole
    }

    /// The earliest local second L with C(L) == `cumulative`.
    ///
    /// - Complexity: O(1).
    func localSeconds(atCumulative cumulative: Int64) -> Int64 {
        let perDay = workingSecondsPerDay
        let k = Int64(WorkingDayIndex.floorDivide(Int(cumulative - 1), Int(perDay)))
        let intoDay = cumulative - k * perDay
        let day = Int64(index.workingDay(at: Int(k)))
        let local = day * 86_400 + officeHours.secondOfDay(afterWorking: intoDay)
        return min(max(local, CalendarZone.localSecondsRange.lowerBound), CalendarZone.localSecondsRange.upperBound)
    }

    /// C over the whole supported range of instants.
    private var cumulativeRange: ClosedRange<Int64> {
        let range = CalendarZone.localSecondsRange
        return cumulativeSeconds(atLocal: range.lowerBound)...cumulativeSeconds(atLocal: range.upperBound)
    }
}
