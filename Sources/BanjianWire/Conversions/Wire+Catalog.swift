package import BanjianDomain
import Foundation
import SwiftProtobuf

// Conversions of the matter catalogue (catalog.proto).

extension Matter {
    /// A catalogue entry from the wire: every field checked, then the domain's own rules.
    package init(wire w: Banjian_V1_Matter, field f: String) throws(WireValidationError) {
        try Check.count(w.requiredMaterials.count, "\(f).required_materials", max: WireLimits.materials)
        var materials: [MaterialSpec] = []
        for (index, spec) in w.requiredMaterials.enumerated() {
            let path = "\(f).required_materials[\(index)]"
            materials.append(MaterialSpec(
                name: try Check.text(spec.name, "\(path).name", max: WireLimits.title, required: true),
                basis: try Check.text(spec.basis, "\(path).basis", max: WireLimits.feeBasis),
                format: try Check.text(spec.format, "\(path).format", max: WireLimits.title),
                copies: try Check.range(Int(spec.copies), "\(path).copies", 1...WireLimits.copies.upperBound),
                signatureOrSealRequired: spec.signatureOrSealRequired,
                isMainDocument: spec.isMainDocument))
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
            delegation = Delegation(
                from: try Check.node(d.delegatedFromNodeCode, "\(path).delegated_from_node_code"),
                to: try Check.node(d.delegatedToNodeCode, "\(path).delegated_to_node_code"),
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
            publishedAt: w.hasPublishedAt ? try Check.date(w.publishedAt, "\(f).published_at") : nil)
        if let problem = problems.first {
            let parts = problem.split(separator: ":", maxSplits: 1)
            throw WireValidationError("\(f).\(parts[0])", parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : problem)
        }
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
        requiredMaterials = matter.materials.map { spec in
            var wire = Banjian_V1_MaterialSpec()
            wire.name = spec.name
            wire.basis = spec.basis
            wire.format = spec.format
            wire.copies = UInt32(clamping: spec.copies)
            wire.signatureOrSealRequired = spec.signatureOrSealRequired
            wire.isMainDocument = spec.isMainDocument
            return wire
        }
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
            delegation.delegatedToNodeCode = d.to.rawValue
            delegation.mode = Mappings.delegation.wire(d.mode)
            delegation.effectiveAt = Google_Protobuf_Timestamp(d.effectiveAt)
            delegation.documentNumber = d.documentNumber
        }
        supervisionPhone = matter.supervisionPhone
        if let published = matter.publishedAt { publishedAt = Google_Protobuf_Timestamp(published) }
    }
}
