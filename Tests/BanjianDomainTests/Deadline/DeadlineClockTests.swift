import Foundation
import Testing
@testable import BanjianDomain

@Suite("Deadline clock")
struct DeadlineClockTests {
    typealias F = Fixture
    let day: Int64 = 390 * 60

    @Test("a working-day budget runs across Spring Festival 2026 and its make-up Saturdays")
    func springFestival2026() throws {
        // 2026: 02-14 (Sat) and 02-28 (Sat) are make-up working days; 02-15…02-23 are off.
        let clock = DeadlineClock(kind: .promised, measure: .workingTime, budgetSeconds: 5 * day, origin: F.at("2026-02-12", 0))
        let due = try #require(clock.due(calendar: F.calendar))
        // 02-12 Thu, 02-13 Fri, 02-14 Sat (调休), then 02-24 Tue, 02-25 Wed.
        #expect(due.instant == F.at("2026-02-25", 17, 30))
        #expect(!due.provisional)
    }

    @Test("pause and resume: paused time is not consumed")
    func pauseResume() throws {
        var clock = DeadlineClock(kind: .promised, measure: .workingTime, budgetSeconds: 2 * day, origin: F.at("2025-03-10", 0))
        try clock.pause(at: F.at("2025-03-10", 10), reason: "听证")
        #expect(clock.consumedSeconds(at: F.at("2025-03-20", 10), calendar: F.calendar) == 90 * 60)
        #expect(clock.due(calendar: F.calendar) == nil)
        #expect(throws: DeadlineClock.LedgerError.notRunning(.promised)) { try clock.pause(at: F.at("2025-03-11"), reason: "x") }
        try clock.resume(at: F.at("2025-03-17", 8, 30))
        #expect(clock.due(calendar: F.calendar)?.instant == F.at("2025-03-18", 16))
        #expect(throws: DeadlineClock.LedgerError.notPaused(.promised)) { try clock.resume(at: F.at("2025-03-18")) }
    }

    @Test("an extension adds to the budget and bumps the epoch; a stopped clock cannot change")
    func extendAndStop() throws {
        var clock = DeadlineClock(kind: .statutory, measure: .workingTime, budgetSeconds: day, origin: F.at("2025-03-10", 0))
        try clock.extend(bySeconds: day, at: F.at("2025-03-10", 12), approver: "副主任", reason: "需要调查")
        #expect(clock.epoch == 1)
        #expect(clock.due(calendar: F.calendar)?.instant == F.at("2025-03-11", 17, 30))
        #expect(throws: DeadlineClock.LedgerError.invalidAmount(.statutory)) {
            try clock.extend(bySeconds: 0, at: F.at("2025-03-10", 13), approver: "x", reason: "x")
        }
        #expect(throws: DeadlineClock.LedgerError.timeWentBackwards(.statutory)) { try clock.stop(at: F.at("2025-03-10", 11)) }
        try clock.stop(at: F.at("2025-03-10", 15))
        #expect(clock.due(calendar: F.calendar) == nil)
        #expect(clock.consumedSeconds(at: F.at("2025-04-01"), calendar: F.calendar) == (210 + 30) * 60)
        #expect(throws: DeadlineClock.LedgerError.stopped(.statutory)) { try clock.resume(at: F.at("2025-03-12")) }
    }

    @Test("a restart counts from zero with a new budget")
    func restart() throws {
        var clock = DeadlineClock(kind: .refusalRecheck, measure: .workingTime, budgetSeconds: day, origin: F.at("2025-03-10", 0))
        try clock.stop(at: F.at("2025-03-10", 17))
        try clock.restart(budgetSeconds: day, at: F.at("2025-03-12", 0))
        #expect(clock.isRunning)
        #expect(clock.epoch == 1)
        #expect(clock.consumedSeconds(at: F.at("2025-03-12", 12), calendar: F.calendar) == 210 * 60)
        #expect(clock.due(calendar: F.calendar)?.instant == F.at("2025-03-12", 17, 30))
    }

    @Test("elapsed-time clocks count every second")
    func elapsed() throws {
        let clock = DeadlineClock(kind: .complaintReply, measure: .elapsedTime, budgetSeconds: 7 * 86_400, origin: F.at("2025-09-30", 0))
        #expect(clock.due(calendar: F.calendar)?.instant == F.at("2025-10-07", 0))
        #expect(clock.consumedSeconds(at: F.at("2025-10-01", 0), calendar: F.calendar) == 86_400)
    }

    @Test("a deadline in a year without data is provisional and re-projects when the year is loaded")
    func reprojection() throws {
        let clock = DeadlineClock(kind: .statutory, measure: .workingTime, budgetSeconds: 10 * day, origin: F.at("2026-12-28", 0))
        let before = try #require(clock.due(calendar: F.calendar))
        #expect(before.provisional)
        // Weekends only: 12-28…12-31 (4), 2027-01-01 Fri, 01-04…01-08 (5) → the 10th is Fri 01-08.
        #expect(before.instant == F.at("2027-01-08", 17, 30))
        let holidays = HolidayYear(year: 2027, source: "test", days: [
            CivilDate(iso: "2027-01-01")!: DayOverride(name: "元旦", isOffDay: true),
            CivilDate(iso: "2027-01-04")!: DayOverride(name: "元旦", isOffDay: true),
        ])
        let loaded = F.calendar.loading(holidays)
        let after = try #require(clock.due(calendar: loaded))
        #expect(!after.provisional)
        #expect(after.instant == F.at("2027-01-12", 17, 30))
    }
}

@Suite("Rung ladder")
struct RungLadderTests {
    typealias F = Fixture

    @Test("the standard ladder: 75 % warning, due, urge at due, 督办 one day later, report up after three")
    func standardLadder() throws {
        let clock = DeadlineClock(kind: .promised, measure: .workingTime, budgetSeconds: 4 * 390 * 60, origin: F.at("2025-03-10", 0))
        let rungs = RungLadder.standard.pendingRungs(of: clock, fired: [], calendar: F.calendar)
        #expect(rungs.map(\.key.rung) == [.warning, .due, .urge, .supervise, .reportUp])
        #expect(rungs.map(\.fireAt.instant) == [
            F.at("2025-03-12", 17, 30), F.at("2025-03-13", 17, 30), F.at("2025-03-13", 17, 30),
            F.at("2025-03-14", 17, 30), F.at("2025-03-18", 17, 30),
        ])
        let fired: Set = [RungKey(clock: .promised, rung: .warning, epoch: 0)]
        #expect(RungLadder.standard.pendingRungs(of: clock, fired: fired, calendar: F.calendar).count == 4)
    }

    @Test("a paused clock has no pending rungs; an extension re-arms them in a new epoch")
    func pausedAndExtended() throws {
        var clock = DeadlineClock(kind: .promised, measure: .workingTime, budgetSeconds: 390 * 60, origin: F.at("2025-03-10", 0))
        try clock.pause(at: F.at("2025-03-10", 9), reason: "x")
        #expect(RungLadder.standard.pendingRungs(of: clock, fired: [], calendar: F.calendar).isEmpty)
        try clock.resume(at: F.at("2025-03-10", 10))
        try clock.extend(bySeconds: 390 * 60, at: F.at("2025-03-10", 11), approver: "a", reason: "r")
        let rungs = RungLadder.standard.pendingRungs(of: clock, fired: [RungKey(clock: .promised, rung: .due, epoch: 0)], calendar: F.calendar)
        #expect(rungs.allSatisfy { $0.key.epoch == 1 })
        #expect(rungs.count == 5)
    }

    @Test("triggers never go below zero")
    func thresholds() {
        #expect(RungTrigger.daysFromDue(-5).threshold(budgetSeconds: 100, measure: .workingTime, workingSecondsPerDay: 390 * 60) == 0)
        #expect(RungTrigger.daysFromDue(1).threshold(budgetSeconds: 100, measure: .elapsedTime, workingSecondsPerDay: 390 * 60) == 86_500)
        #expect(RungTrigger.consumedPermille(500).threshold(budgetSeconds: 1000, measure: .workingTime, workingSecondsPerDay: 1) == 500)
    }
}

@Suite("Settings and identity")
struct SettingsTests {
    @Test("the documented defaults")
    func defaults() {
        let settings = CentreSettings.standard
        #expect(settings.clockStart == .nextDay)
        #expect(settings.incompleteMaterials == .acceptThenSupplement)
        #expect(settings.jointThreshold == 2)
        #expect(settings.complexComplaintLimit.limit == .workingDays(5))
        #expect(settings.limits.immediate == .workingMinutes(30))
        #expect(settings.problems.isEmpty)
    }

    @Test("invalid settings are reported by field")
    func invalid() {
        var settings = CentreSettings.standard
        settings.jointThreshold = 4
        settings.limits.forwarding = .workingDays(0)
        settings.ladder = RungLadder(rungs: [RungSpec(kind: .warning, trigger: .consumedPermille(0))])
        #expect(settings.problems == [
            "jointThreshold must be 2 or 3, got 4",
            "limits.forwarding is out of range: 0 working days",
            "ladder.warning: permille must be in 1...10000, got 0",
        ])
    }

    @Test("node codes and case numbers parse strictly", arguments: [
        ("341182", true), ("341182102", true), ("341182102201", true), ("34", true),
        ("3411821", false), ("34118a", false), ("", false), ("３４１１８２", false),
    ])
    func nodeCodes(text: String, valid: Bool) {
        #expect((NodeCode(text) != nil) == valid)
    }

    @Test("case numbers round-trip and reject malformed text")
    func caseNumbers() throws {
        let number = try #require(CaseNumber("341182102-20250310-000042"))
        #expect(number.sequence == 42)
        #expect(number.description == "341182102-20250310-000042")
        for bad in ["341182102-20250230-000001", "341182102-20250310-000000", "341182102-2025031-000001", "x-20250310-000001", "341182102-20250310-00001a"] {
            #expect(CaseNumber(bad) == nil, "\(bad)")
        }
        #expect(NodeCode("341182")!.contains(NodeCode("341182102201")!))
        #expect(NodeCode("341182102")!.level == .township)
    }

    @Test("a matter reports its problems by field")
    func matterProblems() {
        let good = Matter(code: "MZ-001", name: "城乡低保申请", department: "民政", authority: .county, owner: NodeCode("341182")!,
                          statutoryLimit: .workingDays(20), promisedLimit: .workingDays(5))
        #expect(good.problems.isEmpty)
        var bad = good
        bad.promisedLimit = .workingDays(30)
        bad.defaultKind = .returned
        bad.materials = [Matter.MaterialSpec(name: "", copies: 0)]
        #expect(bad.problems == [
            "promised_limit: 30 working days exceeds the statutory 20",
            "default_kind: a matter's default kind is immediate, promised, joint or escalated",
            "materials[0].name: must not be empty",
            "materials[0].copies: must be in 1...99",
        ])
    }
}
