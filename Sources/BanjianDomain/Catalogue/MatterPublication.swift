public import Foundation

/// Publishing the catalogue at the top of the tree: every change is a new version of a matter
/// (版本), and a published version never changes.
extension Matter {
    /// This entry as the next version after `latest`, published by `node` at `instant`. A version
    /// keeps the delegation of the one before it; delegations change with
    /// ``delegated(to:mode:effectiveAt:documentNumber:by:at:)``.
    /// - Throws: ``firstProblem``.
    public func published(after latest: Matter?, by node: NodeCode, at instant: Date) throws(CaseTransitionError) -> Matter {
        var next = self
        next.version = (latest?.version ?? 0) + 1
        next.owner = node
        next.publishedAt = instant
        next.delegation = latest?.delegation
        if let problem = next.firstProblem { throw problem }
        return next
    }

    /// The first of ``problems`` as the error that names its field; `nil` when the entry is valid.
    public var firstProblem: CaseTransitionError? {
        guard let problem = problems.first else { return nil }
        let parts = problem.split(separator: ":", maxSplits: 1)
        return .invalidField(String(parts[0]), reason: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : problem)
    }

    /// The next version with a delegation (下放, 委托) from `node` to a node of its subtree or to
    /// every node of a level below it, in effect from `effectiveAt`.
    /// - Throws: `invalidField` for a target outside the subtree or a withdrawn matter.
    public func delegated(to target: DelegationTarget, mode: Delegation.Mode, effectiveAt: Date, documentNumber: String,
                          by node: NodeCode, at instant: Date) throws(CaseTransitionError) -> Matter {
        if let withdrawn = withdrawnAt, withdrawn <= instant {
            throw .invalidField("matter_code", reason: "matter \(code) was withdrawn from the catalogue")
        }
        switch target {
        case .node(let code):
            guard code != node, node.contains(code) else {
                throw .invalidField("target_node_code", reason: "\(code) is not a node below \(node)")
            }
        case .level(let level):
            guard level.rawValue < node.level.rawValue else {
                throw .invalidField("target_level", reason: "\(level.name) is not a level below node \(node) (\(node.level.name))")
            }
        }
        var next = self
        next.version = version + 1
        next.publishedAt = instant
        next.delegation = Delegation(from: node, to: target, mode: mode, effectiveAt: effectiveAt, documentNumber: documentNumber)
        return next
    }
}
