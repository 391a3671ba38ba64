extension CaseRecord {
    /// The consistency rules every record must keep, as messages; empty when all hold.
    /// Tests call it after every transition (like `_checkInvariants()` in swift-collections).
    /// - Complexity: O(materials + clocks + rungs).
    public var invariantViolations: [String] {
        var violations: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { violations.append(message()) }
        }
        let running = Set(clocks.filter { $0.value.isRunning }.map(\.key))
        let live = Set(clocks.filter { !$0.value.isStopped }.map(\.key))
        switch state {
        case .agencyIntake:
            check(channel == .agency && agency != nil, "agency intake without an agency slip")
            check(clocks.isEmpty, "agency intake with clocks")
        case .received:
            check(live.isSubset(of: [.refusalRecheck]), "received with live clocks \(live)")
        case .supplementPending(let resumeTo):
            check(!missingMaterials.isEmpty, "supplement pending with nothing missing")
            check(supplementRequest != nil, "supplement pending without a one-time notice")
            if resumeTo != nil { check(running.isDisjoint(with: [.promised, .statutory]), "补正 with running clocks") }
        case .handling(let stage):
            check(acceptance != nil, "handling without acceptance")
            check(missingMaterials.isEmpty, "handling with missing materials")
            check(live.contains(.promised), "handling without a live promised clock")
            switch stage.route {
            case .immediate: check(kind == .immediate, "immediate route with kind \(String(describing: kind))")
            case .promised: check(kind == .promised && assignment != nil, "promised route without kind or handler")
            case .joint: check(kind == .joint && joint != nil, "joint route without joint departments")
            case .forwardedUp: check(kind == .escalated && escalation != nil, "forwarded without an escalation")
            }
            if stage.specialStep != nil { check(running.isDisjoint(with: [.promised, .statutory]), "special step with running clocks") }
        case .completed, .replied:
            check(result != nil, "\(state.name) without a result")
            check(live.isSubset(of: [.delivery]), "\(state.name) with live clocks \(live)")
        case .handedOver, .feedbackGiven:
            check(result != nil && handOver != nil, "\(state.name) without result or hand-over")
            check(live.isEmpty, "\(state.name) with live clocks \(live)")
            if state == .feedbackGiven { check(feedback != nil, "feedback state without feedback") }
        case .closed(let closure):
            if closure == .returned {
                check(kind == .returned && !returns.isEmpty, "returned without a return record")
                let reviewed = returns.last?.review != nil
                check(live == (reviewed ? [] : [.refusalReview]), "returned with live clocks \(live)")
            } else {
                check(live.isEmpty, "closed with live clocks \(live)")
            }
        case .archived:
            check(live.isEmpty, "archived with live clocks \(live)")
            check(archivedAt != nil, "archived without a date")
        }
        check(extensions.dropLast().allSatisfy { $0.approved != nil }, "more than one pending extension")
        for key in firedRungs {
            check(clocks[key.clock].map { key.epoch <= $0.epoch } ?? false, "fired rung \(key) of an unknown clock or epoch")
        }
        check(breached.isSubset(of: Set(clocks.keys)), "breach of an unknown clock")
        let ids = materials.map(\.id)
        check(Set(ids).count == ids.count, "duplicate material ids")
        return violations
    }
}
