import BanjianDomain
import Foundation
import GRDB

/// The consumers of the state machine's actions, in the command's transaction: every effect of an
/// event comes from its actions, and nothing after the commit decides anything.
extension CaseLog {
    /// Writes the rows each action asks for.
    ///
    /// - link outbox rows, one per hop of the event (``LinkRoute``), never back to `peer`, each
    ///   with the next sequence number of that link; `emit` actions give their purpose;
    /// - numbered notices, the 否定报备 register and notifications, for this node's own events;
    /// - alerts (a rung fired, a case returned, an applicant dissatisfied), for every event, a
    ///   peer's included (supervision reads them);
    /// - clocks and rungs are projected by the caller.
    /// - Parameter peer: the node that delivered the event, or `nil` for this node's own.
    func consume(_ actions: [CaseAction], of event: RecordedEvent, record: CaseRecord, from peer: NodeCode?,
                 in db: Database) throws {
        var emitted: [OutboxDestination: OutboxPurpose] = [:]
        for action in actions {
            switch action {
            case .emit(let purpose, let destination):
                if emitted[destination] == nil || purpose != .supervisionCopy { emitted[destination] = purpose }
            case .raiseAlert(let key):
                try AlertRows.insert(.caseEvent(record.number, event.id), rung: key, kind: "rung", raisedAt: event.occurredAt, in: db)
            case .alertSupervisors(let reason):
                try AlertRows.insert(.caseEvent(record.number, event.id), rung: nil, kind: reason.rawValue, raisedAt: event.occurredAt, in: db)
            case .issueNotice(let kind) where peer == nil:
                try issue(kind, for: record, by: event, in: db)
            case .fileRefusal where peer == nil, .recordRefusalReview where peer == nil:
                try fileRefusal(of: record, in: db)
            case .notify(let role, let reason) where peer == nil:
                let recipient: Actor? = switch role {
                case .handler: record.assignment?.handler
                case .acceptor: record.acceptance?.acceptor ?? record.receivedBy
                default: nil
                }
                try db.executeCached(
                    sql: "INSERT INTO notification (case_number, role, reason, operator_id, created_at, origin_node, origin_sequence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [record.number.description, role.rawValue, reason.rawValue, recipient?.operatorID,
                                event.occurredAt.storedSeconds, event.id.origin.rawValue, Int64(event.id.sequence)])
            case .issueNotice, .fileRefusal, .recordRefusalReview, .notify, .scheduleRungs, .cancelRungs:
                break
            }
        }
        for hop in route.hops(of: event, record: record, emitted: emitted, from: peer) {
            try NodeDatabase.enqueue(.event(event.id, redacted: hop.redacted), for: hop.peer, purpose: hop.purpose,
                                     at: event.occurredAt, in: db)
        }
    }

    /// Numbers and stores the notice of `kind` that `event` issued.
    private func issue(_ kind: Notice, for record: CaseRecord, by event: RecordedEvent, in db: Database) throws {
        let year = machine.calendar.civilDate(of: event.occurredAt).year
        let sequence = try Int.fetchOne(
            try db.cachedStatement(sql: """
                INSERT INTO notice_sequence VALUES (?, ?, 1)
                ON CONFLICT (kind, year) DO UPDATE SET last = last + 1 RETURNING last
                """),
            arguments: [kind.rawValue, year]) ?? 0
        let number = "\(node)-\(kind.numberCode)-\(year)-" + String(format: "%06d", sequence)
        let document = NoticeDocument(kind: kind, number: number, record: record, event: event, calendar: machine.calendar)
        try db.executeCached(
            sql: "INSERT INTO notice VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [number, kind.rawValue, record.number.description, Int64(record.version),
                        event.occurredAt.storedSeconds, try CaseRows.encode(document)])
    }

    /// Files the case's last refusal in the 否定报备 register, or records its review there.
    private func fileRefusal(of record: CaseRecord, in db: Database) throws {
        guard let last = record.returns.last else { return }
        let entry = RefusalEntry(caseNumber: record.number, ordinal: record.returns.count - 1, matter: record.matter,
                                 applicant: record.applicant.name, refusal: last)
        try db.executeCached(
            sql: """
                INSERT INTO refusal VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_number, ordinal) DO UPDATE SET
                    review_state = excluded.review_state, record = excluded.record
                """,
            arguments: [record.number.description, entry.ordinal, last.returnedAt.storedSeconds, entry.reviewState.rawValue,
                        try CaseRows.encode(entry)])
    }
}

/// The rows of the alert journal (`alert`).
enum AlertRows {
    /// What an alert is about.
    enum Subject {
        /// A case, by the event whose actions raised it.
        case caseEvent(CaseNumber, EventID)
        /// A petition or complaint, by the version that raised it.
        case grievance(CaseNumber, version: UInt64)
        /// A link down too long.
        case link(LinkAlert)
    }

    /// Journals an alert: `kind` is `rung` (then `rung` says which), a reason, or `linkDown`.
    static func insert(_ subject: Subject, rung: RungKey?, kind: String, raisedAt: Date, in db: Database) throws {
        var number: String?, origin: String?, sequence: Int64?, version: Int64?, link: LinkAlert?
        switch subject {
        case .caseEvent(let n, let event): (number, origin, sequence) = (n.description, event.origin.rawValue, Int64(event.sequence))
        case .grievance(let n, let v): (number, version) = (n.description, Int64(v))
        case .link(let alert): link = alert
        }
        try db.executeCached(
            sql: """
                INSERT INTO alert (case_number, clock, rung, epoch, raised_at, origin_node, origin_sequence, kind, link_reporter, link_peer,
                                   link_down_since, record_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [number, rung?.clock.rawValue ?? "", rung?.rung.rawValue ?? "", rung?.epoch ?? 0, raisedAt.storedSeconds, origin, sequence,
                        kind, link?.reporter.rawValue, link?.peer.rawValue, link?.downSince.storedSeconds, version])
    }
}
