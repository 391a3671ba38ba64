public import BanjianDomain
public import Foundation
import GRDB

/// A member of staff allowed to call the node, found by the hash of their token.
public struct OperatorAccount: Hashable, Sendable {
    public let id: String
    public let name: String
    public let role: Role

    public init(id: String, name: String, role: Role) {
        self.id = id
        self.name = name
        self.role = role
    }
}

extension NodeDatabase {
    /// Registers an operator with the SHA-256 of their bearer token (the token itself is never
    /// stored).
    /// - Throws: `.alreadyExists` when the id or the token is taken.
    public func addOperator(_ account: OperatorAccount, tokenSHA256: Data, at instant: Date) async throws {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO operator VALUES (?, ?, ?, ?, ?)",
                    arguments: [account.id, account.name, account.role.rawValue, tokenSHA256, instant.storedSeconds])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.alreadyExists, "operator '\(account.id)' or its token already exists")
        }
    }

    /// The operator whose token has this SHA-256, or `nil`.
    public func operatorAccount(tokenSHA256: Data) async throws -> OperatorAccount? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT id, name, role FROM operator WHERE token_sha256 = ?", arguments: [tokenSHA256])
            else { return nil }
            guard let role = Role(rawValue: row[2]) else { throw StoreError(.corrupt, "operator \(row[0] as String) has a bad role") }
            return OperatorAccount(id: row[0], name: row[1], role: role)
        }
    }

    /// Every operator, by id.
    public func operators() async throws -> [OperatorAccount] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, role FROM operator ORDER BY id").compactMap { row in
                Role(rawValue: row[2]).map { OperatorAccount(id: row[0], name: row[1], role: $0) }
            }
        }
    }
}
