public import BanjianDomain
public import Foundation
import GRDB
import Synchronization

extension NodeDatabase {
    /// Stores a published matter version.
    /// - Throws: `.alreadyExists` when that version of the matter exists.
    public func saveMatter(_ matter: Matter) async throws {
        do {
            try await pool.write { db in try Self.insert(matter, at: matter.publishedAt ?? Date(), in: db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.alreadyExists, "matter \(matter.code) version \(matter.version) already exists")
        }
    }

    /// Publishes the next version of matter `code`, built from the latest one (`nil` for a new
    /// matter) by `next`, in one transaction with the request id. A retry of the same request id
    /// returns the version it published and changes nothing.
    /// - Parameters:
    ///   - command: the request's kind (`publish`, `delegate`); a request id reused for another
    ///     command or matter is refused.
    /// - Throws: `.requestIDReused`, or what `next` throws.
    public func publishMatter(code: String, command: String, requestID: String, operatorID: String, at instant: Date,
                              next: @Sendable (_ latest: Matter?) throws -> Matter) async throws -> Matter {
        try await pool.write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT command, matter_code, version FROM catalogue_request WHERE operator_id = ? AND request_id = ?",
                arguments: [operatorID, requestID]) {
                let (earlierCommand, earlierCode, version): (String, String, Int) = (row[0], row[1], row[2])
                guard earlierCommand == command, earlierCode == code else {
                    throw StoreError(.requestIDReused, "request id '\(requestID)' was already used to \(earlierCommand) matter \(earlierCode)")
                }
                guard let earlier = try Self.matter(code: code, version: version, in: db) else {
                    throw StoreError(.corrupt, "matter \(code) version \(version) is missing")
                }
                return earlier
            }
            let published = try next(try Self.matter(code: code, version: nil, in: db))
            try Self.insert(published, at: instant, in: db)
            try db.execute(sql: "INSERT INTO catalogue_request VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [operatorID, requestID, command, code, published.version, instant.storedSeconds])
            return published
        }
    }

    /// One version of a matter (`nil`: the latest), or `nil` when there is none.
    public func matter(code: String, version: Int? = nil) async throws -> Matter? {
        try await pool.read { db in try Self.matter(code: code, version: version, in: db) }
    }

    /// Inserts a matter version's row, and queues it for every registered child: the catalogue
    /// reaches the whole subtree.
    static func insert(_ matter: Matter, at instant: Date, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO matter VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [matter.code, matter.version, matter.department, matter.authority.rawValue, matter.agencyAllowed,
                        try CaseRows.encode(matter)])
        try enqueueForChildren(.matter(matter), purpose: .catalogue, at: instant, in: db)
    }

    static func matter(code: String, version: Int?, in db: Database) throws -> Matter? {
        let data: Data?
        if let version {
            data = try Data.fetchOne(db, sql: "SELECT record FROM matter WHERE code = ? AND version = ?", arguments: [code, version])
        } else {
            data = try Data.fetchOne(db, sql: "SELECT record FROM matter WHERE code = ? ORDER BY version DESC LIMIT 1", arguments: [code])
        }
        return try data.map { data throws(StoreError) in try CaseRows.decode(Matter.self, data, "matter \(code)") }
    }

    /// The latest version of every matter matching `query`, and whether more follow.
    /// - Complexity: one index range scan from `afterCode`, reading at most `limit + 1` matters.
    public func matters(_ query: MatterQuery) async throws -> (matters: [Matter], hasMore: Bool) {
        let limit = max(1, query.limit)
        var conditions = ["version = (SELECT MAX(version) FROM matter WHERE code = m.code)", "code > ?"]
        var arguments: StatementArguments = [query.afterCode ?? ""]
        if let department = query.department {
            conditions.append("department = ?")
            _ = arguments.append(contentsOf: [department])
        }
        if let authority = query.authority {
            conditions.append("authority = ?")
            _ = arguments.append(contentsOf: [authority.rawValue])
        }
        if query.agencyAllowedOnly { conditions.append("agency_allowed = 1") }
        _ = arguments.append(contentsOf: [limit + 1])
        let sql = "SELECT record FROM matter AS m WHERE \(conditions.joined(separator: " AND ")) ORDER BY code LIMIT ?"
        let frozen = arguments
        let rows = try await pool.read { db in try Data.fetchAll(db, sql: sql, arguments: frozen) }
        var matters: [Matter] = []
        for data in rows.prefix(limit) { matters.append(try CaseRows.decode(Matter.self, data, "a matter")) }
        return (matters, rows.count > limit)
    }
}

/// The catalogue as the case log reads it, inside a command's transaction.
///
/// A published version never changes (a new version is a new row), so decoded versions are kept
/// in memory: a command reads only the latest version's number, and decodes a version once.
final class MatterRows: Sendable {
    private let decoded = Mutex<[MatterVersion: Matter]>([:])

    private struct MatterVersion: Hashable {
        let code: String
        let version: Int
    }

    /// The terms of the matter's latest version in force at `instant`.
    /// - Throws: `.notFound` for a matter not in the catalogue, `.failedPrecondition` for a
    ///   withdrawn one; both name `field`.
    /// - Complexity: one index lookup; one decode per version and process.
    func terms(of code: String, at instant: Date, field: String, in db: Database) throws -> MatterTerms {
        guard let row = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT version, record FROM matter WHERE code = ? ORDER BY version DESC LIMIT 1"), arguments: [code])
        else { throw StoreError(.notFound, "\(field): no matter '\(code)' in this node's catalogue") }
        let key = MatterVersion(code: code, version: row[0])
        let matter: Matter
        if let cached = decoded.withLock({ $0[key] }) {
            matter = cached
        } else {
            matter = try CaseRows.decode(Matter.self, row[1], "matter \(code)")
            decoded.withLock { $0[key] = matter }
        }
        if let withdrawn = matter.withdrawnAt, withdrawn <= instant {
            throw StoreError(.failedPrecondition, "\(field): matter '\(code)' (version \(matter.version)) was withdrawn from the catalogue")
        }
        return matter.terms(at: instant)
    }
}
