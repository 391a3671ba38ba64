package import BanjianDomain
import Foundation
import SwiftProtobuf

// Conversions of case events (case_event.proto): each body both ways, and the recorded envelope.

extension CaseEvent {
    /// The domain event of a wire body, with every field validated.
    /// - Parameters:
    ///   - caseNumber: the case the event belongs to (a `received` body opens it).
    ///   - field: the body's field name, the prefix of every error's path.
    package init(wire body: Banjian_V1_CaseEvent.OneOf_Body, caseNumber: CaseNumber, field f: String) throws(WireValidationError) {
        switch body {
        case .received(let w):
            try Check.count(w.fees.count, "\(f).fees", max: WireLimits.fees)
            var fees: [Fee] = []
            for (index, fee) in w.fees.enumerated() { fees.append(try Fee(wire: fee, field: "\(f).fees[\(index)]")) }
            try Check.present(w.hasApplicant, "\(f).applicant")
            self = .received(Intake(
                number: caseNumber,
                channel: try Mappings.channel.domain(w.channel, "\(f).channel"),
                applicant: try Party(wire: w.applicant, field: "\(f).applicant"),
                principal: w.hasPrincipal ? try Party(wire: w.principal, field: "\(f).principal") : nil,
                // Name and version are output only: the receiving node fills them from its catalogue.
                matter: MatterRef(
                    code: try Check.token(w.matterCode, "\(f).matter_code", max: WireLimits.matterCode, extra: "-."),
                    name: try Check.text(w.matterName, "\(f).matter_name", max: WireLimits.title),
                    version: try Check.range(Int(w.matterVersion), "\(f).matter_version", 0...Int(Int32.max))),
                summary: try Check.text(w.summary, "\(f).summary", max: WireLimits.summary, required: true, multiline: true),
                materials: try Material.list(w.materials, "\(f).materials", defaultStatus: .provided),
                fees: fees,
                agency: w.hasAgencyHandover ? try AgencyHandover(wire: w.agencyHandover, field: "\(f).agency_handover") : nil,
                acceptancePhone: try Check.phone(w.acceptancePhone, "\(f).acceptance_phone"),
                supervisionPhone: try Check.phone(w.supervisionPhone, "\(f).supervision_phone"),
                terms: w.hasTerms ? try MatterTerms(wire: w.terms, field: "\(f).terms") : nil))
        case .agencySubmitted(let w):
            self = .agencySubmitted(to: try Check.node(w.targetNodeCode, "\(f).target_node_code"))
        case .declaredOutOfScope(let w):
            self = .declaredOutOfScope(Referral(
                unit: try Check.text(w.referralUnit, "\(f).referral_unit", max: WireLimits.title, required: true),
                contact: try Check.text(w.referralContact, "\(f).referral_contact", max: WireLimits.address)))
        case .supplementRequested(let w):
            try Check.count(w.missingMaterials.count, "\(f).missing_materials", max: WireLimits.materials, min: 1)
            self = .supplementRequested(SupplementRequest(
                missing: try Material.list(w.missingMaterials, "\(f).missing_materials", defaultStatus: .missing),
                note: try Check.text(w.note, "\(f).note", max: WireLimits.opinion, multiline: true)))
        case .materialsSupplied(let w):
            try Check.count(w.materialIds.count, "\(f).material_ids", max: WireLimits.materials, min: 1)
            for (index, id) in w.materialIds.enumerated() {
                _ = try Check.token(id, "\(f).material_ids[\(index)]", max: WireLimits.materialID, extra: "-_")
            }
            self = .materialsSupplied(materialIDs: w.materialIds)
        case .accepted(let w):
            self = .accepted(try Acceptance(wire: w, field: f))
        case .handlerAssigned(let w):
            self = .handlerAssigned(try Assignment(department: w.department, handler: w.handler, has: w.hasHandler, field: f))
        case .jointDepartmentCompleted(let w):
            self = .jointDepartmentCompleted(
                department: try Check.text(w.department, "\(f).department", max: WireLimits.department, required: true),
                outcome: try Mappings.outcome.domain(w.outcome, "\(f).outcome"),
                opinion: try Opinion.optional(has: w.hasOpinion, w.opinion, "\(f).opinion"))
        case .escalated(let w):
            self = .escalated(try EscalationPlan(
                target: w.targetNodeCode, opinion: w.preliminaryOpinion, hasOpinion: w.hasPreliminaryOpinion,
                forwarding: try TimeLimit.optional(has: w.hasForwardingLimit, w.forwardingLimit, "\(f).forwarding_limit"),
                disclosure: w.hasDisclosure ? w.disclosure : nil, field: f))
        case .escalationAcknowledged(let w):
            self = .escalationAcknowledged(noticeNumber: try Check.text(
                w.acknowledgementNumber, "\(f).acknowledgement_number", max: WireLimits.documentNumber, required: true))
        case .escalationDecided(let w):
            try Check.present(w.hasDecision, "\(f).decision")
            self = .escalationDecided(try Decision(result: w.decision, field: "\(f).decision"))
        case .specialStepStarted(let w):
            self = .specialStepStarted(
                kind: try Mappings.specialStep.domain(w.kind, "\(f).kind"),
                note: try Check.text(w.reason, "\(f).reason", max: WireLimits.opinion, multiline: true),
                expectedEndAt: w.hasExpectedEndAt ? try Check.date(w.expectedEndAt, "\(f).expected_end_at") : nil)
        case .specialStepEnded(let w):
            self = .specialStepEnded(outcome: try Check.text(w.outcome, "\(f).outcome", max: WireLimits.opinion, multiline: true))
        case .extensionRequested(let w):
            self = .extensionRequested(
                clock: try Mappings.clock.domain(w.clockKind, "\(f).clock_kind"),
                workingDays: try Check.range(Int(w.workingDays), "\(f).working_days", 1...ExtensionRecord.maximumWorkingDays),
                reason: try Check.text(w.reason, "\(f).reason", max: WireLimits.opinion, required: true, multiline: true))
        case .extensionDecided(let w):
            self = .extensionDecided(approved: w.approved, note: try Check.text(w.note, "\(f).note", max: WireLimits.opinion, multiline: true))
        case .urged(let w):
            self = .urged(
                reason: try Check.text(w.reason, "\(f).reason", max: WireLimits.opinion, required: true, multiline: true),
                directorInstruction: try Opinion.optional(has: w.hasDirectorInstruction, w.directorInstruction, "\(f).director_instruction"))
        case .returned(let w):
            self = .returned(
                category: try Mappings.returnCategory.domain(w.category, "\(f).category"),
                reason: try Check.text(w.reason, "\(f).reason", max: WireLimits.opinion, required: true, multiline: true),
                appealRights: try Check.text(w.appealRights, "\(f).appeal_rights", max: WireLimits.opinion, multiline: true))
        case .returnReviewed(let w):
            self = .returnReviewed(upheld: w.upheld, note: try Check.text(w.note, "\(f).note", max: WireLimits.opinion, multiline: true))
        case .cannotHandle(let w):
            self = .cannotHandle(reason: try Check.text(w.reason, "\(f).reason", max: WireLimits.opinion, required: true, multiline: true))
        case .completed(let w):
            try Check.present(w.hasResult, "\(f).result")
            var decision = try Decision(result: w.result, field: "\(f).result")
            decision.handlingOpinion = try Check.text(w.handlingOpinion, "\(f).handling_opinion", max: WireLimits.opinion, multiline: true)
            decision.departmentOpinion = try Opinion.optional(has: w.hasDepartmentHeadOpinion, w.departmentHeadOpinion, "\(f).department_head_opinion")
            decision.review = try Opinion.optional(has: w.hasReview, w.review, "\(f).review")
            self = .completed(decision)
        case .replied:
            self = .replied
        case .handedOver(let w):
            self = .handedOver(
                recipient: try Check.text(w.recipient, "\(f).recipient", max: WireLimits.name, required: true),
                method: try Mappings.handOver.domain(w.method, "\(f).method"),
                recipientSigned: w.recipientSigned)
        case .feedbackRecorded(let w):
            self = .feedbackRecorded(
                satisfaction: try Mappings.satisfaction.domain(w.satisfaction, "\(f).satisfaction"),
                comment: try Check.text(w.comment, "\(f).comment", max: WireLimits.opinion, multiline: true),
                followUpWithin: w.hasFollowUpWithin ? try TimeLimit(wire: w.followUpWithin, field: "\(f).follow_up_within") : nil)
        case .archived:
            self = .archived
        case .rungFired(let w):
            self = .rungFired(RungKey(
                clock: try Mappings.clock.domain(w.clockKind, "\(f).clock_kind"),
                rung: try Mappings.rung.domain(w.rungKind, "\(f).rung_kind"),
                epoch: Int(w.epoch)))
        case .deadlinesCorrected(let w):
            guard (1...ClockKind.allCases.count * RungKind.allCases.count).contains(w.withdrawn.count) else {
                throw WireValidationError("\(f).withdrawn", "must name 1 to \(ClockKind.allCases.count * RungKind.allCases.count) rungs")
            }
            var withdrawn: [RungKey] = []
            for (index, rung) in w.withdrawn.enumerated() {
                withdrawn.append(RungKey(
                    clock: try Mappings.clock.domain(rung.clockKind, "\(f).withdrawn[\(index)].clock_kind"),
                    rung: try Mappings.rung.domain(rung.rungKind, "\(f).withdrawn[\(index)].rung_kind"),
                    epoch: Int(rung.epoch)))
            }
            self = .deadlinesCorrected(DeadlineCorrection(
                calendar: try Check.text(w.calendar, "\(f).calendar", max: WireLimits.title), withdrawn: withdrawn))
        case .supervisionOrdered(let w):
            try Check.present(w.hasOrder, "\(f).order")
            self = .supervisionOrdered(try SupervisionOrder(wire: w.order, field: "\(f).order"))
        case .followUpRecorded(let w):
            self = .followUpRecorded(
                outcome: try Mappings.followUp.domain(w.outcome, "\(f).outcome"),
                note: try Check.text(w.note, "\(f).note", max: WireLimits.longText, required: true, multiline: true))
        case .supervisionOrderAnswered(let w):
            self = .supervisionOrderAnswered(
                orderNumber: try Check.text(w.orderNumber, "\(f).order_number", max: WireLimits.documentNumber, required: true),
                answer: try Check.text(w.answer, "\(f).answer", max: WireLimits.longText, required: true, multiline: true))
        }
    }
}

extension Banjian_V1_CaseEvent.OneOf_Body {
    /// The proto field name of the body, the first element of its fields' paths.
    var fieldName: String {
        switch self {
        case .received: "received"
        case .agencySubmitted: "agency_submitted"
        case .declaredOutOfScope: "declared_out_of_scope"
        case .supplementRequested: "supplement_requested"
        case .materialsSupplied: "materials_supplied"
        case .accepted: "accepted"
        case .handlerAssigned: "handler_assigned"
        case .jointDepartmentCompleted: "joint_department_completed"
        case .escalated: "escalated"
        case .escalationAcknowledged: "escalation_acknowledged"
        case .escalationDecided: "escalation_decided"
        case .specialStepStarted: "special_step_started"
        case .specialStepEnded: "special_step_ended"
        case .extensionRequested: "extension_requested"
        case .extensionDecided: "extension_decided"
        case .urged: "urged"
        case .returned: "returned"
        case .returnReviewed: "return_reviewed"
        case .cannotHandle: "cannot_handle"
        case .completed: "completed"
        case .replied: "replied"
        case .handedOver: "handed_over"
        case .feedbackRecorded: "feedback_recorded"
        case .archived: "archived"
        case .rungFired: "rung_fired"
        case .deadlinesCorrected: "deadlines_corrected"
        case .supervisionOrdered: "supervision_ordered"
        case .supervisionOrderAnswered: "supervision_order_answered"
        case .followUpRecorded: "follow_up_recorded"
        }
    }

    /// The wire body of a domain event.
    package init(_ event: CaseEvent) {
        switch event {
        case .received(let intake):
            var w = Banjian_V1_CaseReceived()
            w.channel = Mappings.channel.wire(intake.channel)
            w.applicant = Banjian_V1_Party(intake.applicant)
            if let principal = intake.principal { w.principal = Banjian_V1_Party(principal) }
            w.matterCode = intake.matter.code
            w.matterName = intake.matter.name
            w.matterVersion = UInt32(clamping: intake.matter.version)
            w.summary = intake.summary
            w.materials = intake.materials.map(Banjian_V1_Material.init)
            w.fees = intake.fees.map(Banjian_V1_Fee.init)
            if let agency = intake.agency { w.agencyHandover = Banjian_V1_AgencyHandover(agency, agent: nil, submittedAt: nil) }
            w.acceptancePhone = intake.acceptancePhone
            w.supervisionPhone = intake.supervisionPhone
            if let terms = intake.terms { w.terms = Banjian_V1_MatterTerms(terms) }
            self = .received(w)
        case .agencySubmitted(let township):
            var w = Banjian_V1_AgencySubmitted()
            w.targetNodeCode = township.rawValue
            self = .agencySubmitted(w)
        case .declaredOutOfScope(let referral):
            var w = Banjian_V1_NotInScope()
            w.referralUnit = referral.unit
            w.referralContact = referral.contact
            self = .declaredOutOfScope(w)
        case .supplementRequested(let request):
            var w = Banjian_V1_SupplementRequested()
            w.missingMaterials = request.missing.map(Banjian_V1_Material.init)
            w.note = request.note
            self = .supplementRequested(w)
        case .materialsSupplied(let ids):
            var w = Banjian_V1_MaterialsSupplied()
            w.materialIds = ids
            self = .materialsSupplied(w)
        case .accepted(let acceptance):
            self = .accepted(Banjian_V1_CaseAccepted(acceptance))
        case .handlerAssigned(let assignment):
            var w = Banjian_V1_HandlerAssigned()
            w.department = assignment.department
            w.handler = Banjian_V1_Actor(assignment.handler)
            self = .handlerAssigned(w)
        case .jointDepartmentCompleted(let department, let outcome, let opinion):
            var w = Banjian_V1_JointDepartmentCompleted()
            w.department = department
            w.outcome = Mappings.outcome.wire(outcome)
            if let opinion { w.opinion = Banjian_V1_Opinion(opinion) }
            self = .jointDepartmentCompleted(w)
        case .escalated(let plan):
            var w = Banjian_V1_CaseEscalated()
            w.targetNodeCode = plan.target.rawValue
            w.preliminaryOpinion = Banjian_V1_Opinion(plan.preliminaryOpinion)
            if let limit = plan.forwardingLimit { w.forwardingLimit = Banjian_V1_TimeLimit(limit) }
            if let disclosure = plan.disclosure { w.disclosure = Banjian_V1_CaseDisclosure(disclosure) }
            self = .escalated(w)
        case .escalationAcknowledged(let number):
            var w = Banjian_V1_EscalationAcknowledged()
            w.acknowledgementNumber = number
            self = .escalationAcknowledged(w)
        case .escalationDecided(let decision):
            var w = Banjian_V1_EscalationDecided()
            w.decision = Banjian_V1_CaseResult(decision)
            self = .escalationDecided(w)
        case .specialStepStarted(let kind, let note, let expectedEnd):
            var w = Banjian_V1_SpecialStepStarted()
            w.kind = Mappings.specialStep.wire(kind)
            w.reason = note
            if let expectedEnd { w.expectedEndAt = Google_Protobuf_Timestamp(expectedEnd) }
            self = .specialStepStarted(w)
        case .specialStepEnded(let outcome):
            var w = Banjian_V1_SpecialStepEnded()
            w.outcome = outcome
            self = .specialStepEnded(w)
        case .extensionRequested(let clock, let days, let reason):
            var w = Banjian_V1_ExtensionRequested()
            w.clockKind = Mappings.clock.wire(clock)
            w.workingDays = UInt32(clamping: days)
            w.reason = reason
            self = .extensionRequested(w)
        case .extensionDecided(let approved, let note):
            var w = Banjian_V1_ExtensionDecided()
            w.approved = approved
            w.note = note
            self = .extensionDecided(w)
        case .urged(let reason, let instruction):
            var w = Banjian_V1_CaseUrged()
            w.reason = reason
            if let instruction { w.directorInstruction = Banjian_V1_Opinion(instruction) }
            self = .urged(w)
        case .returned(let category, let reason, let rights):
            var w = Banjian_V1_ReturnRecord()
            w.category = Mappings.returnCategory.wire(category)
            w.reason = reason
            w.appealRights = rights
            self = .returned(w)
        case .returnReviewed(let upheld, let note):
            var w = Banjian_V1_ReturnReview()
            w.upheld = upheld
            w.note = note
            self = .returnReviewed(w)
        case .cannotHandle(let reason):
            var w = Banjian_V1_CannotHandle()
            w.reason = reason
            self = .cannotHandle(w)
        case .completed(let decision):
            var w = Banjian_V1_CaseCompleted()
            w.result = Banjian_V1_CaseResult(decision)
            w.handlingOpinion = decision.handlingOpinion
            if let opinion = decision.departmentOpinion { w.departmentHeadOpinion = Banjian_V1_Opinion(opinion) }
            if let review = decision.review { w.review = Banjian_V1_Opinion(review) }
            self = .completed(w)
        case .replied:
            self = .replied(Banjian_V1_CaseReplied())
        case .handedOver(let recipient, let method, let signed):
            var w = Banjian_V1_Handover()
            w.recipient = recipient
            w.method = Mappings.handOver.wire(method)
            w.recipientSigned = signed
            self = .handedOver(w)
        case .feedbackRecorded(let satisfaction, let comment, let followUp):
            var w = Banjian_V1_Feedback()
            w.satisfaction = Mappings.satisfaction.wire(satisfaction)
            w.comment = comment
            if let followUp { w.followUpWithin = Banjian_V1_TimeLimit(followUp) }
            self = .feedbackRecorded(w)
        case .archived:
            self = .archived(Banjian_V1_CaseArchived())
        case .rungFired(let key):
            var w = Banjian_V1_RungFired()
            w.clockKind = Mappings.clock.wire(key.clock)
            w.rungKind = Mappings.rung.wire(key.rung)
            w.epoch = UInt32(clamping: key.epoch)
            self = .rungFired(w)
        case .deadlinesCorrected(let correction):
            var w = Banjian_V1_DeadlinesCorrected()
            w.calendar = correction.calendar
            w.withdrawn = correction.withdrawn.map { key in
                var rung = Banjian_V1_WithdrawnRung()
                rung.clockKind = Mappings.clock.wire(key.clock)
                rung.rungKind = Mappings.rung.wire(key.rung)
                rung.epoch = UInt32(clamping: key.epoch)
                return rung
            }
            self = .deadlinesCorrected(w)
        case .supervisionOrdered(let order):
            self = .supervisionOrdered(.with { $0.order = Banjian_V1_SupervisionOrder(order) })
        case .followUpRecorded(let outcome, let note):
            self = .followUpRecorded(.with {
                $0.outcome = Mappings.followUp.wire(outcome)
                $0.note = note
            })
        case .supervisionOrderAnswered(let number, let answer):
            self = .supervisionOrderAnswered(.with {
                $0.orderNumber = number
                $0.answer = answer
            })
        }
    }
}

extension Acceptance {
    init(wire w: Banjian_V1_CaseAccepted, field f: String) throws(WireValidationError) {
        let route: Route
        let promised: TimeLimit?
        switch w.acceptance {
        case .immediate:
            route = .immediate
            promised = nil
        case .promised(let p):
            route = .promised(try Assignment(department: p.department, handler: p.handler, has: p.hasHandler, field: "\(f).promised"))
            promised = try TimeLimit.optional(has: p.hasPromisedLimit, p.promisedLimit, "\(f).promised.promised_limit")
        case .joint(let j):
            let path = "\(f).joint"
            try Check.count(j.departments.count, "\(path).departments", max: WireLimits.jointDepartments.upperBound, min: WireLimits.jointDepartments.lowerBound)
            var departments: [String] = []
            for (index, department) in j.departments.enumerated() {
                departments.append(try Check.text(department, "\(path).departments[\(index)]", max: WireLimits.department, required: true))
            }
            let lead = try Check.text(j.leadDepartment, "\(path).lead_department", max: WireLimits.department, required: true)
            route = .joint(lead: lead, departments: departments,
                           handler: try Assignment(department: lead, handler: j.handler, has: j.hasHandler, field: path))
            promised = try TimeLimit.optional(has: j.hasPromisedLimit, j.promisedLimit, "\(path).promised_limit")
        case .escalated(let e):
            let path = "\(f).escalated"
            let plan = try EscalationPlan(
                target: e.targetNodeCode, opinion: e.preliminaryOpinion, hasOpinion: e.hasPreliminaryOpinion,
                forwarding: try TimeLimit.optional(has: e.hasForwardingLimit, e.forwardingLimit, "\(path).forwarding_limit"),
                disclosure: e.hasDisclosure ? e.disclosure : nil, field: path)
            let handler: Assignment?
            if e.hasHandler {
                handler = try Assignment(department: e.department, handler: e.handler, has: true, field: path)
            } else if !e.department.isEmpty {
                throw WireValidationError("\(path).handler", "must be set when department is")
            } else {
                handler = nil
            }
            route = .escalated(plan, handler: handler)
            promised = try TimeLimit.optional(has: e.hasPromisedLimit, e.promisedLimit, "\(path).promised_limit")
        case nil:
            throw WireValidationError(f, "set one of immediate, promised, joint, escalated")
        }
        self.init(
            route: route,
            limits: CaseLimits(promised: promised, statutory: try TimeLimit.optional(has: w.hasStatutoryLimit, w.statutoryLimit, "\(f).statutory_limit")),
            opinion: try Check.text(w.acceptorOpinion, "\(f).acceptor_opinion", max: WireLimits.opinion, multiline: true),
            rightsAndDuties: try Check.text(w.rightsAndDutiesTold, "\(f).rights_and_duties_told", max: WireLimits.opinion, multiline: true),
            terms: w.hasTerms ? try MatterTerms(wire: w.terms, field: "\(f).terms") : nil)
    }
}

extension Banjian_V1_CaseAccepted {
    init(_ acceptance: Acceptance) {
        self.init()
        let promised = acceptance.limits.promised.map(Banjian_V1_TimeLimit.init)
        switch acceptance.route {
        case .immediate:
            immediate = Immediate()
        case .promised(let assignment):
            var p = Promised()
            p.department = assignment.department
            p.handler = Banjian_V1_Actor(assignment.handler)
            if let promised { p.promisedLimit = promised }
            self.promised = p
        case .joint(let lead, let departments, let handler):
            var j = Joint()
            j.leadDepartment = lead
            j.departments = departments
            j.handler = Banjian_V1_Actor(handler.handler)
            if let promised { j.promisedLimit = promised }
            joint = j
        case .escalated(let plan, let handler):
            var e = Escalated()
            e.targetNodeCode = plan.target.rawValue
            e.preliminaryOpinion = Banjian_V1_Opinion(plan.preliminaryOpinion)
            if let limit = plan.forwardingLimit { e.forwardingLimit = Banjian_V1_TimeLimit(limit) }
            if let disclosure = plan.disclosure { e.disclosure = Banjian_V1_CaseDisclosure(disclosure) }
            if let handler {
                e.department = handler.department
                e.handler = Banjian_V1_Actor(handler.handler)
            }
            if let promised { e.promisedLimit = promised }
            escalated = e
        }
        if let statutory = acceptance.limits.statutory { statutoryLimit = Banjian_V1_TimeLimit(statutory) }
        acceptorOpinion = acceptance.opinion
        rightsAndDutiesTold = acceptance.rightsAndDuties
        if let terms = acceptance.terms { self.terms = Banjian_V1_MatterTerms(terms) }
    }
}

extension Assignment {
    init(department: String, handler: Banjian_V1_Actor, has: Bool, field: String) throws(WireValidationError) {
        try Check.present(has, "\(field).handler")
        self.init(
            department: try Check.text(department, "\(field).department", max: WireLimits.department, required: true),
            handler: try Actor(wire: handler, field: "\(field).handler"))
    }
}

extension EscalationPlan {
    init(target: String, opinion: Banjian_V1_Opinion, hasOpinion: Bool, forwarding: TimeLimit?, disclosure: Banjian_V1_CaseDisclosure?,
         field: String) throws(WireValidationError) {
        try Check.present(hasOpinion, "\(field).preliminary_opinion")
        self.init(
            target: try Check.node(target, "\(field).target_node_code"),
            preliminaryOpinion: try Opinion(wire: opinion, field: "\(field).preliminary_opinion", required: true),
            forwardingLimit: forwarding,
            disclosure: try disclosure.map { w throws(WireValidationError) in
                Disclosure(applicant: try Party(wire: w.applicant, field: "\(field).disclosure.applicant"),
                           principal: w.hasPrincipal ? try Party(wire: w.principal, field: "\(field).disclosure.principal") : nil)
            })
    }
}

extension Banjian_V1_CaseDisclosure {
    init(_ disclosure: Disclosure) {
        self.init()
        applicant = Banjian_V1_Party(disclosure.applicant)
        if let principal = disclosure.principal { self.principal = Banjian_V1_Party(principal) }
    }
}

extension Decision {
    /// A decision from a wire result; the signer and date are the event's own.
    init(result: Banjian_V1_CaseResult, field: String) throws(WireValidationError) {
        self.init(
            outcome: try Mappings.outcome.domain(result.outcome, "\(field).outcome"),
            summary: try Check.text(result.text, "\(field).text", max: WireLimits.opinion, required: true, multiline: true),
            certificateNumbers: try Check.documentNumbers(result.certificateNumbers, "\(field).certificate_numbers"),
            documentNumbers: try Check.documentNumbers(result.documentNumbers, "\(field).document_numbers"))
    }
}

extension Banjian_V1_CaseResult {
    init(_ decision: Decision) {
        self.init()
        outcome = Mappings.outcome.wire(decision.outcome)
        text = decision.summary
        certificateNumbers = decision.certificateNumbers
        documentNumbers = decision.documentNumbers
    }
}

extension RecordedEvent {
    /// A recorded event from the wire (a federation peer's batch or a stored copy).
    package init(wire: Banjian_V1_CaseEvent) throws(WireValidationError) {
        try Check.present(wire.hasID, "id")
        try Check.present(wire.hasOccurredAt, "occurred_at")
        try Check.present(wire.hasActor, "actor")
        guard let body = wire.body else { throw WireValidationError("body", "must be set") }
        let number = try Check.caseNumber(wire.caseNumber, "case_number")
        guard wire.caseVersion > 0 else { throw WireValidationError("case_version", "must be at least 1") }
        guard wire.id.originSequence > 0 else { throw WireValidationError("id.origin_sequence", "must be at least 1") }
        self.init(
            id: EventID(origin: try Check.node(wire.id.originNodeCode, "id.origin_node_code"), sequence: wire.id.originSequence),
            caseNumber: number,
            caseVersion: wire.caseVersion,
            occurredAt: try Check.date(wire.occurredAt, "occurred_at"),
            actor: try Actor(wire: wire.actor, field: "actor"),
            event: try CaseEvent(wire: body, caseNumber: number, field: body.fieldName))
    }
}

extension Banjian_V1_CaseEvent {
    package init(_ recorded: RecordedEvent) {
        self.init()
        id.originNodeCode = recorded.id.origin.rawValue
        id.originSequence = recorded.id.sequence
        caseNumber = recorded.caseNumber.description
        caseVersion = recorded.caseVersion
        occurredAt = Google_Protobuf_Timestamp(recorded.occurredAt)
        actor = Banjian_V1_Actor(recorded.actor)
        body = OneOf_Body(recorded.event)
    }
}
