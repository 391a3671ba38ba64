import Foundation
import Testing
@testable import BanjianDomain

/// The catalogue drives every case: limits, authority, agency, same-day immediate cases,
/// extensions before the due instant, accountability and a known satisfaction base.
@Suite("Catalogue rules")
struct CatalogueRulesTests {
    typealias F = Fixture

    /// 低保 as the demo catalogue has it: county authority, 15 working days promised, 30 statutory.
    static let dibao = MatterTerms(
        matter: MatterRef(code: "MZ-001", name: "城乡居民最低生活保障申请", version: 1), authority: .county,
        limits: CaseLimits(promised: .workingDays(15), statutory: .workingDays(30)), agencyAllowed: true,
        requiredMaterials: [.init(name: "申请书", isMainDocument: true), .init(name: "户口簿复印件")])

    static let countyAcceptor = F.actor(.acceptor, "county-acceptor", at: F.county)
    static let countyHandler = F.actor(.handler, "county-handler", at: F.county)

    func received(_ terms: MatterTerms = dibao, by actor: Actor = F.acceptor, start: Date = F.at("2025-03-10", 9)) throws -> CaseDriver {
        var d = CaseDriver(start: start)
        var intake = F.intake()
        intake.terms = terms
        intake.matter = terms.matter
        try d.apply(.received(intake), by: actor, after: 0)
        return d
    }

    func accept(_ d: inout CaseDriver, _ route: Acceptance.Route, terms: MatterTerms = dibao, limits: CaseLimits = CaseLimits(),
                by actor: Actor) throws(CaseTransitionError) {
        try d.apply(.accepted(Acceptance(route: route, limits: limits, terms: terms)), by: actor)
    }

    @Test("a county matter accepted at the county runs the catalogue's promise and statutory limit")
    func catalogueLimits() throws {
        var d = try received(by: Self.countyAcceptor)
        try accept(&d, .promised(Assignment(department: "民政", handler: Self.countyHandler)), by: Self.countyAcceptor)
        let record = try #require(d.record)
        #expect(record.limits == CaseLimits(promised: .workingDays(15), statutory: .workingDays(30)))
        #expect(record.clocks[.promised]?.budgetSeconds == 15 * F.calendar.workingSecondsPerDay)
        #expect(record.clocks[.statutory]?.budgetSeconds == 30 * F.calendar.workingSecondsPerDay)
        #expect(record.terms == Self.dibao)
    }

    @Test("a centre may promise less than the catalogue, never more, and never other than the statutory limit")
    func promiseBounds() throws {
        var shorter = try received(by: Self.countyAcceptor)
        let route = Acceptance.Route.promised(Assignment(department: "民政", handler: Self.countyHandler))
        try accept(&shorter, route, limits: CaseLimits(promised: .workingDays(10)), by: Self.countyAcceptor)
        #expect(shorter.record?.limits.promised == .workingDays(10))

        var d = try received(by: Self.countyAcceptor)
        #expect(throws: CaseTransitionError.invalidField("limits.promised", reason: "40 working days exceeds the catalogue's promise of 15 working days")) {
            try accept(&d, route, limits: CaseLimits(promised: .workingDays(40)), by: Self.countyAcceptor)
        }
        #expect(throws: CaseTransitionError.invalidField("limits.promised", reason: "3 calendar days cannot be compared with the catalogue's promise of 15 working days: state it in the same measure")) {
            try accept(&d, route, limits: CaseLimits(promised: .calendarDays(3)), by: Self.countyAcceptor)
        }
        #expect(throws: CaseTransitionError.invalidField("limits.statutory", reason: "the statutory limit comes from the catalogue: 30 working days")) {
            try accept(&d, route, limits: CaseLimits(statutory: .workingDays(60)), by: Self.countyAcceptor)
        }
        // A catalogue whose promise is longer than the law's limit still cannot promise past it.
        var loose = Self.dibao
        loose.limits = CaseLimits(promised: .workingDays(40), statutory: .workingDays(30))
        var e = try received(loose, by: Self.countyAcceptor)
        #expect(throws: CaseTransitionError.invalidField("limits.promised", reason: "40 working days exceeds the statutory limit of 30 working days")) {
            try accept(&e, route, terms: loose, by: Self.countyAcceptor)
        }
        #expect(d.state == .received && e.state == .received)
    }

    @Test("a catalogue promise in working days beside a statutory limit in calendar days is accepted as published")
    func mixedMeasures() throws {
        var terms = Self.dibao
        terms.limits = CaseLimits(promised: .workingDays(5), statutory: .calendarDays(30))
        var d = try received(terms, by: Self.countyAcceptor)
        try accept(&d, .promised(Assignment(department: "民政", handler: Self.countyHandler)), terms: terms, by: Self.countyAcceptor)
        #expect(d.record?.limits == terms.limits && d.record?.clocks[.statutory]?.measure == .elapsedTime)
    }

    @Test("a delegation stored before delegations could reach a level still reads, as one node")
    func oldDelegationRows() throws {
        let json = #"{"from":{"rawValue":"341182"},"to":{"rawValue":"341182102"},"mode":"handle","effectiveAt":757353600,"documentNumber":"明政〔2025〕3号"}"#
        let delegation = try JSONDecoder().decode(Matter.Delegation.self, from: Data(json.utf8))
        #expect(delegation.to == .node(F.township) && delegation.mode == .handle)
        let roundTrip = try JSONDecoder().decode(Matter.Delegation.self, from: try JSONEncoder().encode(delegation))
        #expect(roundTrip == delegation)
    }

    @Test("a matter with a statutory limit runs the statutory clock on every route")
    func statutoryClockAlways() throws {
        var d = try received(by: Self.countyAcceptor)
        try accept(&d, .immediate, by: Self.countyAcceptor)
        #expect(d.record?.clocks[.statutory]?.isRunning == true)
        #expect(d.record?.limits.statutory == .workingDays(30))
    }

    @Test("a township may not decide a county matter: it can only receive it and escalate it")
    func authority() throws {
        var d = try received()
        let refusal = CaseTransitionError.notAuthorized(matter: "MZ-001", authority: .county, node: F.township)
        #expect(throws: refusal) { try accept(&d, F.promisedRoute, by: F.acceptor) }
        #expect(throws: refusal) { try accept(&d, .immediate, by: F.acceptor) }
        #expect(throws: refusal) { try accept(&d, F.jointRoute, by: F.acceptor) }
        #expect(refusal.description.hasPrefix("authority: matter MZ-001 is decided at county level"))
        try accept(&d, F.escalatedRoute, by: F.acceptor)
        let record = try #require(d.record)
        #expect(record.kind == .escalated && record.clocks[.forwarding]?.isRunning == true)
        #expect(record.clocks[.statutory]?.isRunning == true)
    }

    @Test("a matter delegated to the townships, or to one township, is decided there")
    func delegation() throws {
        for target in [DelegationTarget.level(.township), .node(F.township)] {
            var terms = Self.dibao
            terms.decidedAlsoAt = [target]
            var d = try received(terms)
            try accept(&d, F.promisedRoute, terms: terms, by: F.acceptor)
            #expect(d.record?.kind == .promised, "\(target)")
        }
        var elsewhere = Self.dibao
        elsewhere.decidedAlsoAt = [.node(NodeCode("341182103")!)]
        var d = try received(elsewhere)
        #expect(throws: CaseTransitionError.notAuthorized(matter: "MZ-001", authority: .county, node: F.township)) {
            try accept(&d, F.promisedRoute, terms: elsewhere, by: F.acceptor)
        }
        // A full-agency delegation leaves the decision above: it lists no target.
        let matter = Matter(code: "MZ-001", name: "低保", department: "民政", authority: .county, owner: F.county,
                            promisedLimit: .workingDays(15),
                            delegation: .init(from: F.county, to: .level(.township), mode: .fullAgency, effectiveAt: F.at("2025-01-01")))
        #expect(matter.terms(at: F.at("2025-03-10")).decidedAlsoAt.isEmpty)
        var handled = matter
        handled.delegation?.mode = .handle
        #expect(handled.terms(at: F.at("2024-12-31")).decidedAlsoAt.isEmpty, "not yet in effect")
        #expect(handled.terms(at: F.at("2025-03-10")).decidedAlsoAt == [.level(.township)])
    }

    @Test("agency intake needs a matter on the agency list")
    func agencyAllowed() throws {
        var terms = Self.dibao
        terms.agencyAllowed = false
        var intake = F.intake(channel: .agency)
        intake.terms = terms
        var d = CaseDriver()
        #expect(throws: CaseTransitionError.agencyNotAllowed(matter: "MZ-001")) { try d.apply(.received(intake), by: F.agent) }
        intake.terms = Self.dibao
        try d.apply(.received(intake), by: F.agent)
        #expect(d.state == .agencyIntake)
    }

    @Test("an immediate case accepted at 17:15 is due at 17:30 the same day, never the next")
    func immediateSameDay() throws {
        var terms = Self.dibao
        terms.authority = .township
        var late = try received(terms, start: F.at("2025-03-10", 17, 5))
        try late.apply(.accepted(Acceptance(route: .immediate, terms: terms)), by: F.acceptor) // 17:15
        let due = try #require(late.record?.clocks[.promised]?.due(calendar: F.calendar))
        #expect(due.instant == F.at("2025-03-10", 17, 30))
        #expect(late.record?.limits.promised == .workingMinutes(30))

        var morning = try received(terms, start: F.at("2025-03-10", 9, 50))
        try morning.apply(.accepted(Acceptance(route: .immediate, terms: terms)), by: F.acceptor) // 10:00
        #expect(morning.record?.clocks[.promised]?.due(calendar: F.calendar)?.instant == F.at("2025-03-10", 10, 30))

        // After closing time the next working day's office hours count.
        var evening = try received(terms, start: F.at("2025-03-10", 18))
        try evening.apply(.accepted(Acceptance(route: .immediate, terms: terms)), by: F.acceptor)
        #expect(evening.record?.clocks[.promised]?.due(calendar: F.calendar)?.instant == F.at("2025-03-11", 9))
    }

    @Test("an extension is asked for before the due instant, never after")
    func extensionBeforeDue() throws {
        var terms = Self.dibao
        terms.authority = .township
        var d = try received(terms)
        try accept(&d, F.promisedRoute, terms: terms, by: F.acceptor)
        let due = try #require(d.record?.clocks[.promised]?.due(calendar: F.calendar)).instant
        d.now = due.addingTimeInterval(-3600)
        try d.apply(.extensionRequested(clock: .promised, workingDays: 2, reason: "需补充调查"), by: F.handler, after: 0)
        try d.apply(.extensionDecided(approved: false, note: "不同意"), by: F.deputy, after: 0)
        d.now = due
        let before = d.record
        #expect(throws: CaseTransitionError.alreadyOverdue(.promised, due: due)) {
            try d.apply(.extensionRequested(clock: .promised, workingDays: 2, reason: "来不及"), by: F.handler, after: 0)
        }
        #expect(d.record == before)
        #expect(CaseTransitionError.alreadyOverdue(.promised, due: due).description.contains("already overdue on its promised limit"))
    }

    @Test("only the case's handler or a leader completes, returns, gives up or asks for more time")
    func accountability() throws {
        var terms = Self.dibao
        terms.authority = .township
        let other = F.actor(.handler, "handler-2")
        let notAccountable = { (event: CaseEvent.Name) in CaseTransitionError.notAccountable(event: event, accountable: F.handler) }
        var d = try received(terms)
        try accept(&d, F.promisedRoute, terms: terms, by: F.acceptor)
        #expect(throws: notAccountable(.completed)) { try d.apply(.completed(F.decision), by: other) }
        #expect(throws: notAccountable(.returned)) { try d.apply(.returned(category: .other, reason: "x", appealRights: ""), by: other) }
        #expect(throws: notAccountable(.cannotHandle)) { try d.apply(.cannotHandle(reason: "x"), by: other) }
        #expect(throws: notAccountable(.extensionRequested)) {
            try d.apply(.extensionRequested(clock: .promised, workingDays: 1, reason: "x"), by: other)
        }
        #expect(throws: notAccountable(.completed)) { try d.apply(.completed(F.decision), by: F.acceptor) }
        var byLeader = d
        try byLeader.apply(.completed(F.decision), by: F.actor(.departmentHead))
        #expect(byLeader.state == .completed)
        try d.apply(.completed(F.decision), by: F.handler)
        #expect(d.state == .completed)
    }

    @Test("a case is archived only once its satisfaction is recorded, or recorded as not evaluated")
    func satisfactionBase() throws {
        var terms = Self.dibao
        terms.authority = .township
        var d = try received(terms)
        try accept(&d, F.promisedRoute, terms: terms, by: F.acceptor)
        try d.apply(.completed(F.decision), by: F.handler)
        try d.apply(.replied, by: F.handler)
        try d.apply(.handedOver(recipient: "张三", method: .inPerson, recipientSigned: true), by: F.acceptor)
        #expect(throws: CaseTransitionError.feedbackRequired) { try d.apply(.archived, by: F.acceptor) }
        try d.apply(.feedbackRecorded(satisfaction: .notEvaluated, comment: "申请人不愿评价"), by: F.acceptor)
        try d.apply(.archived, by: F.acceptor)
        #expect(d.record?.feedback?.satisfaction == .notEvaluated)
    }
}

/// A case received before the catalogue drove cases (no terms in its log) replays under the
/// rules it was handled by.
@Suite("Cases from before the catalogue")
struct LegacyCaseTests {
    typealias F = Fixture

    @Test("a window case without terms archives without feedback and needs no accountable handler")
    func legacyReplay() throws {
        var d = CaseDriver(start: F.at("2025-03-10", 17, 15))
        try d.apply(.received(F.intake(terms: nil)), by: F.acceptor, after: 0)
        try d.apply(.accepted(Acceptance(route: .immediate, limits: CaseLimits(statutory: .workingDays(20)))), by: F.acceptor, after: 0)
        // No same-day cap and no statutory clock, as immediate acceptances ran before.
        #expect(d.record?.clocks[.promised]?.due(calendar: F.calendar)?.instant == F.at("2025-03-11", 8, 45))
        #expect(d.record?.clocks[.statutory] == nil)
        try d.apply(.completed(F.decision), by: F.handler)
        try d.apply(.replied, by: F.handler)
        try d.apply(.handedOver(recipient: "张三", method: .inPerson, recipientSigned: true), by: F.acceptor)
        try d.apply(.archived, by: F.acceptor)
        #expect(d.state == .archived(closure: nil))
    }
}
