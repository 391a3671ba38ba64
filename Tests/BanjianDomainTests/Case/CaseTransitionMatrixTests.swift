import Foundation
import Testing
@testable import BanjianDomain

/// Every event tried in every reachable state: the legal ones succeed, every other one is
/// rejected with a typed error and changes nothing.
@Suite("Case transition matrix")
struct CaseTransitionMatrixTests {
    /// A named way to reach a state.
    struct Scenario: CustomStringConvertible, Sendable {
        let description: String
        let settings: CentreSettings
        let steps: @Sendable (inout CaseDriver) throws -> Void
    }

    static let scenarios: [Scenario] = [
        Scenario(description: "agencyIntake", settings: .standard) { d in
            try d.apply(.received(Fixture.intake(channel: .agency)), by: Fixture.agent)
        },
        Scenario(description: "received", settings: .standard) { d in
            try d.apply(.received(Fixture.intake()), by: Fixture.acceptor)
        },
        Scenario(description: "supplementPending", settings: .standard) { d in
            try d.apply(.received(Fixture.intake()), by: Fixture.acceptor)
            try d.apply(.supplementRequested(SupplementRequest(missing: [Fixture.missingLicence], note: "")), by: Fixture.acceptor)
        },
        Scenario(description: "supplementPending during handling", settings: .standard) { d in
            try accept(&d, Fixture.promisedRoute)
            try d.apply(.supplementRequested(SupplementRequest(missing: [Fixture.missingLicence], note: "补正")), by: Fixture.acceptor)
        },
        Scenario(description: "handling immediate", settings: .standard) { d in try accept(&d, .immediate) },
        Scenario(description: "handling promised", settings: .standard) { d in try accept(&d, Fixture.promisedRoute) },
        Scenario(description: "handling promised, special step", settings: .standard) { d in
            try accept(&d, Fixture.promisedRoute)
            try d.apply(.specialStepStarted(kind: .siteSurvey, note: "现场踏勘", expectedEndAt: nil), by: Fixture.handler)
        },
        Scenario(description: "handling joint", settings: .standard) { d in try accept(&d, Fixture.jointRoute) },
        Scenario(description: "handling forwardedUp", settings: .standard) { d in try accept(&d, Fixture.escalatedRoute) },
        Scenario(description: "completed", settings: .standard) { d in try complete(&d) },
        Scenario(description: "replied", settings: .standard) { d in
            try complete(&d)
            try d.apply(.replied, by: Fixture.handler)
        },
        Scenario(description: "handedOver", settings: .standard) { d in try handOver(&d) },
        Scenario(description: "feedbackGiven", settings: .standard) { d in
            try handOver(&d)
            try d.apply(.feedbackRecorded(satisfaction: .satisfied, comment: ""), by: Fixture.acceptor)
        },
        Scenario(description: "closed notInScope", settings: .standard) { d in
            try d.apply(.received(Fixture.intake()), by: Fixture.acceptor)
            try d.apply(.declaredOutOfScope(Referral(unit: "县不动产登记中心", contact: "0550-0000000")), by: Fixture.acceptor)
        },
        Scenario(description: "closed returned", settings: .standard) { d in try returned(&d) },
        Scenario(description: "closed returned, reviewed", settings: .standard) { d in
            try returned(&d)
            try d.apply(.returnReviewed(upheld: true, note: ""), by: Fixture.deputy)
        },
        Scenario(description: "closed cannotHandle", settings: .standard) { d in
            try accept(&d, Fixture.promisedRoute)
            try d.apply(.cannotHandle(reason: "政策不允许"), by: Fixture.handler)
        },
        Scenario(description: "archived", settings: .standard) { d in
            try handOver(&d)
            try d.apply(.feedbackRecorded(satisfaction: .notEvaluated, comment: "申请人不愿评价"), by: Fixture.acceptor)
            try d.apply(.archived, by: Fixture.acceptor)
        },
    ]

    static func accept(_ d: inout CaseDriver, _ route: Acceptance.Route) throws {
        try d.apply(.received(Fixture.intake()), by: Fixture.acceptor)
        try d.apply(.accepted(Acceptance(route: route, limits: CaseLimits(promised: .workingDays(5), statutory: .workingDays(20)))), by: Fixture.acceptor)
    }

    static func complete(_ d: inout CaseDriver) throws {
        try accept(&d, Fixture.promisedRoute)
        try d.apply(.completed(Fixture.decision), by: Fixture.handler)
    }

    static func handOver(_ d: inout CaseDriver) throws {
        try complete(&d)
        try d.apply(.replied, by: Fixture.handler)
        try d.apply(.handedOver(recipient: "张三", method: .inPerson, recipientSigned: true), by: Fixture.acceptor)
    }

    static func returned(_ d: inout CaseDriver) throws {
        try d.apply(.received(Fixture.intake()), by: Fixture.acceptor)
        try d.apply(.returned(category: .policyViolation, reason: "不符合政策", appealRights: "可申请行政复议"), by: Fixture.acceptor)
    }

    /// One representative, valid-looking event of each kind, with an actor allowed to cause it.
    static let probes: [(CaseEvent, Actor)] = [
        (.agencySubmitted(to: Fixture.township), Fixture.agent),
        (.declaredOutOfScope(Referral(unit: "县民政局", contact: "")), Fixture.acceptor),
        (.supplementRequested(SupplementRequest(missing: [Material(id: "m9", name: "证明", status: .missing)], note: "")), Fixture.acceptor),
        (.materialsSupplied(materialIDs: ["m3"]), Fixture.acceptor),
        (.accepted(Acceptance(route: Fixture.promisedRoute)), Fixture.acceptor),
        (.handlerAssigned(Assignment(department: "经济发展服务部", handler: Fixture.actor(.handler, "h2"))), Fixture.deputy),
        (.jointDepartmentCompleted(department: "国土", outcome: .approved, opinion: Opinion(text: "同意")), Fixture.handler),
        (.escalated(EscalationPlan(target: Fixture.county, preliminaryOpinion: Opinion(text: "建议批准"))), Fixture.handler),
        (.escalationAcknowledged(noticeNumber: "决字〔2025〕1号"), Fixture.countyHandler),
        (.escalationDecided(Fixture.decision), Fixture.countyHandler),
        (.specialStepStarted(kind: .hearing, note: "听证", expectedEndAt: nil), Fixture.handler),
        (.specialStepEnded(outcome: "听证完成"), Fixture.handler),
        (.extensionRequested(clock: .promised, workingDays: 3, reason: "需要补充调查"), Fixture.handler),
        (.extensionDecided(approved: true, note: ""), Fixture.deputy),
        (.urged(reason: "临近期限", directorInstruction: Opinion(text: "抓紧办理")), Fixture.acceptor),
        (.returned(category: .conditionsNotMet, reason: "踏勘不符合条件", appealRights: ""), Fixture.handler),
        (.returnReviewed(upheld: false, note: "退回理由不成立"), Fixture.director),
        (.cannotHandle(reason: "无法办理"), Fixture.handler),
        (.completed(Fixture.decision), Fixture.handler),
        (.replied, Fixture.handler),
        (.handedOver(recipient: "张三", method: .inPerson, recipientSigned: true), Fixture.acceptor),
        (.feedbackRecorded(satisfaction: .basicallySatisfied, comment: ""), Fixture.acceptor),
        (.archived, Fixture.acceptor),
    ]

    /// The events each scenario accepts.
    static let legal: [String: Set<CaseEvent.Name>] = [
        "agencyIntake": [.agencySubmitted],
        "received": [.declaredOutOfScope, .supplementRequested, .accepted, .returned],
        "supplementPending": [.materialsSupplied, .returned],
        "supplementPending during handling": [.materialsSupplied],
        // The immediate case's accountable person is its acceptor; the probe's handler is not.
        "handling immediate": [.handlerAssigned, .urged],
        "handling promised": [.handlerAssigned, .supplementRequested, .escalated, .specialStepStarted,
                              .extensionRequested, .urged, .returned, .cannotHandle, .completed],
        "handling promised, special step": [.handlerAssigned, .specialStepEnded, .extensionRequested, .urged, .returned],
        "handling joint": [.handlerAssigned, .supplementRequested, .jointDepartmentCompleted, .escalated,
                           .specialStepStarted, .extensionRequested, .urged, .returned, .cannotHandle],
        "handling forwardedUp": [.handlerAssigned, .escalationAcknowledged, .escalationDecided, .specialStepStarted, .urged],
        "completed": [.replied],
        "replied": [.handedOver],
        "handedOver": [.feedbackRecorded],
        "feedbackGiven": [.archived],
        "closed notInScope": [.archived],
        "closed returned": [.returnReviewed],
        "closed returned, reviewed": [.archived],
        "closed cannotHandle": [.archived],
        "archived": [],
    ]

    /// Rejections that carry a more specific error than `illegalTransition`: the state is right
    /// but a rule of the event is not met.
    static let specificErrors: [String: [CaseEvent.Name: CaseTransitionError]] = [
        "received": [.materialsSupplied: .illegalTransition(event: .materialsSupplied, state: .received)],
        "handling promised": [.extensionDecided: .noPendingExtension, .specialStepEnded: .noSpecialStep],
        "handling promised, special step": [
            .extensionDecided: .noPendingExtension, .escalated: .specialStepInProgress,
            .specialStepStarted: .specialStepInProgress, .cannotHandle: .specialStepInProgress,
            .completed: .specialStepInProgress, .jointDepartmentCompleted: .illegalTransition(event: .jointDepartmentCompleted, state: .handling),
        ],
        "handling joint": [.extensionDecided: .noPendingExtension, .specialStepEnded: .noSpecialStep,
                           .completed: .jointDepartmentsPending(["民政", "国土"])],
        "handling immediate": [.completed: .notAccountable(event: .completed, accountable: Fixture.acceptor)],
        "handling forwardedUp": [.extensionDecided: .noPendingExtension, .specialStepEnded: .noSpecialStep,
                                 .extensionRequested: .notAccountable(event: .extensionRequested, accountable: Fixture.acceptor)],
        "handedOver": [.archived: .feedbackRequired],
        "closed returned": [.archived: .refusalReviewPending],
    ]

    static let pairs: [(Int, Int)] = scenarios.indices.flatMap { s in probes.indices.map { (s, $0) } }

    @Test("scenarios reach their state and keep the invariants", arguments: scenarios.indices)
    func scenarioInvariants(_ index: Int) throws {
        let scenario = Self.scenarios[index]
        var driver = CaseDriver(settings: scenario.settings)
        try scenario.steps(&driver)
        let record = try #require(driver.record)
        #expect(record.invariantViolations == [], "\(scenario)")
    }

    @Test("every event in every state", arguments: pairs)
    func matrix(_ pair: (Int, Int)) throws {
        let scenario = Self.scenarios[pair.0]
        let (event, actor) = Self.probes[pair.1]
        var driver = CaseDriver(settings: scenario.settings)
        try scenario.steps(&driver)
        let before = try #require(driver.record)
        let legal = Self.legal[scenario.description, default: []].contains(event.name)
        do {
            try driver.apply(event, by: actor)
            #expect(legal, "\(event.name) unexpectedly allowed in \(scenario)")
            let after = try #require(driver.record)
            #expect(after.version == before.version + 1)
            #expect(after.invariantViolations == [], "\(event.name) in \(scenario)")
        } catch let error as CaseTransitionError {
            #expect(!legal, "\(event.name) rejected in \(scenario): \(error)")
            let expected = Self.specificErrors[scenario.description]?[event.name]
                ?? .illegalTransition(event: event.name, state: before.state.name)
            #expect(error == expected, "\(event.name) in \(scenario)")
            #expect(driver.record == before, "a rejected event changed the record")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
