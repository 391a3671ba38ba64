public import BanjianDomain
import BanjianWire
import Foundation
import GRDB
import SwiftProtobuf
import Synchronization

/// Applies one ``CaseWrite`` inside the caller's transaction: the event, the projection, the
/// outbox rows, the request id, the clocks and the rungs are written together or not at all.
public struct CaseLog: Sendable {
    /// This node: the origin of the events it records and of the case numbers it assigns.
    public let node: NodeCode
    /// Where supervision events and escalated cases go; `nil` at the top of the tree.
    public let parent: NodeCode?
    public let settings: CentreSettings
    /// The working calendar, which a published holiday year replaces.
    public let calendar: CalendarSource
    /// The node's catalogue, as commands read it.
    private let catalogue = MatterRows()
    /// Recently written projections, so that the next event of a case skips decoding its record.
    private let projections = ProjectionCache()

    /// Where each committed event travels next.
    var route: LinkRoute { LinkRoute(node: node, parent: parent) }

    /// The state machine under the calendar as it stands now.
    public var machine: CaseStateMachine { CaseStateMachine(settings: settings, calendar: calendar.current) }

    public init(node: NodeCode, parent: NodeCode?, settings: CentreSettings, calendar: CalendarSource) {
        self.node = node
        self.parent = parent
        self.settings = settings
        self.calendar = calendar
    }

    /// A log whose calendar changes only with a published holiday year.
    public init(node: NodeCode, parent: NodeCode?, machine: CaseStateMachine) {
        self.init(node: node, parent: parent, settings: machine.settings, calendar: CalendarSource(machine.calendar))
    }

    /// Runs one command. On error nothing the command wrote remains (the caller's savepoint).
    /// - Complexity: O(log n) index lookups plus the state machine's own cost; a replayed request
    ///   replays the case's log up to the first result, O(events of the case).
    /// - Returns: the case's result; `nil` for a write that changes no case (a matter version).
    func execute(_ write: CaseWrite, in db: Database) throws(StoreError) -> CaseWriteResult? {
        do {
            switch write.change {
            case .applyPeerMatter(let peer, let matter, let cursor):
                try applyPeer(matter, from: peer, cursor: cursor, at: write.at, in: db)
                return nil
            case .loadHolidayYear(let year, let peer, let cursor):
                try loadHolidayYear(year, from: peer, cursor: cursor, at: write.at, in: db)
                return nil
            case .issueOrder(let order):
                return try issue(order, requestID: write.requestID, by: write.actor, at: write.at.protobufExact, in: db)
            case .recordConsultation(let consultation):
                try register(consultation, requestID: write.requestID, by: write.actor, at: write.at.protobufExact, in: db)
                return nil
            case .applyPeerConsultation(let peer, let consultation, let cursor):
                try acceptFromBelow(peer, "consultation \(consultation.number)", of: consultation.node, cursor: cursor, at: write.at, in: db)
                try keep(consultation, operatorID: nil, requestID: nil, in: db)
                return nil
            case .raiseLinkAlert(let alert):
                try journal(alert, in: db)
                return nil
            case .applyPeerLinkAlert(let peer, let alert, let cursor):
                try acceptFromBelow(peer, "a link alert", of: alert.reporter, cursor: cursor, at: write.at, in: db)
                try journal(alert, in: db)
                return nil
            case .registerGrievance(let form):
                try register(form, command: write.commandName, requestID: write.requestID, by: write.actor, at: write.at.protobufExact, in: db)
                return nil
            case .replyGrievance(let number, let reply):
                try answer(number, reply, command: write.commandName, requestID: write.requestID, by: write.actor, at: write.at.protobufExact, in: db)
                return nil
            case .fireRung(let number, let key) where Grievance.Kind(clock: key.clock) != nil:
                try fireGrievanceRung(number, key, at: write.at.protobufExact, in: db)
                return nil
            case .applyPeerGrievance(let peer, let grievance, let cursor):
                try acceptFromBelow(peer, "\(grievance.kind.rawValue) \(grievance.number)", of: grievance.node, cursor: cursor, at: write.at, in: db)
                try applyPeer(grievance, at: write.at, in: db)
                return nil
            case .applyPeerOrder(let peer, let order, let cursor):
                guard peer == parent else { throw StoreError(.permissionDenied, "督办 order \(order.number): orders come from the parent only") }
                guard order.issuingNode != node, order.issuingNode.contains(node) else {
                    throw StoreError(.permissionDenied, "督办 order \(order.number) was issued at node \(order.issuingNode), which is not above node \(node)")
                }
                try advanceCursor(of: peer, to: cursor, at: write.at, in: db)
                return try deliver(order, by: .system(of: node), at: write.at, in: db)
            default:
                break
            }
            if let requestID = write.requestID, let earlier = try replay(requestID, of: write, in: db) { return earlier }
            return try apply(write, in: db)
        } catch let error as StoreError {
            throw error
        } catch let error as CaseTransitionError {
            throw StoreError(error)
        } catch let error as GrievanceError {
            throw StoreError(error)
        } catch {
            throw StoreError(.unavailable, "database: \(error)")
        }
    }

    // MARK: Commands

    private func apply(_ write: CaseWrite, in db: Database) throws -> CaseWriteResult {
        // Recorded at an instant its protobuf encoding carries exactly, so the stored event
        // decodes to the one applied here.
        var write = write
        write.at = write.at.protobufExact
        let event: CaseEvent
        let current: CaseRecord?
        switch write.change {
        case .open(var intake):
            let terms = try catalogue.terms(of: intake.matter.code, at: write.at, field: "received.matter_code", in: db)
            intake.number = try assignNumber(at: write.at, in: db)
            intake.matter = terms.matter
            intake.terms = terms
            event = .received(intake)
            current = nil
        case .apply(let number, let applied, let expectedVersion):
            let record = try existing(number, in: db)
            guard record.holder == node else {
                throw StoreError(.failedPrecondition, "case \(number) is held by node \(record.holder): only its holder changes it")
            }
            if let expectedVersion, expectedVersion != record.version {
                throw StoreError(.versionConflict, "case \(number) is at version \(record.version), not \(expectedVersion)")
            }
            event = try resolving(applied, for: record, at: write.at, in: db)
            current = record
        case .fireRung(let number, let key):
            event = .rungFired(key)
            let record = try existing(number, in: db)
            guard record.holder == node else {
                throw StoreError(.failedPrecondition, "case \(number) is held by node \(record.holder): only the holder fires its rungs")
            }
            current = record
        case .applyPeer(let peer, let recorded, let cursor):
            return try applyPeer(recorded, from: peer, cursor: cursor, at: write.at, in: db)
        case .applyPeerMatter, .loadHolidayYear, .issueOrder, .applyPeerOrder, .raiseLinkAlert, .applyPeerLinkAlert, .recordConsultation,
             .applyPeerConsultation, .registerGrievance, .replyGrievance, .applyPeerGrievance:
            throw StoreError(.failedPrecondition, "a matter version, a holiday year, a 督办 order, a link alert, a consultation, a petition or a complaint is not a case event")
        }

        let transition = try machine.apply(event, to: current, at: write.at, by: write.actor)
        let sequence = try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT COALESCE(MAX(origin_sequence), 0) + 1 FROM case_event WHERE origin_node = ?"),
            arguments: [node.rawValue]) ?? 1
        let recorded = RecordedEvent(
            id: EventID(origin: node, sequence: UInt64(sequence)), caseNumber: transition.record.number,
            caseVersion: transition.record.version, occurredAt: write.at, actor: write.actor, event: event)
        if let requestID = write.requestID {
            try db.executeCached(
                sql: "INSERT INTO request_id VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [write.actor.operatorID, requestID, write.commandName, recorded.caseNumber.description,
                            Int64(recorded.caseVersion), write.at.storedSeconds])
        }
        return try append(recorded, transition, previous: current, in: db)
    }

    /// Checks that `what`, of node `origin`, comes from the child whose subtree holds it, and
    /// advances that child's cursor.
    private func acceptFromBelow(_ peer: NodeCode, _ what: String, of origin: NodeCode, cursor: UInt64, at instant: Date, in db: Database) throws {
        guard peer != parent, peer.contains(origin) else {
            throw StoreError(.permissionDenied, "\(what) of node \(origin) comes from below it only, not from node \(peer)")
        }
        try advanceCursor(of: peer, to: cursor, at: instant, in: db)
    }

    /// Advances the peer's link cursor (never backwards).
    private func advanceCursor(of peer: NodeCode, to cursor: UInt64, at instant: Date, in db: Database) throws {
        try db.executeCached(
            sql: """
                INSERT INTO link_cursor VALUES (?, ?, ?) ON CONFLICT (peer_node) DO UPDATE SET
                    applied_through = MAX(applied_through, excluded.applied_through), updated_at = excluded.updated_at
                """,
            arguments: [peer.rawValue, Int64(clamping: cursor), instant.storedSeconds])
    }

    /// Stores a matter version from the parent, which queues it for the children; a version
    /// already stored changes nothing but the cursor.
    private func applyPeer(_ matter: Matter, from peer: NodeCode, cursor: UInt64, at instant: Date, in db: Database) throws {
        guard peer == parent else { throw StoreError(.permissionDenied, "matter \(matter.code): the catalogue comes from the parent only") }
        guard matter.owner.contains(node) else {
            throw StoreError(.permissionDenied, "matter \(matter.code) is owned by node \(matter.owner), which is not above node \(node)")
        }
        try advanceCursor(of: peer, to: cursor, at: instant, in: db)
        guard try NodeDatabase.matter(code: matter.code, version: matter.version, in: db) == nil else { return }
        try NodeDatabase.insert(matter, at: instant, in: db)
    }

    /// Loads a holiday year published at the top (`peer` is `nil` there, else the parent that
    /// sent it): stores it, queues it for the children, replaces the calendar, and re-projects and
    /// journals the live deadlines (``reconcileCalendar(at:in:)``). A year already in force
    /// changes nothing but the cursor.
    private func loadHolidayYear(_ year: HolidayYear, from peer: NodeCode?, cursor: UInt64, at instant: Date, in db: Database) throws {
        if let peer {
            guard peer == parent else { throw StoreError(.permissionDenied, "holiday year \(year.year): the calendar comes from the parent only") }
            try advanceCursor(of: peer, to: cursor, at: instant, in: db)
        } else if let parent {
            throw StoreError(.failedPrecondition, "holiday years are published at the top of the tree; this node has parent \(parent)")
        }
        let encoded = try Banjian_V1_CalendarUpdate(year).serializedData()
        guard try Data.fetchOne(db, sql: "SELECT update_message FROM holiday_year WHERE year = ?", arguments: [year.year]) != encoded else { return }
        try db.execute(sql: "INSERT INTO holiday_year VALUES (?, ?, ?) ON CONFLICT (year) DO UPDATE SET update_message = excluded.update_message, received_at = excluded.received_at",
                       arguments: [year.year, encoded, instant.storedSeconds])
        try NodeDatabase.enqueueForChildren(.holidayYear(year), purpose: .calendar, at: instant, in: db)
        let previous = calendar.current
        calendar.replace(with: previous.loading(year))
        do { _ = try reconcileCalendar(at: instant, in: db) } catch {
            calendar.replace(with: previous)
            throw error
        }
    }

    /// Registers a consultation at this node: numbers it, names this node and the actor, and keeps
    /// it. A request id seen before changes nothing (``NodeDatabase/consultation(operatorID:requestID:)``
    /// reads the first).
    private func register(_ consultation: Consultation, requestID: String?, by actor: Actor, at instant: Date, in db: Database) throws {
        if let requestID, try NodeDatabase.consultation(operatorID: actor.operatorID, requestID: requestID, in: db) != nil { return }
        var consultation = consultation
        consultation.number = try nextNumber(in: "consultation_number_sequence", at: instant, in: db)
        consultation.node = node
        consultation.answeredBy = actor
        consultation.at = instant
        try keep(consultation, operatorID: actor.operatorID, requestID: requestID, in: db)
    }

    /// The next `<node>-<yyyymmdd>-<6-digit sequence>` of the daily sequence kept in `table` (a
    /// `day`, `last` table), for the local day of `instant`.
    private func nextNumber(in table: String, at instant: Date, in db: Database) throws -> String {
        let date = machine.calendar.civilDate(of: instant)
        let sequence = try Int.fetchOne(
            db, sql: "INSERT INTO \(table) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last", arguments: [date.dayKey]) ?? 0
        guard let number = CaseNumber(origin: node, date: date, sequence: sequence) else {
            throw StoreError(.unavailable, "the daily sequence of \(table) for \(date) is exhausted")
        }
        return number.description
    }

    /// Keeps a consultation once: counts it in the statistics and queues it for the parent.
    private func keep(_ consultation: Consultation, operatorID: String?, requestID: String?, in db: Database) throws {
        try db.execute(sql: "INSERT INTO consultation VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO NOTHING",
                       arguments: [consultation.number, consultation.node.rawValue, consultation.at.storedSeconds,
                                   try Banjian_V1_Consultation(consultation).serializedData(), operatorID, requestID])
        guard db.changesCount > 0 else { return }
        try StatisticsRows.add(StatisticsFigures([.consultations]), to: consultation.statisticsKey(zone: machine.calendar.zone),
                               handlerName: consultation.answeredBy.name, matterName: "", in: db)
        if let parent {
            try NodeDatabase.enqueue(.record(.consultation(consultation)), for: parent, purpose: .supervisionCopy, at: consultation.at, in: db)
        }
    }

    /// Journals a link alert for the supervisors and queues it for the parent.
    private func journal(_ alert: LinkAlert, in db: Database) throws {
        try AlertRows.insert(.link(alert), rung: nil, kind: "linkDown", raisedAt: alert.raisedAt, in: db)
        if let parent { try NodeDatabase.enqueue(.record(.linkAlert(alert)), for: parent, purpose: .supervisionCopy, at: alert.raisedAt, in: db) }
    }

    /// Issues a 督办 order at this node: numbers it, names this node, the actor and the case's
    /// holder in it, keeps it under the request id, and delivers it. A request id seen before
    /// changes nothing (``NodeDatabase/issuedOrder(operatorID:requestID:)`` reads the first order).
    private func issue(_ order: SupervisionOrder, requestID: String?, by actor: Actor, at instant: Date, in db: Database) throws -> CaseWriteResult? {
        if let requestID, try NodeDatabase.issuedOrder(operatorID: actor.operatorID, requestID: requestID, in: db) != nil { return nil }
        let record = try existing(order.caseNumber, in: db)
        guard node.contains(record.holder) else {
            throw StoreError(.failedPrecondition, "case \(order.caseNumber) is held by node \(record.holder), outside the subtree of node \(node)")
        }
        if let open = record.supervisionOrders.first(where: \.isOpen) {
            throw StoreError(.failedPrecondition, "督办 order \(open.order.number) on case \(order.caseNumber) is still open")
        }
        switch record.state {
        case .closed, .archived: throw StoreError(.failedPrecondition, "case \(order.caseNumber) is \(record.state.name.rawValue): there is nothing to supervise")
        default: break
        }
        var order = order
        order.number = try nextNumber(in: "order_number_sequence", at: instant, in: db)
        order.issuingNode = node
        order.target = record.holder
        order.issuedBy = actor
        order.issuedAt = instant
        if let requestID {
            try db.execute(sql: "INSERT INTO order_request VALUES (?, ?, ?, ?)",
                           arguments: [actor.operatorID, requestID, try Banjian_V1_SupervisionOrder(order).serializedData(), instant.storedSeconds])
        }
        return try deliver(order, by: actor, at: instant, in: db)
    }

    /// Takes a 督办 order one step toward its case's holder: records it on the case (its clock
    /// starts) when this node holds it, or queues it for the child on the way down. An order
    /// already recorded, for a case no longer held below this node, or one the case no longer
    /// takes (it was closed meanwhile) goes no further: an order from the parent never fails the
    /// link's batch.
    /// - Returns: the recording's result, or `nil` when the order was passed on or went no further.
    private func deliver(_ order: SupervisionOrder, by actor: Actor, at instant: Date, in db: Database) throws -> CaseWriteResult? {
        guard let record = try record(order.caseNumber, in: db), node.contains(record.holder) else { return nil }
        guard !record.supervisionOrders.contains(where: { $0.order.number == order.number }) else { return nil }
        if record.holder == node {
            let write = CaseWrite(.apply(order.caseNumber, .supervisionOrdered(order), expectedVersion: nil), requestID: nil, actor: actor, at: instant)
            guard actor.role == .system else { return try apply(write, in: db) }
            // The state machine refuses before anything is written.
            do { return try apply(write, in: db) } catch is CaseTransitionError { return nil }
        }
        if let child = node.child(toward: record.holder) {
            try NodeDatabase.enqueue(.record(.order(order)), for: child, purpose: .order, at: instant, in: db)
        }
        return nil
    }

    /// Applies a peer's event under its own id and advances the peer's cursor; an id already
    /// present is a no-op (a replay result) that still advances the cursor.
    private func applyPeer(_ recorded: RecordedEvent, from peer: NodeCode, cursor: UInt64, at instant: Date,
                           in db: Database) throws -> CaseWriteResult {
        try advanceCursor(of: peer, to: cursor, at: instant, in: db)
        if let earlier = try CaseRows.event(recorded.id, in: db) {
            return CaseWriteResult(record: try existing(earlier.caseNumber, in: db), event: earlier, actions: [], pendingRungs: nil)
        }
        guard recorded.id.origin != node else {
            throw StoreError(.failedPrecondition, "event \(recorded.id) claims this node as its origin but is not in its log")
        }
        let current = try record(recorded.caseNumber, in: db)
        if let refusal = LinkEntitlement.refusal(of: recorded, holder: current?.holder, receiver: node, sender: peer,
                                                 senderIsParent: peer == parent) {
            throw StoreError(.permissionDenied, refusal)
        }
        let expected = (current?.version ?? 0) + 1
        guard recorded.caseVersion == expected else {
            throw StoreError(.failedPrecondition,
                             "event \(recorded.id) is version \(recorded.caseVersion) of case \(recorded.caseNumber), which expects version \(expected)")
        }
        let transition = try machine.apply(recorded.event, to: current, at: recorded.occurredAt, by: recorded.actor)
        return try append(recorded, transition, previous: current, from: peer, in: db)
    }

    /// Appends an applied event: the event row, the projection, and every consumer of the state
    /// machine's actions (outbox, notices, refusal register, alerts, notifications, deadlines).
    /// - Parameter peer: the node that delivered the event; nothing is emitted back to it.
    private func append(_ recorded: RecordedEvent, _ transition: CaseTransition, previous: CaseRecord?,
                        from peer: NodeCode? = nil, in db: Database) throws -> CaseWriteResult {
        let record = transition.record
        try CaseRows.appendEvent(recorded, in: db)
        try saveProjection(record, in: db)
        try count(recorded, previous: previous, record: record, in: db)
        try consume(transition.actions, of: recorded, record: record, from: peer, in: db)
        if case .rungFired(let key) = recorded.event {
            try CaseRows.insertFiredRung(key, of: record.number.description, at: recorded.occurredAt, sequence: Int64(recorded.id.sequence), in: db)
        }
        // Most events leave the clocks alone: their rows are rewritten only when they changed.
        let deadlinesChanged = (previous?.clocks ?? [:]) != record.clocks || (previous?.firedRungs ?? []) != record.firedRungs
        let rungs = try projectDeadlines(of: record, rewriting: deadlinesChanged, in: db)
        return CaseWriteResult(record: record, event: recorded, actions: transition.actions, pendingRungs: rungs)
    }

    /// The event with what only this node may fill in: the matter's terms from its catalogue at
    /// acceptance, the case's parties when it goes up to another level, and the follow-up limit
    /// of a dissatisfied applicant; others unchanged.
    private func resolving(_ event: CaseEvent, for record: CaseRecord, at instant: Date, in db: Database) throws -> CaseEvent {
        let disclosure = Disclosure(applicant: record.applicant, principal: record.principal)
        switch event {
        case .accepted(var acceptance):
            acceptance.terms = try catalogue.terms(of: record.matter.code, at: instant, field: "matter_code", in: db)
            if case .escalated(var plan, let handler) = acceptance.route {
                plan.disclosure = disclosure
                acceptance.route = .escalated(plan, handler: handler)
            }
            return .accepted(acceptance)
        case .escalated(var plan):
            plan.disclosure = disclosure
            return .escalated(plan)
        case .feedbackRecorded(let satisfaction, let comment, _):
            // A dissatisfied applicant opens the director's follow-up under this node's limit.
            return .feedbackRecorded(satisfaction: satisfaction, comment: comment,
                                     followUpWithin: satisfaction == .dissatisfied ? settings.limits.followUp : nil)
        default:
            return event
        }
    }

    /// The first result of a request id seen before, rebuilt by replaying the case's log up to
    /// that event; `nil` when the id is new.
    private func replay(_ requestID: String, of write: CaseWrite, in db: Database) throws -> CaseWriteResult? {
        guard let row = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT command, case_number, case_version FROM request_id WHERE operator_id = ? AND request_id = ?"),
            arguments: [write.actor.operatorID, requestID])
        else { return nil }
        let command: String = row["command"]
        guard command == write.commandName else {
            throw StoreError(.requestIDReused, "request id '\(requestID)' was already used for '\(command)'")
        }
        let numberText: String = row["case_number"]
        let version: Int64 = row["case_version"]
        guard let number = CaseNumber(numberText) else { throw StoreError(.corrupt, "bad case number '\(numberText)'") }
        let events = try CaseRows.events(of: number, after: 0, limit: Int(version), in: db)
        guard let last = events.last, last.caseVersion == UInt64(version),
              let record = try machine.replay(events.map { ($0.event, $0.occurredAt, $0.actor) })
        else { throw StoreError(.corrupt, "the log of case \(number) ends before version \(version)") }
        return CaseWriteResult(record: record, event: last, actions: [], pendingRungs: nil)
    }

    // MARK: Parts of a command

    /// The case's projection, from the cache when this log wrote it last.
    private func record(_ number: CaseNumber, in db: Database) throws -> CaseRecord? {
        if let cached = projections[number] { return cached }
        return try CaseRows.record(number, in: db)
    }

    /// Writes the case's projection and keeps it for the case's next event.
    private func saveProjection(_ record: CaseRecord, in db: Database) throws {
        try CaseRows.saveProjection(record, in: db)
        projections[record.number] = record
    }

    /// Forgets the cached projections: the writer calls it when a transaction or a savepoint
    /// rolled back, since what it wrote is gone.
    func discardCachedProjections() { projections.removeAll() }

    /// The case's current record, or `.notFound`.
    private func existing(_ number: CaseNumber, in db: Database) throws -> CaseRecord {
        guard let record = try record(number, in: db) else { throw StoreError(.notFound, "case \(number) not found") }
        return record
    }

    /// The next case number of the node's local day.
    func assignNumber(at instant: Date, in db: Database) throws -> CaseNumber {
        let date = machine.calendar.civilDate(of: instant)
        let sequence = try Int.fetchOne(
            try db.cachedStatement(sql: """
                INSERT INTO case_number_sequence VALUES (?, ?, 1)
                ON CONFLICT (origin_node, day) DO UPDATE SET last = last + 1 RETURNING last
                """),
            arguments: [node.rawValue, date.dayKey]) ?? 0
        guard let number = CaseNumber(origin: node, date: date, sequence: sequence) else {
            throw StoreError(.unavailable, "the daily case sequence of \(date) is exhausted")
        }
        return number
    }

    /// Projects the case's clocks and pending rungs through the calendar, and with `rewriting`
    /// replaces the case's rows in `deadline_clock` and `pending_rung` with them.
    /// - Returns: every rung of the case still to fire.
    private func projectDeadlines(of record: CaseRecord, rewriting: Bool, in db: Database) throws -> [PendingRung] {
        let projection = DeadlineProjection(record, machine: machine, node: node)
        if rewriting { try write(projection, of: record.number.description, in: db) }
        return projection.rungs
    }

    /// Replaces the case's rows in `deadline_clock` and `pending_rung` with `projection`.
    private func write(_ projection: DeadlineProjection, of number: String, in db: Database) throws {
        try db.executeCached(sql: "DELETE FROM deadline_clock WHERE case_number = ?", arguments: [number])
        for (clock, due) in projection.clocks {
            try db.executeCached(
                sql: "INSERT INTO deadline_clock VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [number, clock.kind.rawValue, clock.statusName, clock.epoch, clock.budgetSeconds,
                            due?.instant.storedSeconds, due?.provisional ?? false])
        }
        try CaseRows.replacePendingRungs(of: number, with: projection.rungs, in: db)
    }

    // MARK: Calendar changes

    /// Re-projects the rows of every running or paused clock through the machine's calendar when
    /// it is not the calendar they were projected with (by ``WorkingCalendar/fingerprint``), and
    /// journals the change in `calendar_change`, `deadline_shift` and `deadline_correction`.
    /// Fired rungs stay fired, except those the clock has not reached through the new calendar:
    /// a `deadlinesCorrected` event in the case's log withdraws them, and they fire again at
    /// their corrected instants.
    /// - Returns: what changed, or `nil` when the calendar is the one on record.
    /// - Complexity: O(1) when unchanged; otherwise one record read per case with a running or
    ///   paused clock.
    func reconcileCalendar(at instant: Date, in db: Database) throws -> CalendarChange? {
        let calendar = machine.calendar
        let fingerprint = calendar.fingerprint
        let previous = try String.fetchOne(db, sql: "SELECT value FROM node_state WHERE key = 'calendar.fingerprint'")
        guard previous != fingerprint else { return nil }
        var shifts: [DeadlineShift] = []
        var reprojected: [CaseNumber] = []
        var corrections: [CaseNumber: (correction: DeadlineCorrection, version: UInt64)] = [:]
        let live = try String.fetchAll(
            db, sql: "SELECT DISTINCT case_number FROM deadline_clock WHERE state IN ('running', 'paused') ORDER BY case_number")
        for text in live {
            guard let number = CaseNumber(text) else { throw StoreError(.corrupt, "bad case number '\(text)' in deadline_clock") }
            var stored: [String: (due: Double?, provisional: Bool)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT clock, due_at, provisional FROM deadline_clock WHERE case_number = ?", arguments: [text]) {
                stored[row[0]] = (row[1], row[2])
            }
            let storedRungs = try Row.fetchAll(
                db, sql: "SELECT \(CaseRows.pendingRungColumns) FROM pending_rung WHERE case_number = ?", arguments: [text]
            ).map(CaseRows.pendingRung)
            var record = try existing(number, in: db)
            // Only the holder fires rungs, and only it may withdraw them; a copy is corrected by the
            // holder's event when it arrives.
            let early = record.holder != node ? []
                : record.rungsFiredEarly(at: instant, ladder: machine.settings.ladder, calendar: calendar)
            if !early.isEmpty {
                let correction = DeadlineCorrection(calendar: fingerprint, withdrawn: early)
                record = try apply(
                    CaseWrite(.apply(number, .deadlinesCorrected(correction), expectedVersion: nil), requestID: nil,
                              actor: .system(of: node), at: instant),
                    in: db
                ).record
                corrections[number] = (correction, record.version)
            }
            let projection = DeadlineProjection(record, machine: machine, node: node)
            var changed = !early.isEmpty || Set(projection.rungs) != Set(storedRungs)
            for (clock, due) in projection.clocks {
                let before = stored[clock.kind.rawValue]
                if before?.due != due?.instant.storedSeconds {
                    shifts.append(DeadlineShift(caseNumber: number, clock: clock.kind, previousDue: before?.due.map(Date.init(storedSeconds:)),
                                                currentDue: due?.instant))
                    changed = true
                }
                if before?.provisional != (due?.provisional ?? false) { changed = true }
            }
            if changed {
                // A correction's own write has already rewritten the rows.
                if early.isEmpty { try write(projection, of: text, in: db) }
                reprojected.append(number)
            }
        }
        try reprojectGrievanceRungs(in: db)
        try db.execute(
            sql: "INSERT INTO calendar_change (changed_at, previous_fingerprint, fingerprint, summary, cases_reprojected) VALUES (?, ?, ?, ?, ?)",
            arguments: [instant.storedSeconds, previous, fingerprint, calendar.summary, reprojected.count])
        let change = db.lastInsertedRowID
        for shift in shifts {
            try db.execute(
                sql: "INSERT INTO deadline_shift VALUES (?, ?, ?, ?, ?)",
                arguments: [change, shift.caseNumber.description, shift.clock.rawValue, shift.previousDue?.storedSeconds,
                            shift.currentDue?.storedSeconds])
        }
        for (number, correction) in corrections {
            try db.execute(sql: "INSERT INTO deadline_correction VALUES (?, ?, ?)",
                           arguments: [change, number.description, Int64(correction.version)])
        }
        try db.execute(
            sql: "INSERT INTO node_state VALUES ('calendar.fingerprint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [fingerprint])
        return CalendarChange(changedAt: instant, previousFingerprint: previous, fingerprint: fingerprint, summary: calendar.summary,
                              casesReprojected: reprojected.count, shifts: shifts, corrections: corrections.mapValues(\.correction))
    }
}

extension CaseLog {
    /// Replays every case's events through the state machine and compares the result with the
    /// stored projection (`case_projection`, `deadline_clock`, `pending_rung`) and with the
    /// statistics and score facts (`case_statistics`, `score_fact`); with `rewriting`, writes the
    /// replayed projection where it differs, and the recounted statistics and facts when they do.
    /// Petitions and complaints count from their stored records, and with `rewriting` their rungs
    /// are projected again.
    ///
    /// The events are the truth; the projection is derived from them with this log's machine
    /// (its settings and calendar).
    /// - Complexity: O(events), one case in memory at a time.
    func rebuildProjections(rewriting: Bool, in db: Database) throws -> ProjectionRebuild {
        var cases = 0, events = 0
        var differing: [CaseNumber] = []
        var counts = CountRebuild()
        let numbers = try String.fetchAll(db, sql: "SELECT DISTINCT case_number FROM case_event ORDER BY case_number")
        for text in numbers {
            guard let number = CaseNumber(text) else { throw StoreError(.corrupt, "bad case number '\(text)' in case_event") }
            let log = try CaseRows.events(of: number, after: 0, limit: .max, in: db)
            var replayed: CaseRecord?
            var facts: [ScoreFact] = []
            for event in log {
                let previous = replayed
                do {
                    replayed = try machine.apply(event.event, to: previous, at: event.occurredAt, by: event.actor).record
                } catch {
                    throw StoreError(.corrupt, "the events of case \(number) do not replay: \(error)")
                }
                if let replayed { facts += ScoreFact.raised(by: event, previous: previous, record: replayed, calendar: machine.calendar) }
            }
            guard let record = replayed, record.version == UInt64(log.count) else {
                throw StoreError(.corrupt, "the events of case \(number) do not replay to version \(log.count)")
            }
            counts.add(CaseTally(record, zone: machine.calendar.zone), facts: facts)
            cases += 1
            events += log.count
            let projection = DeadlineProjection(record, machine: machine, node: node)
            let storedRungs = try Row.fetchAll(
                db, sql: "SELECT \(CaseRows.pendingRungColumns) FROM pending_rung WHERE case_number = ?", arguments: [text]
            ).map(CaseRows.pendingRung)
            let storedClocks = try Row.fetchAll(
                db, sql: "SELECT clock, state, epoch, budget_seconds, due_at, provisional FROM deadline_clock WHERE case_number = ?",
                arguments: [text]
            ).map { row in ClockRow(clock: row[0], state: row[1], epoch: row[2], budgetSeconds: row[3], dueAt: row[4], provisional: row[5]) }
            let replayedClocks = projection.clocks.map { clock, due in
                ClockRow(clock: clock.kind.rawValue, state: clock.statusName, epoch: Int64(clock.epoch), budgetSeconds: clock.budgetSeconds,
                         dueAt: due?.instant.storedSeconds, provisional: due?.provisional ?? false)
            }
            guard try self.record(number, in: db) != record || Set(storedRungs) != Set(projection.rungs)
                || Set(storedClocks) != Set(replayedClocks)
            else { continue }
            differing.append(number)
            if rewriting {
                try saveProjection(record, in: db)
                try write(projection, of: text, in: db)
            }
        }
        for consultation in try NodeDatabase.consultations(in: db) { counts.add(consultation, zone: machine.calendar.zone) }
        for grievance in try NodeDatabase.grievances(in: db) { counts.add(grievance, zone: machine.calendar.zone) }
        let countsDiffer = try !counts.matches(in: db)
        if countsDiffer && rewriting { try counts.write(zone: machine.calendar.zone, in: db) }
        if rewriting { try reprojectGrievanceRungs(in: db) }
        return ProjectionRebuild(cases: cases, events: events, differing: differing, countsDiffer: countsDiffer)
    }
}

/// A `deadline_clock` row, to compare a stored projection with a replayed one.
private struct ClockRow: Hashable {
    let clock: String
    let state: String
    let epoch: Int64
    let budgetSeconds: Int64
    let dueAt: Double?
    let provisional: Bool
}

/// What a rebuild of the projections found.
public struct ProjectionRebuild: Hashable, Sendable {
    /// Cases replayed.
    public let cases: Int
    /// Events replayed.
    public let events: Int
    /// Cases whose stored projection differed from the replay (and, when rewriting, was replaced).
    public let differing: [CaseNumber]
    /// Whether the statistics or the score facts differed from a recount from the events (and,
    /// when rewriting, were replaced).
    public let countsDiffer: Bool
}

/// A case's clocks with their due instants, and its rungs still to fire, through the calendar.
/// Only the case's holder fires its rungs: a node that holds a copy (a case it escalated, or an
/// event a peer sent) projects the clocks but schedules no rung.
private struct DeadlineProjection {
    var clocks: [(clock: DeadlineClock, due: ProjectedInstant?)] = []
    var rungs: [PendingRung] = []

    init(_ record: CaseRecord, machine: CaseStateMachine, node: NodeCode) {
        for clock in record.clocks.values.sorted(by: { $0.kind < $1.kind }) {
            clocks.append((clock, clock.due(calendar: machine.calendar)))
            guard record.holder == node else { continue }
            rungs += machine.settings.ladder.pendingRungs(of: clock, fired: record.firedRungs, calendar: machine.calendar)
                .map { PendingRung(caseNumber: record.number, key: $0.key, fireAt: $0.fireAt.instant) }
        }
    }
}

extension DeadlineClock {
    /// The run state as stored in `deadline_clock.state`.
    var statusName: String {
        switch status {
        case .running: "running"
        case .paused: "paused"
        case .stopped: "stopped"
        }
    }
}

/// Projections this node wrote last, by case; bounded (cleared when full). Every projection this
/// log writes passes through it, and the writer clears it on any rollback, so it never disagrees
/// with the committed rows.
private final class ProjectionCache: Sendable {
    private static let capacity = 4096
    private let records = Mutex<[CaseNumber: CaseRecord]>([:])

    subscript(number: CaseNumber) -> CaseRecord? {
        get { records.withLock { $0[number] } }
        set {
            records.withLock { records in
                if records.count >= Self.capacity { records.removeAll(keepingCapacity: true) }
                records[number] = newValue
            }
        }
    }

    func removeAll() { records.withLock { $0.removeAll() } }
}
