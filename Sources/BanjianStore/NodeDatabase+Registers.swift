public import BanjianDomain
import Foundation
import GRDB

/// Reads of what the case log's action consumers wrote: notices, the 否定报备 register, alerts,
/// notifications and the link cursors.
extension NodeDatabase {
    /// The notices issued for a case, oldest first.
    public func notices(of number: CaseNumber) async throws -> [NoticeDocument] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT document FROM notice WHERE case_number = ? ORDER BY case_version, number",
                              arguments: [number.description])
                .map { data throws(StoreError) in try CaseRows.decode(NoticeDocument.self, data, "a notice of case \(number)") }
        }
    }

    /// One notice by its number, or `nil`.
    public func notice(_ number: String) async throws -> NoticeDocument? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM notice WHERE number = ?", arguments: [number])
                .map { data throws(StoreError) in try CaseRows.decode(NoticeDocument.self, data, "notice \(number)") }
        }
    }

    /// The 否定报备 register, newest refusal first, optionally only entries in `state`.
    public func refusals(in state: RefusalEntry.ReviewState? = nil, limit: Int = 1000) async throws -> [RefusalEntry] {
        try await pool.read { db in
            try Data.fetchAll(
                db, sql: "SELECT record FROM refusal WHERE ?1 IS NULL OR review_state = ?1 ORDER BY returned_at DESC, case_number LIMIT ?2",
                arguments: [state?.rawValue, limit]
            ).map { data throws(StoreError) in try CaseRows.decode(RefusalEntry.self, data, "a refusal") }
        }
    }

    /// The alerts raised for a case (rungs that fired), oldest first.
    public func alerts(of number: CaseNumber) async throws -> [RungKey] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT clock, rung, epoch FROM alert WHERE case_number = ? ORDER BY id", arguments: [number.description])
                .map { row throws(StoreError) in
                    let clock: String = row[0], rung: String = row[1]
                    guard let clockKind = ClockKind(rawValue: clock), let rungKind = RungKind(rawValue: rung) else {
                        throw StoreError(.corrupt, "bad alert \(clock) \(rung) of case \(number)")
                    }
                    return RungKey(clock: clockKind, rung: rungKind, epoch: row[2])
                }
        }
    }

    /// The notifications recorded for a case, oldest first: who (role and, where known, operator)
    /// was told why.
    public func notifications(of number: CaseNumber) async throws -> [(role: Role, reason: NotificationReason, operatorID: String?)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT role, reason, operator_id FROM notification WHERE case_number = ? ORDER BY id",
                             arguments: [number.description])
                .map { row throws(StoreError) in
                    let role: String = row[0], reason: String = row[1]
                    guard let r = Role(rawValue: role), let why = NotificationReason(rawValue: reason) else {
                        throw StoreError(.corrupt, "bad notification \(role) \(reason) of case \(number)")
                    }
                    return (r, why, row[2])
                }
        }
    }

    /// How far the peer's outbox has been applied here, or `nil` before anything was.
    public func linkCursor(of peer: NodeCode) async throws -> UInt64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT applied_through FROM link_cursor WHERE peer_node = ?", arguments: [peer.rawValue])
                .map { UInt64($0) }
        }
    }

    /// The unacknowledged outbox rows of the link to `destination`, in order: each event's global
    /// id and the row's purpose.
    public func outbox(to destination: NodeCode) async throws -> [(event: EventID, purpose: OutboxPurpose)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT origin_node, origin_sequence, purpose FROM link_outbox WHERE peer_node = ? ORDER BY sequence",
                             arguments: [destination.rawValue])
                .map { row throws(StoreError) in
                    let origin: String = row[0], purpose: String = row[2], sequence: Int64 = row[1]
                    guard let code = NodeCode(origin), let kind = OutboxPurpose(rawValue: purpose) else {
                        throw StoreError(.corrupt, "bad outbox row \(origin) \(purpose)")
                    }
                    return (EventID(origin: code, sequence: UInt64(sequence)), kind)
                }
        }
    }
}
