import Foundation

extension CaseStateMachine {
    /// One event being applied to a working copy of the record.
    struct Step {
        let machine: CaseStateMachine
        var record: CaseRecord
        let event: CaseEvent
        let at: Date
        let actor: Actor
        var actions: [CaseAction] = []

        var settings: CentreSettings { machine.settings }
        var calendar: WorkingCalendar { machine.calendar }

        /// The error for an event the current state does not allow.
        var illegal: CaseTransitionError { .illegalTransition(event: event.name, state: record.state.name) }

        mutating func run() throws(CaseTransitionError) {
            switch event {
            case .received: throw .caseAlreadyOpen(record.number)
            case .agencySubmitted(let township): try submitAgency(to: township)
            case .declaredOutOfScope(let referral): try declareOutOfScope(referral)
            case .supplementRequested(let request): try requestSupplement(request)
            case .materialsSupplied(let ids): try supplyMaterials(ids)
            case .accepted(let acceptance): try accept(acceptance)
            case .handlerAssigned(let assignment): try assign(assignment)
            case .jointDepartmentCompleted(let department, let outcome, let opinion):
                try completeJointPart(department, outcome, opinion)
            case .escalated(let plan): try escalate(plan)
            case .escalationAcknowledged(let number): try acknowledgeEscalation(number)
            case .escalationDecided(let decision): try decideEscalation(decision)
            case .specialStepStarted(let kind, let note, let expectedEnd): try startSpecialStep(kind, note, expectedEnd)
            case .specialStepEnded(let outcome): try endSpecialStep(outcome)
            case .extensionRequested(let clock, let days, let reason): try requestExtension(clock, days, reason)
            case .extensionDecided(let approved, let note): try decideExtension(approved, note)
            case .urged(let reason, let instruction): try urge(reason, instruction)
            case .returned(let category, let reason, let rights): try returnCase(category, reason, rights)
            case .returnReviewed(let upheld, let note): try reviewReturn(upheld, note)
            case .cannotHandle(let reason): try declareCannotHandle(reason)
            case .completed(let decision): try complete(decision)
            case .replied: try reply()
            case .handedOver(let recipient, let method, let signed): try handOver(recipient, method, signed)
            case .feedbackRecorded(let satisfaction, let comment, let followUp): try recordFeedback(satisfaction, comment, followUpWithin: followUp)
            case .archived: try archive()
            case .rungFired(let key): try fireRung(key)
            case .deadlinesCorrected(let correction): try correctDeadlines(correction)
            case .supervisionOrdered(let order): try recordSupervisionOrder(order)
            case .supervisionOrderAnswered(let number, let answer): try answerSupervisionOrder(number, answer)
            case .followUpRecorded(let outcome, let note): try recordFollowUp(outcome, note)
            }
        }

        /// The handling stage, or the illegal-transition error when the case is not in handling.
        func handlingStage(allowing routes: Set<HandlingStage.Route>, specialStep allowed: Bool = false)
            throws(CaseTransitionError) -> HandlingStage
        {
            guard case .handling(let stage) = record.state, routes.contains(stage.route) else { throw illegal }
            if !allowed, stage.specialStep != nil { throw .specialStepInProgress }
            return stage
        }

        // MARK: Clocks

        /// Starts (or restarts, when one ran before) the clock of `kind` under `limit`.
        /// - Parameter reference: the instant the count refers to: the acceptance, 补齐之日, the
        ///   return, the decision. Limits in days start at that day or the next, per
        ///   `CentreSettings.clockStart`; limits in minutes start at the instant itself.
        /// - Parameter cap: the most budget the clock may have, in seconds of its measure.
    mutating func startClock(_ kind: ClockKind, _ limit: TimeLimit, reference: Date, cappedAt cap: Int64? = nil) throws(CaseTransitionError) {
            let origin = limit.origin(reference: reference, clockStart: settings.clockStart, calendar: calendar)
            let budget = min(limit.budgetSeconds(workingSecondsPerDay: calendar.workingSecondsPerDay), cap ?? .max)
            if var clock = record.clocks[kind], clock.measure == limit.measure {
                do { try clock.restart(budgetSeconds: budget, at: origin) } catch { throw .ledger(error) }
                record.clocks[kind] = clock
            } else {
                let epoch = record.clocks[kind].map { $0.epoch + 1 } ?? 0
                record.clocks[kind] = DeadlineClock(kind: kind, measure: limit.measure, budgetSeconds: budget, origin: origin, epoch: epoch)
            }
            actions.append(.scheduleRungs(kind))
        }

        /// Stops the given clocks where they still run or are paused.
        mutating func stopClocks(_ kinds: [ClockKind]) throws(CaseTransitionError) {
            for kind in kinds {
                guard var clock = record.clocks[kind], !clock.isStopped else { continue }
                do { try clock.stop(at: at) } catch { throw .ledger(error) }
                record.clocks[kind] = clock
                actions.append(.cancelRungs(kind))
            }
        }

        /// Stops every clock still running or paused.
        mutating func stopAllClocks() throws(CaseTransitionError) {
            try stopClocks(record.clocks.keys.sorted())
        }

        /// Pauses the given clocks where they run.
        mutating func pauseClocks(_ kinds: [ClockKind], reason: String) throws(CaseTransitionError) {
            for kind in kinds {
                guard var clock = record.clocks[kind], clock.isRunning else { continue }
                do { try clock.pause(at: at, reason: reason) } catch { throw .ledger(error) }
                record.clocks[kind] = clock
                actions.append(.cancelRungs(kind))
            }
        }

        /// Resumes the given clocks where they are paused.
        mutating func resumeClocks(_ kinds: [ClockKind]) throws(CaseTransitionError) {
            for kind in kinds {
                guard var clock = record.clocks[kind], case .paused = clock.status else { continue }
                do { try clock.resume(at: at) } catch { throw .ledger(error) }
                record.clocks[kind] = clock
                actions.append(.scheduleRungs(kind))
            }
        }

        /// Only the case's full-process handler (全程承办人; for a case with none, the acceptor who
        /// accepted it) or a department head, deputy or director of the node may complete, return,
        /// declare that it cannot be handled, or ask for an extension. Before acceptance the role
        /// table alone decides.
        /// Cases received before the catalogue drove them (no terms) keep the rules they were
        /// handled under, so their logs replay as they were written.
        func requireAccountable() throws(CaseTransitionError) {
            guard underCatalogue, !Role.leaders.contains(actor.role) else { return }
            guard let accountable = record.assignment?.handler ?? record.acceptance?.acceptor else { return }
            guard accountable.operatorID == actor.operatorID, accountable.node == actor.node else {
                throw .notAccountable(event: event.name, accountable: accountable)
            }
        }

        /// Whether the case runs under the catalogue's terms, and so under the rules that came
        /// with them (accountability, extensions before the due instant, a known satisfaction
        /// base); false only for cases received before.
        var underCatalogue: Bool { record.terms != nil }

        /// The clocks that time the handling itself.
        static let handlingClocks: [ClockKind] = [.promised, .statutory, .forwarding]
    }
}
