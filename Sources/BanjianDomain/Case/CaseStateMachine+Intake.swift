import Foundation

extension CaseStateMachine.Step {
    /// V-SUBMITTED: the village agent hands the application to the township.
    mutating func submitAgency(to township: NodeCode) throws(CaseTransitionError) {
        guard record.state == .agencyIntake else { throw illegal }
        try Validate.ancestor(township, of: actor.node, "to")
        record.state = .received
        record.agencySubmittedAt = at
        record.agencySubmittedTo = township
        if settings.incompleteMaterials == .acceptThenSupplement { record.registeredAt = at }
        actions.append(.emit(.escalation, to: .node(township)))
    }

    /// 非受理范围: the applicant is told where to go.
    mutating func declareOutOfScope(_ referral: Referral) throws(CaseTransitionError) {
        guard record.state == .received else { throw illegal }
        try Validate.nonEmpty(referral.unit, "referral.unit")
        try stopAllClocks()
        record.state = .closed(.notInScope(referral))
        actions.append(.issueNotice(.referral))
    }

    /// The one-time notice (一次性告知). Before acceptance it makes the case a 补办件 (on
    /// accept-then-supplement centres); during handling it is a 补正 that pauses the clocks.
    mutating func requestSupplement(_ request: SupplementRequest) throws(CaseTransitionError) {
        let resumeTo: HandlingStage?
        switch record.state {
        case .received:
            resumeTo = nil
            if record.supplementRequest != nil {
                throw .invalidField("missing", reason: "the one-time notice (一次性告知) was already issued for this case")
            }
        case .handling(let stage) where (stage.route == .promised || stage.route == .joint) && stage.specialStep == nil:
            // Not once forwarded: the higher level may not ask for materials again (001 篇三 6(1)).
            resumeTo = stage
        default:
            throw illegal
        }
        guard !request.missing.isEmpty else { throw .invalidField("missing", reason: "list at least one material") }
        try Validate.uniqueIDs(request.missing.map(\.id), "missing")
        let existing = Set(record.materials.map(\.id))
        for (index, material) in request.missing.enumerated() {
            try Validate.nonEmpty(material.name, "missing[\(index)].name")
            if existing.contains(material.id) {
                throw .invalidField("missing[\(index)].id", reason: "'\(material.id)' is already a material of this case")
            }
            if resumeTo == nil, material.isMainDocument, settings.incompleteMaterials == .acceptThenSupplement {
                throw .mainDocumentMissing(material.id)
            }
        }
        record.materials += request.missing.map { material in
            var missing = material
            missing.status = .missing
            return missing
        }
        record.supplementRequest = request
        if resumeTo == nil, settings.incompleteMaterials == .acceptThenSupplement {
            record.kind = .supplement
            record.supplemented = true
        }
        try pauseClocks(Self.handlingClocks, reason: "补正: materials requested")
        record.state = .supplementPending(resumeTo: resumeTo)
        actions.append(.issueNotice(.supplementNotice))
    }

    /// Missing materials handed in; when the last arrives, 补齐之日 is recorded and the case goes
    /// back to reception or to its handling stage.
    mutating func supplyMaterials(_ ids: [String]) throws(CaseTransitionError) {
        guard case .supplementPending(let resumeTo) = record.state else { throw illegal }
        guard !ids.isEmpty else { throw .invalidField("material_ids", reason: "list at least one material") }
        for id in ids {
            guard let index = record.materials.firstIndex(where: { $0.id == id && $0.status == .missing }) else {
                throw .unknownMaterial(id)
            }
            record.materials[index].status = .suppliedLater
        }
        guard record.missingMaterials.isEmpty else { return }
        record.materialsCompletedAt = at
        if let stage = resumeTo {
            record.state = .handling(stage)
            try resumeClocks(Self.handlingClocks)
        } else {
            record.state = .received
            if record.registeredAt == nil { record.registeredAt = at }
        }
    }

    /// Classifies and accepts the case; starts its clocks under the matter's terms.
    ///
    /// The node may accept a case as 即办, 承诺 or 联办 only for a matter it may decide; any other
    /// matter is accepted only to be escalated (上报件). The statutory clock runs whenever the
    /// matter has a statutory limit; the promise is the catalogue's, or a shorter one.
    mutating func accept(_ acceptance: Acceptance) throws(CaseTransitionError) {
        guard record.state == .received else { throw illegal }
        let missing = record.missingMaterials.map(\.id)
        guard missing.isEmpty else { throw .materialsMissing(missing) }
        try Validate.limit(acceptance.limits.promised, "limits.promised")
        try Validate.limit(acceptance.limits.statutory, "limits.statutory")
        if let terms = acceptance.terms {
            let decidesHere: Bool = if case .escalated = acceptance.route { false } else { true }
            if decidesHere, !terms.mayBeDecided(at: actor.node) {
                throw .notAuthorized(matter: terms.matter.code, authority: terms.authority, node: actor.node)
            }
            record.terms = terms
        }

        let route: HandlingStage.Route
        switch acceptance.route {
        case .immediate:
            route = .immediate
            record.kind = .immediate
        case .promised(let assignment):
            try Validate.nonEmpty(assignment.department, "route.promised.department")
            route = .promised
            record.kind = .promised
            record.assignment = assignment
        case .joint(let lead, let departments, let handler):
            try Validate.nonEmpty(lead, "route.joint.lead")
            guard Set(departments).count == departments.count else {
                throw .invalidField("route.joint.departments", reason: "departments must be distinct")
            }
            guard departments.count >= settings.jointThreshold else {
                throw .jointBelowThreshold(count: departments.count, threshold: settings.jointThreshold)
            }
            guard departments.contains(lead) else {
                throw .invalidField("route.joint.lead", reason: "the lead '\(lead)' must be one of the departments")
            }
            route = .joint
            record.kind = .joint
            record.assignment = handler
            record.joint = JointHandling(lead: lead, participants: departments.map { JointParticipant(department: $0) })
        case .escalated(let plan, let handler):
            try validate(plan, field: "route.escalated")
            if let handler { try Validate.nonEmpty(handler.department, "route.escalated.department") }
            route = .forwardedUp
            record.kind = .escalated
            record.assignment = handler
            record.escalation = Escalation(target: plan.target, preliminaryOpinion: plan.preliminaryOpinion.signed(by: actor, at: at), forwardedAt: at)
        }

        try stopClocks([.refusalRecheck])
        record.acceptance = AcceptanceRecord(acceptor: actor, opinion: acceptance.opinion, rightsAndDuties: acceptance.rightsAndDuties, at: at)
        if record.registeredAt == nil { record.registeredAt = at }
        record.state = .handling(HandlingStage(route: route))

        // Limits in days count from 补齐之日 when the case waited for materials.
        let reference = record.materialsCompletedAt ?? at
        var limits = try caseLimits(requested: acceptance.limits, terms: acceptance.terms)
        if route == .immediate {
            // Acceptances recorded before the catalogue drove them ran no cap and no statutory clock.
            if acceptance.terms == nil { limits.statutory = nil }
            record.limits = CaseLimits(promised: settings.limits.immediate, statutory: limits.statutory)
            try startClock(.promised, settings.limits.immediate, reference: at,
                           cappedAt: acceptance.terms == nil ? nil : workingSecondsLeftToday())
        } else {
            record.limits = limits
            try startClock(.promised, limits.promised ?? settings.limits.defaultPromised, reference: reference)
        }
        if let statutory = limits.statutory { try startClock(.statutory, statutory, reference: reference) }

        switch route {
        case .immediate: break
        case .promised: actions.append(.issueNotice(.promisedAcceptance))
        case .joint: actions.append(.issueNotice(.jointNotice))
        case .forwardedUp:
            if case .escalated(let plan, _) = acceptance.route { try startForwarding(plan) }
        }
        if record.assignment != nil { actions.append(.notify(.handler, .assigned)) }
        if record.channel == .agency { actions.append(.notify(.agent, .agencyAccepted)) }
    }

    /// The limits a case runs under: the statutory limit of the catalogue, and the catalogue's
    /// promise or a shorter one the centre asked for (never longer than the statutory limit).
    /// Without terms (events recorded before the catalogue drove acceptance) the request stands.
    func caseLimits(requested: CaseLimits, terms: MatterTerms?) throws(CaseTransitionError) -> CaseLimits {
        guard let terms else {
            return CaseLimits(promised: requested.promised ?? settings.limits.defaultPromised, statutory: requested.statutory)
        }
        let statutory = terms.limits.statutory
        if let asked = requested.statutory, asked != statutory {
            throw .invalidField("limits.statutory", reason: "the statutory limit comes from the catalogue: \(statutory?.description ?? "none")")
        }
        let catalogue = terms.limits.promised ?? settings.limits.defaultPromised
        if let asked = requested.promised {
            try Validate.notLonger(asked, than: catalogue, "the catalogue's promise", calendar: calendar, "limits.promised")
        }
        let promised = requested.promised ?? catalogue
        // A promise and a statutory limit in different measures (working time, calendar days)
        // cannot be compared; the catalogue states them so, and the promise stands.
        if let statutory, promised.exceeds(statutory, workingSecondsPerDay: calendar.workingSecondsPerDay) == true {
            throw .invalidField("limits.promised", reason: "\(promised) exceeds the statutory limit of \(statutory)")
        }
        return CaseLimits(promised: promised, statutory: statutory)
    }

    /// 即办件 are done the same day: the working time left before the office closes on the day of
    /// acceptance, or `nil` after closing or on a day off (the next working day counts then).
    func workingSecondsLeftToday() -> Int64? {
        let left = calendar.workingSeconds(from: at, to: calendar.closeOfOffice(on: calendar.civilDate(of: at)))
        return left > 0 ? left : nil
    }
}

extension CaseStateMachine.Step {
    /// Checks an escalation plan: a higher target, a preliminary opinion, a valid limit.
    func validate(_ plan: EscalationPlan, field: String) throws(CaseTransitionError) {
        try Validate.ancestor(plan.target, of: actor.node, "\(field).target")
        try Validate.nonEmpty(plan.preliminaryOpinion.text, "\(field).preliminary_opinion")
        try Validate.limit(plan.forwardingLimit, "\(field).forwarding_limit")
    }

    /// Starts the forwarding clock and sends the case up with its materials (上报). The 上报时限 is
    /// the catalogue's, or a shorter one the plan asks for.
    mutating func startForwarding(_ plan: EscalationPlan) throws(CaseTransitionError) {
        let catalogue = record.terms?.forwardingLimit ?? settings.limits.forwarding
        if let asked = plan.forwardingLimit, record.terms != nil {
            try Validate.notLonger(asked, than: catalogue, "the catalogue's forwarding limit", calendar: calendar, "forwarding_limit")
        }
        try startClock(.forwarding, plan.forwardingLimit ?? catalogue, reference: at)
        if let disclosure = plan.disclosure {
            record.applicant = disclosure.applicant
            record.principal = disclosure.principal
        }
        actions.append(.issueNotice(.escalationNotice))
        actions.append(.emit(.escalation, to: .node(plan.target)))
    }
}
