public import BanjianDomain
public import BanjianStore
import BanjianWire
import Crypto
public import Foundation
public import GRPCCore
import Synchronization

/// Finds the operator behind a bearer token, for every RPC.
///
/// Tokens are stored only as SHA-256 hashes. An account once found is cached for
/// `maximumAge` of the node's clock, so a call costs one hash and one dictionary lookup, and a
/// revoked token (`banjian operator revoke`) stops working within `maximumAge`; a token never
/// used before is checked in the database at once.
public final class OperatorDirectory: Sendable {
    private struct Entry {
        var account: OperatorAccount
        var checkedAt: Date
    }

    private let database: NodeDatabase
    private let node: NodeCode
    private let maximumAge: TimeInterval
    private let now: @Sendable () -> Date
    private let cache = Mutex<[Data: Entry]>([:])

    /// - Parameters:
    ///   - maximumAge: How long a found account is trusted before the database is asked again.
    ///   - now: The node's clock.
    public init(database: NodeDatabase, node: NodeCode, maximumAge: TimeInterval = 10, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.node = node
        self.maximumAge = maximumAge
        self.now = now
    }

    /// The SHA-256 of a token, as stored.
    public static func hash(token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    /// A new random token: `bjt_` and 32 bytes from the system's secure generator, base64url
    /// without padding. The prefix names it for secret scanners and keeps it from starting with
    /// '-', which a command line would take for an option (`--token -x…`).
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "bjt_" + Data(bytes).base64URLEncodedString()
    }

    /// The actor making a call, from its `authorization: Bearer <token>` metadata.
    /// - Parameter allowed: the roles the RPC admits (`nil`: any operator).
    /// - Throws: `RPCError` UNAUTHENTICATED without a known token, PERMISSION_DENIED for a role
    ///   the RPC does not admit.
    public func actor(for metadata: Metadata, allowed: Set<Role>? = nil) async throws -> Actor {
        guard let header = metadata[stringValues: "authorization"].first(where: { _ in true }) else {
            throw RPCError(code: .unauthenticated, message: "missing 'authorization: Bearer <token>' metadata")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), header.utf8.count <= 512 else {
            throw RPCError(code: .unauthenticated, message: "the authorization metadata must be 'Bearer <token>'")
        }
        let hash = Self.hash(token: String(header.dropFirst(prefix.count)))
        let instant = now()
        var account = cache.withLock { cache -> OperatorAccount? in
            guard let entry = cache[hash] else { return nil }
            let age = instant.timeIntervalSince(entry.checkedAt)
            return age >= 0 && age < maximumAge ? entry.account : nil
        }
        if account == nil {
            account = try await database.operatorAccount(tokenSHA256: hash)
            cache.withLock { $0[hash] = account.map { Entry(account: $0, checkedAt: instant) } }
        }
        guard let account else { throw RPCError(code: .unauthenticated, message: "unknown or revoked token") }
        if let allowed, !allowed.contains(account.role) {
            throw RPCError(code: .permissionDenied, message: "role \(account.role.rawValue) may not call this method")
        }
        return Actor(operatorID: account.id, name: account.name, role: account.role, node: node)
    }
}
