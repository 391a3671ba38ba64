public import Foundation

/// A case after an event, and what its owner must do about it.
public struct CaseTransition: Hashable, Sendable {
    public let record: CaseRecord
    public let actions: [CaseAction]
}

/// The case state machine for the six kinds plus agency (domain.md §2.3).
///
/// A pure value: it reads no clock and does no I/O. `apply` validates an event against the
/// current record and returns the new record and the actions to perform, or a typed error;
/// on error nothing changes.
public struct CaseStateMachine: Sendable {
    public let settings: CentreSettings
    public let calendar: WorkingCalendar

    public init(settings: CentreSettings = .standard, calendar: WorkingCalendar) {
        self.settings = settings
        self.calendar = calendar
    }

    /// Applies one event.
    /// - Parameters:
    ///   - record: the case, or `nil` for the opening `received` event.
    ///   - instant: when the event happened.
    ///   - actor: who caused it; the role must be permitted for the event.
    /// - Throws: `CaseTransitionError`; the caller's record is untouched.
    /// - Complexity: O(materials + clocks × ledger entries).
    public func apply(_ event: CaseEvent, to record: CaseRecord?, at instant: Date, by actor: Actor)
        throws(CaseTransitionError) -> CaseTransition
    {
        guard event.name.permittedRoles.contains(actor.role) else {
            throw .roleNotPermitted(actor.role, event: event.name)
        }
        var step: Step
        if case .received(let intake) = event {
            if let record { throw .caseAlreadyOpen(record.number) }
            step = Step(machine: self, record: try open(intake, at: instant, by: actor), event: event, at: instant, actor: actor)
            step.actions.append(.issueNotice(.receipt))
        } else {
            guard let record else { throw .caseNotOpen }
            step = Step(machine: self, record: record, event: event, at: instant, actor: actor)
            try step.run()
        }
        step.actions.append(.emit(.supervisionCopy, to: .parent))
        step.record.version += 1
        step.record.updatedAt = instant
        if case .closed = step.record.state, step.record.closedAt == nil { step.record.closedAt = instant }
        return CaseTransition(record: step.record, actions: step.actions)
    }

    /// Replays an event log from the opening event.
    /// - Throws: the first event's error, with every earlier event applied.
    public func replay(_ events: [(event: CaseEvent, at: Date, by: Actor)]) throws(CaseTransitionError) -> CaseRecord? {
        var record: CaseRecord?
        for entry in events {
            record = try apply(entry.event, to: record, at: entry.at, by: entry.by).record
        }
        return record
    }

    private func open(_ intake: Intake, at instant: Date, by actor: Actor) throws(CaseTransitionError) -> CaseRecord {
        try Validate.nonEmpty(intake.applicant.name, "applicant.name")
        try Validate.nonEmpty(intake.summary, "summary")
        try Validate.nonEmpty(intake.matter.code, "matter.code")
        try Validate.uniqueIDs(intake.materials.map(\.id), "materials")
        for (index, material) in intake.materials.enumerated() where material.status != .provided {
            throw .invalidField("materials[\(index)].status", reason: "materials at intake are provided; the one-time notice lists missing ones")
        }
        for fee in intake.fees where fee.amountFen < 0 {
            throw .invalidField("fees.amount_fen", reason: "must not be negative")
        }
        var state = CaseState.received
        if intake.channel == .agency {
            guard let agency = intake.agency else {
                throw .invalidField("agency", reason: "an agency case needs its hand-over slip (代理交接单)")
            }
            let known = Set(intake.materials.map(\.id))
            if let unknown = agency.materialIDs.first(where: { !known.contains($0) }) {
                throw .invalidField("agency.material_ids", reason: "'\(unknown)' is not among the case's materials")
            }
            if actor.role == .agent {
                guard actor.node == agency.village else { throw .wrongNode(actual: actor.node, expected: agency.village) }
                state = .agencyIntake
            }
            if let terms = intake.terms, !terms.agencyAllowed { throw .agencyNotAllowed(matter: terms.matter.code) }
        } else if actor.role == .agent {
            throw .invalidField("channel", reason: "a village agent records agency cases only")
        }
        return CaseRecord(
            number: intake.number, channel: intake.channel, applicant: intake.applicant,
            principal: intake.principal, matter: intake.matter, summary: intake.summary,
            materials: intake.materials, fees: intake.fees, agency: intake.agency, agencySubmittedAt: nil, agencySubmittedTo: nil,
            acceptancePhone: intake.acceptancePhone, supervisionPhone: intake.supervisionPhone,
            receivedAt: instant, receivedBy: actor, state: state, kind: nil, supplemented: false,
            supplementRequest: nil, materialsCompletedAt: nil,
            registeredAt: settings.incompleteMaterials == .acceptThenSupplement && state == .received ? instant : nil,
            limits: CaseLimits(), terms: intake.terms, acceptance: nil, assignment: nil, joint: nil, escalation: nil, specialSteps: [],
            returns: [], extensions: [], urgings: [], result: nil, reply: nil, handOver: nil, feedback: nil,
            closedAt: nil, archivedAt: nil, updatedAt: instant, clocks: [:], firedRungs: [], breached: [], version: 0)
    }
}

/// Field checks shared by the transitions.
enum Validate {
    static func nonEmpty(_ value: String, _ field: String) throws(CaseTransitionError) {
        if value.allSatisfy(\.isWhitespace) { throw .invalidField(field, reason: "must not be empty") }
    }

    static func uniqueIDs(_ ids: [String], _ field: String) throws(CaseTransitionError) {
        var seen = Set<String>()
        for (index, id) in ids.enumerated() {
            try nonEmpty(id, "\(field)[\(index)].id")
            if !seen.insert(id).inserted { throw .invalidField("\(field)[\(index)].id", reason: "duplicate id '\(id)'") }
        }
    }

    static func limit(_ limit: TimeLimit?, _ field: String) throws(CaseTransitionError) {
        if let limit, !limit.isValid { throw .invalidField(field, reason: "out of range: \(limit)") }
    }

    /// A limit no longer than `bound` (named `boundName`), and stated in the same measure.
    static func notLonger(_ limit: TimeLimit, than bound: TimeLimit, _ boundName: String, calendar: WorkingCalendar,
                          _ field: String) throws(CaseTransitionError) {
        switch limit.exceeds(bound, workingSecondsPerDay: calendar.workingSecondsPerDay) {
        case false?: return
        case true?: throw .invalidField(field, reason: "\(limit) exceeds \(boundName) of \(bound)")
        case nil: throw .invalidField(field, reason: "\(limit) cannot be compared with \(boundName) of \(bound): state it in the same measure")
        }
    }

    /// An escalation target must be a proper ancestor of the escalating node.
    static func ancestor(_ target: NodeCode, of node: NodeCode, _ field: String) throws(CaseTransitionError) {
        guard target != node, target.contains(node) else {
            throw .invalidField(field, reason: "\(target) is not a higher level above node \(node)")
        }
    }
}
