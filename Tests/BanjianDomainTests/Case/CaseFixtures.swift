import Foundation
@testable import BanjianDomain

/// Shared fixtures: a township under a county, operators of every role, and a calendar.
enum Fixture {
    static let county = NodeCode("341182")!
    static let township = NodeCode("341182102")!
    static let village = NodeCode("341182102201")!
    static let calendar = WorkingCalendar.chinaMainland()

    static func actor(_ role: Role, _ id: String? = nil, at node: NodeCode = township) -> Actor {
        Actor(operatorID: id ?? "\(role.rawValue)-1", name: "\(role.rawValue) 1", role: role, node: node)
    }

    static let acceptor = actor(.acceptor)
    static let handler = actor(.handler)
    static let deputy = actor(.deputy)
    static let director = actor(.director)
    static let agent = actor(.agent, at: village)
    static let countyHandler = actor(.handler, "county-handler", at: county)
    static let system = actor(.system)

    /// Local time in Asia/Shanghai.
    static func at(_ date: String, _ hour: Int = 9, _ minute: Int = 0) -> Date {
        guard let day = CivilDate(iso: date) else { fatalError("bad fixture date \(date)") }
        return calendar.startOfDay(day).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    static func number(_ sequence: Int = 1, origin: NodeCode = township) -> CaseNumber {
        CaseNumber(origin: origin, date: CivilDate(year: 2025, month: 3, day: 10)!, sequence: sequence)!
    }

    /// The terms of the fixtures' matter as a township's catalogue gives them.
    static let terms = MatterTerms(matter: MatterRef(code: "MZ-001", name: "城乡低保申请"), authority: .township,
                                   limits: CaseLimits(promised: .workingDays(5)), agencyAllowed: true)

    /// A case received under the catalogue (`terms`), or with `terms: nil` as before it drove cases.
    static func intake(channel: Channel = .window, sequence: Int = 1, terms: MatterTerms? = terms) -> Intake {
        let materials = [
            Material(id: "m1", name: "申请书", copies: 1, pages: 2, isMainDocument: true, status: .provided),
            Material(id: "m2", name: "身份证复印件", copies: 1, pages: 1, status: .provided),
        ]
        return Intake(
            number: number(sequence, origin: channel == .agency ? village : township), channel: channel,
            applicant: Party(name: "张三", idNumber: "341182199001011234", phone: "13800000000", address: "明光市张八岭镇"),
            matter: MatterRef(code: "MZ-001", name: "城乡低保申请"), summary: "申请城乡最低生活保障",
            materials: materials,
            agency: channel == .agency ? AgencyHandover(serialNumber: "NO.0001", village: village, materialIDs: ["m1", "m2"], prepaidFen: 0) : nil,
            terms: terms)
    }

    static let missingLicence = Material(id: "m3", name: "户口簿", status: .missing)
    static let promisedRoute = Acceptance.Route.promised(Assignment(department: "社会事务服务部", handler: handler))
    static let jointRoute = Acceptance.Route.joint(lead: "民政", departments: ["民政", "国土"],
                                                   handler: Assignment(department: "民政", handler: handler))
    static let escalatedRoute = Acceptance.Route.escalated(EscalationPlan(target: county, preliminaryOpinion: Opinion(text: "材料齐全，符合条件")), handler: nil)
    static let decision = Decision(outcome: .approved, summary: "准予", handlingOpinion: "同意", review: Opinion(text: "复核无误"))
}

/// Drives one case through the state machine, keeping the record and the actions of the last step.
struct CaseDriver {
    var machine: CaseStateMachine
    var record: CaseRecord?
    var lastActions: [CaseAction] = []
    var now: Date

    init(settings: CentreSettings = .standard, start: Date = Fixture.at("2025-03-10")) {
        machine = CaseStateMachine(settings: settings, calendar: Fixture.calendar)
        now = start
    }

    /// Applies an event; on success the record advances, on error it stays.
    @discardableResult
    mutating func apply(_ event: CaseEvent, by actor: Actor, after minutes: Int = 10) throws(CaseTransitionError) -> [CaseAction] {
        now = now.addingTimeInterval(TimeInterval(minutes * 60))
        let transition = try machine.apply(event, to: record, at: now, by: actor)
        record = transition.record
        lastActions = transition.actions
        return transition.actions
    }

    var state: CaseState? { record?.state }
}
