package import BanjianDomain
package import Foundation
import SwiftProtobuf

/// What a case projection needs besides the record: the calendar and rungs to project clocks,
/// the time to project them at, and whether personal data must be removed (a level that
/// supervises a case without handling it sees no names, phone numbers or ID numbers).
package struct CaseProjection: Sendable {
    package var calendar: WorkingCalendar
    package var ladder: RungLadder
    package var now: Date
    package var redactPersonalData: Bool

    package init(calendar: WorkingCalendar, ladder: RungLadder, now: Date, redactPersonalData: Bool = false) {
        self.calendar = calendar
        self.ladder = ladder
        self.now = now
        self.redactPersonalData = redactPersonalData
    }
}

extension Banjian_V1_Case {
    /// The wire case of a record.
    /// - Complexity: O(size of the record + clocks × ledger entries).
    package init(_ record: CaseRecord, projection: CaseProjection) {
        self.init()
        number = record.number.description
        originNodeCode = record.number.origin.rawValue
        holderNodeCode = record.holder.rawValue
        channel = Mappings.channel.wire(record.channel)
        if let kind = record.kind { self.kind = Mappings.kind.wire(kind) }
        state = Mappings.state.wire(record.state.name)
        switch record.state {
        case .handling(let stage):
            handling.mode = Mappings.route.wire(stage.route)
            if let step = stage.specialStep { handling.pausedForSpecialStep = Banjian_V1_SpecialStep(step) }
        case .closed(let ended), .archived(closure: .some(let ended)):
            closure = Banjian_V1_Closure(ended, returns: record.returns)
        default:
            break
        }
        version = record.version

        applicant = Banjian_V1_Party(projection.redactPersonalData ? Party.withheld : record.applicant)
        if let principal = record.principal {
            self.principal = Banjian_V1_Party(projection.redactPersonalData ? Party.withheld : principal)
        }
        redacted = projection.redactPersonalData || record.applicant == .withheld
        matterCode = record.matter.code
        matterName = record.matter.name
        matterVersion = UInt32(clamping: record.matter.version)
        summary = record.summary
        materials = record.materials.map(Banjian_V1_Material.init)
        fees = record.fees.map(Banjian_V1_Fee.init)
        if let agency = record.agency {
            agencyHandover = Banjian_V1_AgencyHandover(agency, agent: record.receivedBy.role == .agent ? record.receivedBy : nil,
                                                       submittedAt: record.agencySubmittedAt)
        }
        if let request = record.supplementRequest {
            supplementRequest.missingMaterials = record.materials.filter { material in
                request.missing.contains { $0.id == material.id }
            }.map(Banjian_V1_Material.init)
            supplementRequest.note = request.note
            if let completed = record.materialsCompletedAt { supplementRequest.completedAt = Google_Protobuf_Timestamp(completed) }
        }

        if let acceptance = record.acceptance {
            acceptor = Banjian_V1_Actor(acceptance.acceptor)
            acceptorOpinion = acceptance.opinion
            rightsAndDutiesTold = acceptance.rightsAndDuties
            acceptedAt = Google_Protobuf_Timestamp(acceptance.at)
        }
        acceptancePhone = record.acceptancePhone
        supervisionPhone = record.supervisionPhone
        if let assignment = record.assignment {
            department = assignment.department
            handler = Banjian_V1_Actor(assignment.handler)
        }
        if let promised = record.limits.promised { promisedLimit = Banjian_V1_TimeLimit(promised) }
        if let statutory = record.limits.statutory { statutoryLimit = Banjian_V1_TimeLimit(statutory) }
        if let joint = record.joint { self.joint = Banjian_V1_JointHandling(joint) }
        if let escalation = record.escalation {
            self.escalation = Banjian_V1_Escalation(escalation, decision: escalation.decidedAt == nil ? nil : record.result)
        }
        var steps = record.specialSteps
        if case .handling(let stage) = record.state, let current = stage.specialStep { steps.append(current) }
        specialSteps = steps.map(Banjian_V1_SpecialStep.init)
        extensions = record.extensions.map(Banjian_V1_ExtensionRecord.init)
        urgings = record.urgings.map(Banjian_V1_Urging.init)

        if let result = record.result {
            self.result = Banjian_V1_CaseResult(result)
            handlingOpinion = result.decision.handlingOpinion
            if let opinion = result.decision.departmentOpinion { departmentHeadOpinion = Banjian_V1_Opinion(opinion) }
            if let review = result.decision.review { self.review = Banjian_V1_Opinion(review) }
            completedAt = Google_Protobuf_Timestamp(result.completedAt)
        }
        if let feedback = record.feedback {
            self.feedback.satisfaction = Mappings.satisfaction.wire(feedback.satisfaction)
            self.feedback.comment = feedback.comment
            self.feedback.signedAt = Google_Protobuf_Timestamp(feedback.at)
            if let followUp = record.followUp { self.feedback.followUpWithin = Banjian_V1_TimeLimit(followUp.within) }
            feedbackAt = Google_Protobuf_Timestamp(feedback.at)
        }
        handovers = [record.reply, record.handOver].compactMap { $0 }.map(Banjian_V1_Handover.init)
        if let reply = record.reply { repliedAt = Google_Protobuf_Timestamp(reply.at) }
        if let handOver = record.handOver { handedOverAt = Google_Protobuf_Timestamp(handOver.at) }

        let calendar = projection.calendar
        clocks = record.clocks.values.sorted { $0.kind < $1.kind }.map { Banjian_V1_Clock($0, calendar: calendar, now: projection.now) }
        let fired = record.firedRungs.sorted().map { Banjian_V1_Rung(key: $0, fireAt: nil, fired: true) }
        let pending = record.clocks.values.sorted { $0.kind < $1.kind }.flatMap { clock in
            projection.ladder.pendingRungs(of: clock, fired: record.firedRungs, calendar: calendar)
                .map { Banjian_V1_Rung(key: $0.key, fireAt: $0.fireAt.instant, fired: false) }
        }
        rungs = fired + pending
        supervisionOrders = record.supervisionOrders.map(Banjian_V1_SupervisionOrderStatus.init)
        if let followUp = record.followUp {
            self.followUp = .with {
                $0.openedAt = Google_Protobuf_Timestamp(followUp.openedAt)
                $0.within = Banjian_V1_TimeLimit(followUp.within)
                if let outcome = followUp.outcome { $0.outcome = Mappings.followUp.wire(outcome) }
                $0.note = followUp.note
                if let by = followUp.recordedBy { $0.recordedBy = Banjian_V1_Actor(by) }
                if let at = followUp.recordedAt { $0.recordedAt = Google_Protobuf_Timestamp(at) }
            }
        }

        receivedAt = Google_Protobuf_Timestamp(record.receivedAt)
        if let closed = record.closedAt { closedAt = Google_Protobuf_Timestamp(closed) }
        if let archived = record.archivedAt { archivedAt = Google_Protobuf_Timestamp(archived) }
        updatedAt = Google_Protobuf_Timestamp(record.updatedAt)
    }
}

extension Banjian_V1_SpecialStep {
    init(_ step: SpecialStep) {
        self.init()
        kind = Mappings.specialStep.wire(step.kind)
        reason = step.note
        startedAt = Google_Protobuf_Timestamp(step.startedAt)
        if let expected = step.expectedEndAt { expectedEndAt = Google_Protobuf_Timestamp(expected) }
        if let ended = step.endedAt { endedAt = Google_Protobuf_Timestamp(ended) }
        outcome = step.outcome
    }
}

extension Banjian_V1_Closure {
    init(_ closure: Closure, returns: [ReturnRecord]) {
        self.init()
        switch closure {
        case .notInScope(let referral):
            notInScope.referralUnit = referral.unit
            notInScope.referralContact = referral.contact
        case .returned:
            if let last = returns.last { returned = Banjian_V1_ReturnRecord(last) }
        case .cannotHandle(let reason, let by):
            cannotHandle.reason = reason
            cannotHandle.signer = Banjian_V1_Actor(by)
        }
    }
}

extension Banjian_V1_ReturnRecord {
    /// A return with its 否定报备 register entry.
    init(_ record: ReturnRecord) {
        self.init()
        category = Mappings.returnCategory.wire(record.category)
        reason = record.reason
        appealRights = record.appealRights
        returnedBy = Banjian_V1_Actor(record.returnedBy)
        returnedAt = Google_Protobuf_Timestamp(record.returnedAt)
        refusalRegister.handlerName = record.returnedBy.name
        refusalRegister.handlerPost = record.returnedBy.role.rawValue
        refusalRegister.filedAt = Google_Protobuf_Timestamp(record.returnedAt)
        if let review = record.review {
            refusalRegister.leader = Banjian_V1_Actor(review.by)
            self.review.upheld = review.upheld
            self.review.note = review.note
            self.review.reviewedBy = Banjian_V1_Actor(review.by)
            self.review.reviewedAt = Google_Protobuf_Timestamp(review.at)
        }
    }
}

extension Banjian_V1_JointHandling {
    init(_ joint: JointHandling) {
        self.init()
        leadDepartment = joint.lead
        departments = joint.participants.map { participant in
            var wire = Banjian_V1_JointDepartment()
            wire.department = participant.department
            wire.status = participant.completedAt == nil ? .pending : .completed
            if let outcome = participant.outcome { wire.outcome = Mappings.outcome.wire(outcome) }
            if let opinion = participant.opinion { wire.opinion = Banjian_V1_Opinion(opinion) }
            if let completed = participant.completedAt { wire.completedAt = Google_Protobuf_Timestamp(completed) }
            return wire
        }
    }
}

extension Banjian_V1_Escalation {
    init(_ escalation: Escalation, decision: CaseResult?) {
        self.init()
        targetNodeCode = escalation.target.rawValue
        preliminaryOpinion = Banjian_V1_Opinion(escalation.preliminaryOpinion)
        forwardedAt = Google_Protobuf_Timestamp(escalation.forwardedAt)
        if let acknowledged = escalation.acknowledgedAt { acknowledgedAt = Google_Protobuf_Timestamp(acknowledged) }
        acknowledgementNumber = escalation.acknowledgementNumber
        if let decision { self.decision = Banjian_V1_CaseResult(decision) }
    }
}

extension Banjian_V1_ExtensionRecord {
    init(_ record: ExtensionRecord) {
        self.init()
        clockKind = Mappings.clock.wire(record.clock)
        requestedBy = Banjian_V1_Actor(record.requestedBy)
        reason = record.reason
        workingDays = UInt32(clamping: record.workingDays)
        requestedAt = Google_Protobuf_Timestamp(record.requestedAt)
        if let approver = record.decidedBy { approvedBy = Banjian_V1_Actor(approver) }
        if let decided = record.decidedAt { decidedAt = Google_Protobuf_Timestamp(decided) }
        approved = record.approved ?? false
        decisionNote = record.decisionNote
    }
}

extension Banjian_V1_Urging {
    init(_ urging: Urging) {
        self.init()
        urgedBy = Banjian_V1_Actor(urging.by)
        if let handler = urging.handler { urgedHandler = Banjian_V1_Actor(handler) }
        reason = urging.reason
        if let instruction = urging.directorInstruction { directorInstruction = Banjian_V1_Opinion(instruction) }
        urgedAt = Google_Protobuf_Timestamp(urging.at)
    }
}

extension Banjian_V1_CaseResult {
    init(_ result: CaseResult) {
        self.init(result.decision)
        signer = Banjian_V1_Actor(result.completedBy)
        signedAt = Google_Protobuf_Timestamp(result.completedAt)
    }
}

extension Banjian_V1_Handover {
    init(_ handOver: HandOver) {
        self.init()
        recipient = handOver.recipient
        method = Mappings.handOver.wire(handOver.method)
        recipientSigned = handOver.recipientSigned
        handedOverBy = Banjian_V1_Actor(handOver.by)
        handedOverAt = Google_Protobuf_Timestamp(handOver.at)
    }
}
