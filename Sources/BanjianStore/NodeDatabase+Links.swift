public import BanjianDomain
public import Foundation
import BanjianWire
import GRDB
import SwiftProtobuf

/// One record of a link's outbox, ready to send.
public struct OutboxEntry: Hashable, Sendable {
    /// The link sequence: gapless per peer, from 1.
    public let sequence: UInt64
    /// The record; an event without personal data where the row says so.
    public let payload: LinkPayload
    public let createdAt: Date
}

/// What a link outbox row refers to.
enum OutboxRecord {
    /// A case event of the log, by id.
    case event(EventID, redacted: Bool)
    /// Any other record (a matter version, a holiday year), carried in the row itself.
    case record(LinkPayload)
}

/// What this node's database knows of one link.
public struct LinkLedger: Hashable, Sendable {
    public let peer: NodeCode
    /// The last sequence given to a record for the peer.
    public let lastSequence: UInt64
    /// The highest sequence the peer acknowledged, and when.
    public let ackedThrough: UInt64
    public let ackedAt: Date?
    /// Records not yet acknowledged, and when the oldest of them was made.
    public let outboxDepth: Int
    public let oldestUnacked: Date?
    /// The highest sequence applied here from the peer's outbox, and when.
    public let appliedThrough: UInt64
    public let appliedAt: Date?
}

/// A registered child node: its links are accepted.
public struct ChildNode: Hashable, Sendable {
    public let code: NodeCode
    public let name: String
    public let addedAt: Date
}

extension NodeDatabase {
    /// Up to `limit` records of the link to `peer` after `sequence`, in order.
    /// - Complexity: O(limit) index reads and decodings.
    public func outboxEntries(to peer: NodeCode, after sequence: UInt64, limit: Int) async throws -> [OutboxEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                try db.cachedStatement(sql: """
                    SELECT o.sequence, o.redacted, o.created_at, e.case_number, e.event, o.record
                    FROM link_outbox o LEFT JOIN case_event e ON e.origin_node = o.origin_node AND e.origin_sequence = o.origin_sequence
                    WHERE o.peer_node = ? AND o.sequence > ? ORDER BY o.sequence LIMIT ?
                    """),
                arguments: [peer.rawValue, Int64(clamping: sequence), limit]
            ).map { row in
                let payload: LinkPayload
                if let record = row[5] as Data? {
                    do { payload = try LinkPayload(wire: Banjian_V1_LinkRecord(serializedBytes: record), field: "record") } catch {
                        throw StoreError(.corrupt, "a record in the outbox to \(peer) does not decode: \(error)")
                    }
                } else {
                    let event = try CaseRows.event(row[4], of: row[3])
                    payload = .event(row[1] as Bool ? event.redacted() : event)
                }
                return OutboxEntry(sequence: UInt64(row[0] as Int64), payload: payload, createdAt: Date(storedSeconds: row[2]))
            }
        }
    }

    /// Appends `record` to the link outbox of `peer`, with the link's next sequence.
    static func enqueue(_ record: OutboxRecord, for peer: NodeCode, purpose: OutboxPurpose, at instant: Date, in db: Database) throws {
        let sequence = try Int64.fetchOne(
            try db.cachedStatement(sql: """
                INSERT INTO link_peer (peer_node, last_sequence) VALUES (?, 1)
                ON CONFLICT (peer_node) DO UPDATE SET last_sequence = last_sequence + 1 RETURNING last_sequence
                """),
            arguments: [peer.rawValue]) ?? 0
        switch record {
        case .event(let id, let redacted):
            try db.executeCached(
                sql: "INSERT INTO link_outbox VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                arguments: [peer.rawValue, sequence, purpose.rawValue, id.origin.rawValue, Int64(id.sequence), redacted, instant.storedSeconds])
        case .record(let payload):
            try db.executeCached(
                sql: "INSERT INTO link_outbox VALUES (?, ?, ?, NULL, NULL, 0, ?, ?)",
                arguments: [peer.rawValue, sequence, purpose.rawValue, instant.storedSeconds,
                            try Banjian_V1_LinkRecord(payload).serializedData()])
        }
    }

    /// Appends `payload` to the outbox of every registered child.
    static func enqueueForChildren(_ payload: LinkPayload, purpose: OutboxPurpose, at instant: Date, in db: Database) throws {
        for code in try String.fetchAll(db, sql: "SELECT code FROM child_node ORDER BY code") {
            guard let child = NodeCode(code) else { throw StoreError(.corrupt, "bad child code '\(code)'") }
            try enqueue(.record(payload), for: child, purpose: purpose, at: instant, in: db)
        }
    }

    /// Queues every stored matter version, oldest first, and every published holiday year for a
    /// child just registered; from then on each new version and year is queued for it as it comes.
    static func sendCatalogue(to child: NodeCode, at instant: Date, in db: Database) throws {
        for data in try Data.fetchAll(db, sql: "SELECT record FROM matter ORDER BY rowid") {
            try enqueue(.record(.matter(try CaseRows.decode(Matter.self, data, "a matter"))), for: child, purpose: .catalogue, at: instant, in: db)
        }
        for year in try holidayYears(in: db) {
            try enqueue(.record(.holidayYear(year)), for: child, purpose: .calendar, at: instant, in: db)
        }
    }

    /// Records that `peer` applied its link's records through `sequence`: they leave the outbox.
    /// - Throws: `.failedPrecondition` for an acknowledgement beyond the last record sent.
    public func acknowledge(_ peer: NodeCode, through sequence: UInt64, at instant: Date) async throws {
        try await pool.write { db in
            let last = try Int64.fetchOne(db, sql: "SELECT last_sequence FROM link_peer WHERE peer_node = ?", arguments: [peer.rawValue]) ?? 0
            guard sequence <= UInt64(last) else {
                throw StoreError(.failedPrecondition, "node \(peer) acknowledged sequence \(sequence), beyond the last record \(last)")
            }
            try db.execute(sql: "DELETE FROM link_outbox WHERE peer_node = ? AND sequence <= ?", arguments: [peer.rawValue, Int64(sequence)])
            try db.execute(
                sql: """
                    INSERT INTO link_peer (peer_node, acked_through, acked_at) VALUES (?, ?, ?) ON CONFLICT (peer_node) DO UPDATE SET
                        acked_through = MAX(acked_through, excluded.acked_through), acked_at = excluded.acked_at
                    """,
                arguments: [peer.rawValue, Int64(sequence), instant.storedSeconds])
        }
    }

    /// The link's state as stored: sequences, acknowledgements, outbox depth and age.
    public func linkLedger(of peer: NodeCode) async throws -> LinkLedger {
        try await pool.read { db in
            let state = try Row.fetchOne(db, sql: "SELECT last_sequence, acked_through, acked_at FROM link_peer WHERE peer_node = ?",
                                         arguments: [peer.rawValue])
            let outbox = try Row.fetchOne(db, sql: "SELECT COUNT(*), MIN(created_at) FROM link_outbox WHERE peer_node = ?",
                                          arguments: [peer.rawValue])
            let applied = try Row.fetchOne(db, sql: "SELECT applied_through, updated_at FROM link_cursor WHERE peer_node = ?",
                                           arguments: [peer.rawValue])
            return LinkLedger(
                peer: peer, lastSequence: UInt64(state?[0] as Int64? ?? 0), ackedThrough: UInt64(state?[1] as Int64? ?? 0),
                ackedAt: (state?[2] as Double?).map(Date.init(storedSeconds:)), outboxDepth: outbox?[0] ?? 0,
                oldestUnacked: (outbox?[1] as Double?).map(Date.init(storedSeconds:)),
                appliedThrough: UInt64(applied?[0] as Int64? ?? 0), appliedAt: (applied?[1] as Double?).map(Date.init(storedSeconds:)))
        }
    }

    /// The holiday years published at the top, by year.
    public func holidayYears() async throws -> [HolidayYear] {
        try await pool.read { db in try Self.holidayYears(in: db) }
    }

    static func holidayYears(in db: Database) throws -> [HolidayYear] {
        try Row.fetchAll(db, sql: "SELECT year, update_message FROM holiday_year ORDER BY year").map { row in
            let year: Int = row[0]
            do { return try HolidayYear(wire: Banjian_V1_CalendarUpdate(serializedBytes: row[1] as Data), field: "holiday_year") } catch {
                throw StoreError(.corrupt, "holiday year \(year) does not decode: \(error)")
            }
        }
    }

    /// The children registered in the database, by code.
    public func children() async throws -> [ChildNode] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT code, name, added_at FROM child_node ORDER BY code").map { row in
                let code: String = row[0]
                guard let node = NodeCode(code) else { throw StoreError(.corrupt, "bad child code '\(code)'") }
                return ChildNode(code: node, name: row[1], addedAt: Date(storedSeconds: row[2]))
            }
        }
    }

    /// Registers a child (registering it again renames it); a child new to this node's links is
    /// sent the whole catalogue first.
    public func addChild(_ code: NodeCode, name: String, at instant: Date) async throws {
        try await pool.write { db in
            let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM child_node WHERE code = ?", arguments: [code.rawValue]) ?? false
            try db.execute(sql: "INSERT INTO child_node VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                           arguments: [code.rawValue, name, instant.storedSeconds])
            if !known { try Self.sendCatalogue(to: code, at: instant, in: db) }
        }
    }

    /// Records the name a registered child gives in its Hello, where the register has none.
    public func nameChild(_ code: NodeCode, name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE child_node SET name = ? WHERE code = ? AND name = ''", arguments: [name, code.rawValue])
        }
    }

    /// Registers the children named in the config that are not registered yet (at start).
    public func registerChildren(_ codes: [NodeCode], at instant: Date) async throws {
        try await pool.write { db in
            for code in codes {
                try db.execute(sql: "INSERT INTO child_node VALUES (?, '', ?) ON CONFLICT (code) DO NOTHING",
                               arguments: [code.rawValue, instant.storedSeconds])
                if db.changesCount > 0 { try Self.sendCatalogue(to: code, at: instant, in: db) }
            }
        }
    }

    /// Removes a child from the register; its queued records stay, and it is sent the whole
    /// catalogue again if it is added again.
    /// - Returns: whether it was registered.
    @discardableResult
    public func removeChild(_ code: NodeCode) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM child_node WHERE code = ?", arguments: [code.rawValue])
            return db.changesCount > 0
        }
    }
}
