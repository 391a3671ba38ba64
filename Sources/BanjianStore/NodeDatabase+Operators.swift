public import BanjianDomain
public import Foundation
import GRDB

/// A member of staff allowed to call the node, found by the hash of their token.
public struct OperatorAccount: Hashable, Sendable {
    public let id: String
    public let name: String
    public let role: Role
    /// When the operator's token was revoked; `nil` while it works.
    public let revokedAt: Date?

    public init(id: String, name: String, role: Role, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.revokedAt = revokedAt
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
                    sql: "INSERT INTO operator (id, name, role, token_sha256, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [account.id, account.name, account.role.rawValue, tokenSHA256, instant.storedSeconds])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.alreadyExists, "operator '\(account.id)' or its token already exists")
        }
    }

    /// The operator whose token has this SHA-256, or `nil` (also once the operator is revoked).
    public func operatorAccount(tokenSHA256: Data) async throws -> OperatorAccount? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, role, revoked_at FROM operator WHERE token_sha256 = ? AND revoked_at IS NULL",
                arguments: [tokenSHA256]
            ).map(Self.account)
        }
    }

    /// Every operator, revoked ones included, by id.
    public func operators() async throws -> [OperatorAccount] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, role, revoked_at FROM operator ORDER BY id").map(Self.account)
        }
    }

    /// Revokes an operator: their token stops working (at once for a node that has not cached it,
    /// within ``OperatorDirectory``'s cache age for one that has). The row stays, for the audit
    /// trail. Revoking a revoked operator changes nothing.
    /// - Returns: the account, with the instant of its revocation.
    /// - Throws: `.notFound` for an unknown id.
    public func revokeOperator(id: String, at instant: Date) async throws -> OperatorAccount {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, name, role, revoked_at FROM operator WHERE id = ?", arguments: [id]) else {
                throw StoreError(.notFound, "no operator '\(id)'")
            }
            let account = try Self.account(row)
            if account.revokedAt != nil { return account }
            try db.execute(sql: "UPDATE operator SET revoked_at = ? WHERE id = ?", arguments: [instant.storedSeconds, id])
            return OperatorAccount(id: account.id, name: account.name, role: account.role, revokedAt: instant)
        }
    }

    private static func account(_ row: Row) throws -> OperatorAccount {
        guard let role = Role(rawValue: row[2]) else { throw StoreError(.corrupt, "operator \(row[0] as String) has a bad role") }
        return OperatorAccount(id: row[0], name: row[1], role: role, revokedAt: (row[3] as Double?).map(Date.init(storedSeconds:)))
    }
}
