public import BanjianDomain
import Foundation
import GRDB

/// Petitions and complaints (``Grievance``) in the command's transaction: each change stores the
/// record's new version and derives, from it and the version before, its statistics, its score
/// facts, its alerts, its rungs (at its node) and its copy for the parent.
extension CaseLog {
    /// Registers a petition or complaint, numbered in the daily sequence of this node's cases. A
    /// request id seen before changes nothing.
    func register(_ form: GrievanceForm, command: String, requestID: String?, by actor: Actor, at instant: Date, in db: Database) throws {
        if let requestID, try remembered(requestID, command: command, by: actor, in: db) != nil { return }
        let number = try assignNumber(at: instant, in: db)
        let record = try Grievance(registering: form, number: number, by: actor, at: instant, settings: settings, calendar: machine.calendar)
        try keep(record, previous: nil, at: instant, in: db)
        try remember(requestID, command: command, number: number, by: actor, in: db)
    }

    /// Answers a petition or complaint held here, or records the citizen's opinion. A request id
    /// seen before for the same record changes nothing.
    func answer(_ number: CaseNumber, _ reply: GrievanceReply, command: String, requestID: String?, by actor: Actor, at instant: Date,
                in db: Database) throws {
        if let requestID, let earlier = try remembered(requestID, command: command, by: actor, in: db) {
            guard earlier == number else { throw StoreError(.requestIDReused, "request id '\(requestID)' was already used for \(earlier)") }
            return
        }
        let current = try existing(grievance: number, in: db)
        guard current.node == node else {
            throw StoreError(.failedPrecondition, "\(current.kind.rawValue) \(number) is handled at node \(current.node): only it answers")
        }
        let next = try current.replying(reply, by: actor, at: instant, settings: settings, calendar: machine.calendar)
        try keep(next, previous: current, at: instant, in: db)
        try remember(requestID, command: command, number: number, by: actor, in: db)
    }

    /// Records that a rung of a reply clock fired; a complaint past its limit below a county
    /// escalates to it.
    func fireGrievanceRung(_ number: CaseNumber, _ key: RungKey, at instant: Date, in db: Database) throws {
        let current = try existing(grievance: number, in: db)
        guard current.node == node else { throw StoreError(.failedPrecondition, "\(number) is handled at node \(current.node): only it fires its rungs") }
        let next = try current.firing(key, at: instant, escalatingTo: node.county)
        try CaseRows.insertFiredRung(key, of: number.description, at: instant, sequence: Int64(next.version), in: db)
        try keep(next, previous: current, at: instant, in: db)
    }

    /// Keeps a child's copy when it is newer than the one here.
    func applyPeer(_ grievance: Grievance, at instant: Date, in db: Database) throws {
        let current = try NodeDatabase.grievance(grievance.number, in: db)
        if let current, current.version >= grievance.version { return }
        if let current, !grievance.isSuccessor(of: current) {
            throw StoreError(.permissionDenied, "version \(grievance.version) of \(grievance.kind.rawValue) \(grievance.number) changes what version \(current.version) fixed")
        }
        try keep(grievance, previous: current, at: instant, in: db)
    }

    /// Re-projects the rungs of the reply clocks this node runs through the calendar as it stands:
    /// after a calendar change, and in a rebuild.
    /// - Complexity: one record read per petition or complaint of this node waiting for its answer.
    func reprojectGrievanceRungs(in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT number, record FROM grievance WHERE node = ?
              AND (json_extract(CAST(record AS TEXT), '$.petition._0.state') = 'registered'
                   OR json_extract(CAST(record AS TEXT), '$.complaint._0.state') IN ('registered', 'rehandling', 'escalated'))
            """, arguments: [node.rawValue])
        for row in rows { try writeRungs(of: try CaseRows.decode(Grievance.self, row[1], "petition or complaint \(row[0] as String)"), in: db) }
    }

    // MARK: Parts

    private func existing(grievance number: CaseNumber, in db: Database) throws -> Grievance {
        guard let record = try NodeDatabase.grievance(number, in: db) else { throw StoreError(.notFound, "no petition or complaint \(number)") }
        return record
    }

    /// Stores `record` and everything derived from the change since `previous`.
    private func keep(_ record: Grievance, previous: Grievance?, at instant: Date, in db: Database) throws {
        try db.executeCached(
            sql: """
                INSERT INTO grievance VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO UPDATE SET
                    version = excluded.version, record = excluded.record
                """,
            arguments: [record.number.description, record.kind.rawValue, record.node.rawValue, Int64(record.version),
                        record.receivedAt.storedSeconds, try CaseRows.encode(record)])
        let zone = machine.calendar.zone
        // A version follows the one before (isSuccessor), so the row stays and only counters grow.
        let (key, counters) = record.tally(zone: zone)
        let earlierCounters = previous?.tally(zone: zone).counters ?? []
        if counters != earlierCounters {
            try StatisticsRows.add(StatisticsFigures(counters) - StatisticsFigures(earlierCounters), to: key, handlerName: "", matterName: "", in: db)
        }
        let earlier = Set(previous?.scoreFacts ?? [])
        for fact in record.scoreFacts where !earlier.contains(fact) {
            try ScoreFactRows.insert(fact, zone: zone, in: db)
        }
        for alert in record.alerts(since: previous) {
            let key: RungKey? = if case .rung(let key) = alert { key } else { nil }
            try AlertRows.insert(.grievance(record.number, version: record.version), rung: key, kind: alert.journalKind, raisedAt: instant, in: db)
        }
        if record.node == node { try writeRungs(of: record, in: db) }
        if let parent {
            try NodeDatabase.enqueue(.record(.grievance(record.redacted)), for: parent, purpose: .supervisionCopy, at: instant, in: db)
        }
    }

    /// Replaces the record's rows in `pending_rung` with its reply clock's rungs still to fire.
    private func writeRungs(of record: Grievance, in db: Database) throws {
        let rungs = record.replyClock.map { clock in
            settings.ladder.pendingRungs(of: clock, fired: record.firedRungs, calendar: machine.calendar)
                .map { PendingRung(caseNumber: record.number, key: $0.key, fireAt: $0.fireAt.instant) }
        } ?? []
        try CaseRows.replacePendingRungs(of: record.number.description, with: rungs, in: db)
    }

    /// The record a request id named, after checking it named the same command.
    private func remembered(_ requestID: String, command: String, by actor: Actor, in db: Database) throws -> CaseNumber? {
        guard let row = try Row.fetchOne(db, sql: "SELECT command, number FROM grievance_request WHERE operator_id = ? AND request_id = ?",
                                         arguments: [actor.operatorID, requestID])
        else { return nil }
        guard row["command"] as String == command else {
            throw StoreError(.requestIDReused, "request id '\(requestID)' was already used for '\(row["command"] as String)'")
        }
        return CaseNumber(row["number"] as String)
    }

    private func remember(_ requestID: String?, command: String, number: CaseNumber, by actor: Actor, in db: Database) throws {
        guard let requestID else { return }
        try db.execute(sql: "INSERT INTO grievance_request VALUES (?, ?, ?, ?)", arguments: [actor.operatorID, requestID, command, number.description])
    }
}

extension NodeDatabase {
    /// The petition or complaint `number`, as kept here (a copy from below has its citizen removed).
    static func grievance(_ number: CaseNumber, in db: Database) throws -> Grievance? {
        guard let data = try Data.fetchOne(db, sql: "SELECT record FROM grievance WHERE number = ?", arguments: [number.description]) else { return nil }
        return try CaseRows.decode(Grievance.self, data, "petition or complaint \(number)")
    }

    /// The petition or complaint `number`.
    public func grievance(_ number: CaseNumber) async throws -> Grievance? {
        try await pool.read { db in try Self.grievance(number, in: db) }
    }

    /// The petition or complaint the operator's request id named.
    public func grievance(operatorID: String, requestID: String) async throws -> Grievance? {
        try await pool.read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT number FROM grievance_request WHERE operator_id = ? AND request_id = ?",
                                                 arguments: [operatorID, requestID]),
                  let number = CaseNumber(text)
            else { return nil }
            return try Self.grievance(number, in: db)
        }
    }

    /// Every petition and complaint kept here: what a recount adds to the statistics and facts.
    static func grievances(in db: Database) throws -> [Grievance] {
        try Row.fetchAll(db, sql: "SELECT number, record FROM grievance ORDER BY number").map { row in
            try CaseRows.decode(Grievance.self, row[1], "petition or complaint \(row[0] as String)")
        }
    }
}
