public import GRDB

/// A node's own SQLite database: cases, their event log, the outbox, request ids, operators, the
/// matter catalogue and the deadline tables.
///
/// One `DatabasePool` in WAL mode with `synchronous = FULL`, so a committed transaction survives
/// power loss; reads run concurrently with the one writer. Writes of cases go through
/// ``CaseWriter``, which commits concurrent commands together; the methods here read, or write
/// the small tables that change rarely (operators, matters).
public struct NodeDatabase: Sendable {
    /// The pool; readers use it directly, ``CaseWriter`` writes through it.
    public let pool: DatabasePool
    /// Where the database lives.
    public let path: String

    /// Opens (creating if needed) the database at `path` and runs every pending migration.
    /// - Throws: `StoreError` when the file cannot be opened or migrated.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // FULL: the WAL is fsynced at every commit, so an acknowledged write survives power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError(.unavailable, "cannot open database \(path): \(error)")
        }
        self.path = path
    }

    /// The names of the migrations applied to this database, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// The pragmas that make writes durable, as SQLite reports them: (journal mode, synchronous).
    public func durability() async throws -> (journalMode: String, synchronous: Int) {
        try await pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
             try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }

    /// Closes every connection. The node that owns the file checkpoints the WAL into it first
    /// (`checkpointing`); a tool that works beside a running node (`banjian operator`) does not,
    /// so that it never blocks the node's writer or resets the WAL under its readers.
    public func close(checkpointing: Bool = true) throws {
        if checkpointing { try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
        try pool.close()
    }
}
