package import BanjianDomain
package import Foundation
import SwiftProtobuf

// Conversions of the matter catalogue (catalog.proto).

extension Matter {
    /// A catalogue entry from the wire: every field checked, then the domain's own rules.
    package init(wire w: Banjian_V1_Matter, field f: String) throws(WireValidationError) {
        try Check.count(w.requiredMaterials.count, "\(f).required_materials", max: WireLimits.materials)
        var materials: [MaterialSpec] = []
        for (index, spec) in w.requiredMaterials.enumerated() {
            materials.append(try MaterialSpec(wire: spec, field: "\(f).required_materials[\(index)]"))
        }
        try Check.count(w.procedure.count, "\(f).procedure", max: WireLimits.procedureSteps)
        var procedure: [ProcedureStep] = []
        for (index, step) in w.procedure.enumerated() {
            let path = "\(f).procedure[\(index)]"
            procedure.append(ProcedureStep(
                title: try Check.text(step.name, "\(path).name", max: WireLimits.title, required: true),
                detail: try Check.text(step.detail, "\(path).detail", max: WireLimits.opinion, multiline: true),
                level: try Mappings.level.domain(step.level, "\(path).level"),
                isPublicNotice: step.publicNotice,
                timeLimit: try TimeLimit.optional(has: step.hasTimeLimit, step.timeLimit, "\(path).time_limit")))
        }
        var delegation: Delegation?
        if w.hasDelegation {
            let d = w.delegation
            let path = "\(f).delegation"
            try Check.present(d.hasEffectiveAt, "\(path).effective_at")
            let to: DelegationTarget
            switch (d.delegatedToNodeCode.isEmpty, d.delegatedToLevel) {
            case (false, .unspecified): to = .node(try Check.node(d.delegatedToNodeCode, "\(path).delegated_to_node_code"))
            case (true, let level) where level != .unspecified: to = .level(try Mappings.level.domain(level, "\(path).delegated_to_level"))
            default: throw WireValidationError("\(path).delegated_to_node_code", "set exactly one of delegated_to_node_code and delegated_to_level")
            }
            delegation = Delegation(
                from: try Check.node(d.delegatedFromNodeCode, "\(path).delegated_from_node_code"),
                to: to,
                mode: try Mappings.delegation.domain(d.mode, "\(path).mode"),
                effectiveAt: try Check.date(d.effectiveAt, "\(path).effective_at"),
                documentNumber: try Check.text(d.documentNumber, "\(path).document_number", max: WireLimits.documentNumber))
        }
        try Check.present(w.hasPromisedLimit, "\(f).promised_limit")
        self.init(
            code: try Check.token(w.code, "\(f).code", max: WireLimits.matterCode, extra: "-."),
            name: try Check.text(w.name, "\(f).name", max: WireLimits.title, required: true),
            version: try Check.range(Int(w.version), "\(f).version", 1...Int(Int32.max)),
            department: try Check.text(w.department, "\(f).department", max: WireLimits.department, required: true),
            authority: try Mappings.level.domain(w.level, "\(f).level"),
            owner: try Check.node(w.ownerNodeCode, "\(f).owner_node_code"),
            legalBasis: try Check.text(w.legalBasis, "\(f).legal_basis", max: WireLimits.longText, multiline: true),
            conditions: try Check.text(w.conditions, "\(f).conditions", max: WireLimits.longText, multiline: true),
            materials: materials,
            procedure: procedure,
            statutoryLimit: try TimeLimit.optional(has: w.hasStatutoryLimit, w.statutoryLimit, "\(f).statutory_limit"),
            promisedLimit: try TimeLimit(wire: w.promisedLimit, field: "\(f).promised_limit"),
            forwardingLimit: try TimeLimit.optional(has: w.hasForwardingLimit, w.forwardingLimit, "\(f).forwarding_limit"),
            feeBasis: try Check.text(w.feeBasis, "\(f).fee_basis", max: WireLimits.feeBasis, multiline: true),
            feeStandard: try Check.text(w.feeStandard, "\(f).fee_standard", max: WireLimits.feeBasis, multiline: true),
            defaultKind: try Mappings.kind.domain(w.defaultCaseKind, "\(f).default_case_kind"),
            agencyAllowed: w.agencyAllowed,
            delegation: delegation,
            supervisionPhone: try Check.phone(w.supervisionPhone, "\(f).supervision_phone"),
            publishedAt: w.hasPublishedAt ? try Check.date(w.publishedAt, "\(f).published_at") : nil,
            withdrawnAt: w.hasWithdrawnAt ? try Check.date(w.withdrawnAt, "\(f).withdrawn_at") : nil)
        if case .invalidField(let field, let reason)? = firstProblem { throw WireValidationError("\(f).\(field)", reason) }
    }
}

extension Banjian_V1_Matter {
    package init(_ matter: Matter) {
        self.init()
        code = matter.code
        name = matter.name
        version = UInt32(clamping: matter.version)
        department = matter.department
        level = Mappings.level.wire(matter.authority)
        ownerNodeCode = matter.owner.rawValue
        legalBasis = matter.legalBasis
        conditions = matter.conditions
        requiredMaterials = matter.materials.map(Banjian_V1_MaterialSpec.init)
        procedure = matter.procedure.map { step in
            var wire = Banjian_V1_ProcedureStep()
            wire.name = step.title
            wire.detail = step.detail
            wire.level = Mappings.level.wire(step.level)
            wire.publicNotice = step.isPublicNotice
            if let limit = step.timeLimit { wire.timeLimit = Banjian_V1_TimeLimit(limit) }
            return wire
        }
        if let statutory = matter.statutoryLimit { statutoryLimit = Banjian_V1_TimeLimit(statutory) }
        promisedLimit = Banjian_V1_TimeLimit(matter.promisedLimit)
        if let forwarding = matter.forwardingLimit { forwardingLimit = Banjian_V1_TimeLimit(forwarding) }
        feeBasis = matter.feeBasis
        feeStandard = matter.feeStandard
        defaultCaseKind = Mappings.kind.wire(matter.defaultKind)
        agencyAllowed = matter.agencyAllowed
        if let d = matter.delegation {
            delegation.delegatedFromNodeCode = d.from.rawValue
            switch d.to {
            case .node(let code): delegation.delegatedToNodeCode = code.rawValue
            case .level(let level): delegation.delegatedToLevel = Mappings.level.wire(level)
            }
            delegation.mode = Mappings.delegation.wire(d.mode)
            delegation.effectiveAt = Google_Protobuf_Timestamp(d.effectiveAt)
            delegation.documentNumber = d.documentNumber
        }
        supervisionPhone = matter.supervisionPhone
        if let published = matter.publishedAt { publishedAt = Google_Protobuf_Timestamp(published) }
        if let withdrawn = matter.withdrawnAt { withdrawnAt = Google_Protobuf_Timestamp(withdrawn) }
    }
}

extension Banjian_V1_MaterialSpec {
    init(_ spec: Matter.MaterialSpec) {
        self.init()
        name = spec.name
        basis = spec.basis
        format = spec.format
        copies = UInt32(clamping: spec.copies)
        signatureOrSealRequired = spec.signatureOrSealRequired
        isMainDocument = spec.isMainDocument
    }
}

extension Matter.MaterialSpec {
    init(wire spec: Banjian_V1_MaterialSpec, field path: String) throws(WireValidationError) {
        self.init(
            name: try Check.text(spec.name, "\(path).name", max: WireLimits.title, required: true),
            basis: try Check.text(spec.basis, "\(path).basis", max: WireLimits.feeBasis),
            format: try Check.text(spec.format, "\(path).format", max: WireLimits.title),
            copies: try Check.range(Int(spec.copies), "\(path).copies", 1...WireLimits.copies.upperBound),
            signatureOrSealRequired: spec.signatureOrSealRequired,
            isMainDocument: spec.isMainDocument)
    }
}

extension Banjian_V1_MatterTerms {
    init(_ terms: MatterTerms) {
        self.init()
        matterCode = terms.matter.code
        matterName = terms.matter.name
        matterVersion = UInt32(clamping: terms.matter.version)
        authority = Mappings.level.wire(terms.authority)
        decidedAlsoAt = terms.decidedAlsoAt.map { target in
            var wire = Banjian_V1_DelegationTarget()
            switch target {
            case .node(let code): wire.nodeCode = code.rawValue
            case .level(let level): wire.level = Mappings.level.wire(level)
            }
            return wire
        }
        if let promised = terms.limits.promised { promisedLimit = Banjian_V1_TimeLimit(promised) }
        if let statutory = terms.limits.statutory { statutoryLimit = Banjian_V1_TimeLimit(statutory) }
        if let forwarding = terms.forwardingLimit { forwardingLimit = Banjian_V1_TimeLimit(forwarding) }
        agencyAllowed = terms.agencyAllowed
        feeStandard = terms.feeStandard
        requiredMaterials = terms.requiredMaterials.map(Banjian_V1_MaterialSpec.init)
    }
}

extension MatterTerms {
    /// Terms from the wire (an event another node recorded), every field checked.
    init(wire w: Banjian_V1_MatterTerms, field f: String) throws(WireValidationError) {
        try Check.count(w.decidedAlsoAt.count, "\(f).decided_also_at", max: WireLimits.delegationTargets)
        var targets: [DelegationTarget] = []
        for (index, target) in w.decidedAlsoAt.enumerated() {
            let path = "\(f).decided_also_at[\(index)]"
            switch target.target {
            case .nodeCode(let code): targets.append(.node(try Check.node(code, "\(path).node_code")))
            case .level(let level): targets.append(.level(try Mappings.level.domain(level, "\(path).level")))
            case nil: throw WireValidationError(path, "set node_code or level")
            }
        }
        try Check.count(w.requiredMaterials.count, "\(f).required_materials", max: WireLimits.materials)
        var materials: [Matter.MaterialSpec] = []
        for (index, spec) in w.requiredMaterials.enumerated() {
            materials.append(try Matter.MaterialSpec(wire: spec, field: "\(f).required_materials[\(index)]"))
        }
        self.init(
            matter: MatterRef(
                code: try Check.token(w.matterCode, "\(f).matter_code", max: WireLimits.matterCode, extra: "-."),
                name: try Check.text(w.matterName, "\(f).matter_name", max: WireLimits.title, required: true),
                version: try Check.range(Int(w.matterVersion), "\(f).matter_version", 1...Int(Int32.max))),
            authority: try Mappings.level.domain(w.authority, "\(f).authority"),
            decidedAlsoAt: targets,
            limits: CaseLimits(
                promised: try TimeLimit.optional(has: w.hasPromisedLimit, w.promisedLimit, "\(f).promised_limit"),
                statutory: try TimeLimit.optional(has: w.hasStatutoryLimit, w.statutoryLimit, "\(f).statutory_limit")),
            forwardingLimit: try TimeLimit.optional(has: w.hasForwardingLimit, w.forwardingLimit, "\(f).forwarding_limit"),
            agencyAllowed: w.agencyAllowed,
            feeStandard: try Check.text(w.feeStandard, "\(f).fee_standard", max: WireLimits.feeBasis, multiline: true),
            requiredMaterials: materials)
    }
}

extension Banjian_V1_PublishMatterRequest {
    /// The request id and the entry to publish, checked; the node assigns its version, owner and
    /// publication time, so their fields are ignored here.
    package func validated(owner: NodeCode) throws(WireValidationError) -> (requestID: String, matter: Matter) {
        let requestID = try Check.requestID(requestID)
        try Check.present(hasMatter, "matter")
        guard !matter.hasDelegation else { throw WireValidationError("matter.delegation", "is set with DelegateMatter") }
        var entry = matter
        entry.version = 1
        entry.ownerNodeCode = owner.rawValue
        entry.clearPublishedAt()
        return (requestID, try Matter(wire: entry, field: "matter"))
    }
}

/// A validated DelegateMatter request.
package struct MatterDelegation: Sendable {
    package let requestID: String
    package let code: String
    package let target: DelegationTarget
    package let mode: Matter.Delegation.Mode
    /// `nil`: at once.
    package let effectiveAt: Date?
    package let documentNumber: String
}

extension Banjian_V1_DelegateMatterRequest {
    package func validated() throws(WireValidationError) -> MatterDelegation {
        let target: DelegationTarget
        switch (targetNodeCode.isEmpty, targetLevel) {
        case (false, .unspecified): target = .node(try Check.node(targetNodeCode, "target_node_code"))
        case (true, let level) where level != .unspecified: target = .level(try Mappings.level.domain(level, "target_level"))
        default: throw WireValidationError("target_node_code", "set exactly one of target_node_code and target_level")
        }
        return MatterDelegation(
            requestID: try Check.requestID(requestID),
            code: try Check.token(matterCode, "matter_code", max: WireLimits.matterCode, extra: "-."),
            target: target,
            mode: try Mappings.delegation.domain(mode, "mode"),
            effectiveAt: hasEffectiveAt ? try Check.date(effectiveAt, "effective_at") : nil,
            documentNumber: try Check.text(documentNumber, "document_number", max: WireLimits.documentNumber))
    }
}
