import BanjianDomain
import Foundation
import BanjianWire
import GRDB

/// The rows of `case_projection` (records as JSON), `case_event` (events in protobuf), with the
/// columns that queries filter on, and of `pending_rung` and `fired_rung`.
enum CaseRows {
    /// The columns ``pendingRung(_:)`` reads, in order.
    static let pendingRungColumns = "case_number, clock, rung, epoch, fire_at"

    /// A `pending_rung` row, selected as ``pendingRungColumns``.
    static func pendingRung(_ row: Row) throws -> PendingRung {
        let number: String = row[0], clock: String = row[1], rung: String = row[2]
        guard let caseNumber = CaseNumber(number), let clockKind = ClockKind(rawValue: clock), let rungKind = RungKind(rawValue: rung)
        else { throw StoreError(.corrupt, "bad pending rung \(number) \(clock) \(rung)") }
        return PendingRung(caseNumber: caseNumber, key: RungKey(clock: clockKind, rung: rungKind, epoch: row[3]), fireAt: Date(storedSeconds: row[4]))
    }

    /// Replaces the `pending_rung` rows of case, petition or complaint `number` with `rungs`.
    static func replacePendingRungs(of number: String, with rungs: [PendingRung], in db: Database) throws {
        try db.executeCached(sql: "DELETE FROM pending_rung WHERE case_number = ?", arguments: [number])
        for rung in rungs {
            try db.executeCached(
                sql: "INSERT INTO pending_rung VALUES (?, ?, ?, ?, ?)",
                arguments: [number, rung.key.clock.rawValue, rung.key.rung.rawValue, rung.key.epoch, rung.fireAt.storedSeconds])
        }
    }

    /// Records in `fired_rung` that rung `key` of `number` fired at `instant`, by the event (or the
    /// petition's or complaint's version) `sequence`: its key refuses a second fire.
    static func insertFiredRung(_ key: RungKey, of number: String, at instant: Date, sequence: Int64, in db: Database) throws {
        try db.executeCached(sql: "INSERT INTO fired_rung VALUES (?, ?, ?, ?, ?, ?)",
                             arguments: [number, key.clock.rawValue, key.rung.rawValue, key.epoch, instant.storedSeconds, sequence])
    }
    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try StreamingJSONEncoder().encode(value)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ data: Data, _ what: String) throws(StoreError) -> Value {
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw StoreError(.corrupt, "\(what) does not decode: \(error)")
        }
    }

    /// The case's projection, or `nil` when there is no such case.
    static func record(_ number: CaseNumber, in db: Database) throws -> CaseRecord? {
        guard let data = try Data.fetchOne(
            try db.cachedStatement(sql: "SELECT record FROM case_projection WHERE number = ?"), arguments: [number.description])
        else { return nil }
        return try decode(CaseRecord.self, data, "case \(number)")
    }

    /// Inserts or replaces the projection of `record`.
    static func saveProjection(_ record: CaseRecord, in db: Database) throws {
        // Overdue (超期) on the case's own limits; a 督办 order's or a follow-up's breach is not the case's.
        let overdue = record.breached.contains { [.promised, .statutory].contains($0) && record.clocks[$0]?.isRunning == true }
        try db.executeCached(
            sql: """
                INSERT INTO case_projection VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (number) DO UPDATE SET
                    holder_node = excluded.holder_node, state = excluded.state, kind = excluded.kind,
                    handler_operator_id = excluded.handler_operator_id, overdue = excluded.overdue,
                    updated_at = excluded.updated_at, version = excluded.version, record = excluded.record
                """,
            arguments: [
                record.number.description, record.holder.rawValue, record.state.name.rawValue, record.kind?.rawValue,
                record.matter.code, record.assignment?.handler.operatorID, overdue,
                record.receivedAt.storedSeconds, record.updatedAt.storedSeconds,
                Int64(record.version), try encode(record),
            ])
    }

    /// Appends the event in the wire contract's protobuf encoding, with the columns queries use.
    static func appendEvent(_ event: RecordedEvent, in db: Database) throws {
        try db.executeCached(
            sql: "INSERT INTO case_event VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                event.id.origin.rawValue, Int64(event.id.sequence), event.caseNumber.description,
                Int64(event.caseVersion), event.event.name.rawValue, event.occurredAt.storedSeconds,
                try event.protobufEncoded(),
            ])
    }

    /// The event with global id `id`, if this node has it.
    static func event(_ id: EventID, in db: Database) throws -> RecordedEvent? {
        guard let row = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT \(eventColumns) FROM case_event WHERE origin_node = ? AND origin_sequence = ?"),
            arguments: [id.origin.rawValue, Int64(clamping: id.sequence)])
        else { return nil }
        return try event(row)
    }

    /// The columns ``event(_:)`` reads.
    static let eventColumns = "case_number, event"

    /// A `case_event` row, selected as ``eventColumns``: the event decoded from its protobuf
    /// encoding (``RecordedEvent/protobufEncoded()``).
    static func event(_ row: Row) throws -> RecordedEvent {
        try event(row[1], of: row[0])
    }

    /// An event from its stored protobuf encoding.
    static func event(_ bytes: Data, of number: String) throws -> RecordedEvent {
        do { return try RecordedEvent(protobufEncoded: bytes) } catch {
            throw StoreError(.corrupt, "an event of case \(number) does not decode: \(error)")
        }
    }

    /// Events of a case with `case_version > version`, oldest first.
    static func events(of number: CaseNumber, after version: UInt64, limit: Int, in db: Database) throws -> [RecordedEvent] {
        try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT \(eventColumns) FROM case_event WHERE case_number = ? AND case_version > ? ORDER BY case_version LIMIT ?"),
            arguments: [number.description, Int64(clamping: version), limit]
        ).map(event)
    }
}

extension Date {
    /// How instants are stored: seconds since 2001-01-01 00:00 UTC, Foundation's own reference,
    /// so a stored instant reads back bit for bit.
    var storedSeconds: Double { timeIntervalSinceReferenceDate }

    init(storedSeconds: Double) { self.init(timeIntervalSinceReferenceDate: storedSeconds) }
}

extension Database {
    /// Executes a statement prepared once per connection and reused: the case log runs the same
    /// few statements for every command.
    func executeCached(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
