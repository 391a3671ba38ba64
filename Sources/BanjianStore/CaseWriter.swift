import BanjianDomain
public import Logging
public import ServiceLifecycle
import GRDB
import Synchronization

extension CaseWrite {
    /// Whether the command changes a petition or complaint handled here, whose rungs may move.
    var movesGrievanceRungs: Bool {
        switch change {
        case .registerGrievance, .replyGrievance: true
        case .fireRung(_, let key): Grievance.Kind(clock: key.clock) != nil
        default: false
        }
    }

    /// Whether the command may journal an alert that no case event's actions name: a link alert,
    /// or one of a petition or complaint (here or in a copy from below).
    var mayJournalAlert: Bool {
        switch change {
        case .raiseLinkAlert, .applyPeerLinkAlert, .applyPeerGrievance: true
        default: movesGrievanceRungs
        }
    }
}

/// The one writer of the case log, with group commit: commands submitted while a transaction
/// is committing wait, and then commit together in the next transaction, sharing its fsync.
///
/// Each command runs in its own savepoint inside the batch's transaction, so a command that
/// fails (an illegal transition, a stale version) changes nothing and does not disturb the
/// others. A submitter's result is returned only after the transaction is durable.
///
/// ``run()`` is the writer loop; run it in the node's `ServiceGroup` (before the services that
/// submit, so it stops after them). On graceful shutdown it commits what is queued and stops;
/// later submissions fail with `.unavailable`.
public final class CaseWriter: Service, Sendable {
    /// Commands that commit together or not at all: one for a staff command, a whole batch for a
    /// federation link.
    private struct Job {
        var writes: [CaseWrite]
        var continuation: CheckedContinuation<Result<[CaseWriteResult], StoreError>, Never>
    }

    private struct State {
        var queue: [Job] = []
        /// The loop, while it waits for work.
        var idle: CheckedContinuation<Void, Never>?
        var stopping = false
    }

    private let database: NodeDatabase
    private let log: CaseLog
    private let maximumBatch: Int
    private let logger: Logger
    /// Where each durable batch's results go.
    public let feed: CommitFeed
    private let state = Mutex(State())

    /// - Parameters:
    ///   - database: Where to write.
    ///   - log: How commands become rows.
    ///   - maximumBatch: The most commands in one transaction.
    ///   - logger: Where failed commits are logged.
    ///   - feed: Gets each durable batch's new results, in commit order, before any of their
    ///     submitters resumes: the node reschedules rungs and feeds watchers there.
    public init(database: NodeDatabase, log: CaseLog, maximumBatch: Int = 256, logger: Logger, feed: CommitFeed = CommitFeed()) {
        self.database = database
        self.log = log
        self.maximumBatch = max(1, maximumBatch)
        self.logger = logger
        self.feed = feed
    }

    /// Queues a command and returns its result once it is durable.
    /// - Throws: `StoreError`: the command's own error, or `.unavailable` when the writer has
    ///   stopped or the commit failed.
    public func submit(_ write: CaseWrite) async throws(StoreError) -> CaseWriteResult {
        guard let result = try await submitAll([write]).first else { throw StoreError(.unavailable, "no result") }
        return result
    }

    /// Queues commands that commit in one savepoint, in order: all of them or none (the first
    /// error is thrown). A federation link applies a batch this way, with the peer's cursor.
    /// - Returns: the results of the case commands (a matter version has none).
    public func submitAll(_ writes: [CaseWrite]) async throws(StoreError) -> [CaseWriteResult] {
        guard !writes.isEmpty else { return [] }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[CaseWriteResult], StoreError>, Never>) in
            let outcome = state.withLock { state -> (accepted: Bool, wake: CheckedContinuation<Void, Never>?) in
                guard !state.stopping else { return (false, nil) }
                state.queue.append(Job(writes: writes, continuation: continuation))
                defer { state.idle = nil }
                return (true, state.idle)
            }
            if !outcome.accepted {
                continuation.resume(returning: .failure(StoreError(.unavailable, "the node is shutting down")))
            }
            outcome.wake?.resume()
        }
        return try result.get()
    }

    /// Commits queued commands in batches until graceful shutdown or cancellation.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                while let batch = await nextBatch() { await commit(batch) }
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            self.stop()
        }
    }

    private func stop() {
        let idle = state.withLock { state in
            state.stopping = true
            defer { state.idle = nil }
            return state.idle
        }
        idle?.resume()
    }

    /// The next batch, waiting while the queue is empty; `nil` once stopping with nothing queued.
    private func nextBatch() async -> [Job]? {
        while true {
            let batch = state.withLock { state -> [Job]? in
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                return batch.isEmpty && state.stopping ? nil : batch
            }
            guard let batch else { return nil }
            if !batch.isEmpty { return batch }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = state.withLock { state -> Bool in
                    guard state.queue.isEmpty, !state.stopping else { return false }
                    state.idle = continuation
                    return true
                }
                if !waits { continuation.resume() }
            }
        }
    }

    /// Commits one batch in one transaction, each command in its own savepoint.
    private func commit(_ batch: [Job]) async {
        let jobs = batch.map(\.writes)
        let log = self.log
        var results: [Result<[CaseWriteResult], StoreError>]
        do {
            results = try await database.pool.write { db in
                jobs.map { writes in
                    var result: Result<[CaseWriteResult], StoreError> = .failure(StoreError(.unavailable, "not run"))
                    do {
                        try db.inSavepoint {
                            result = .success(try writes.compactMap { write throws(StoreError) in try log.execute(write, in: db) })
                            return .commit
                        }
                    } catch let error as StoreError {
                        log.discardCachedProjections()
                        result = .failure(error)
                    } catch {
                        log.discardCachedProjections()
                        result = .failure(StoreError(.unavailable, "database: \(error)"))
                    }
                    return result
                }
            }
        } catch {
            log.discardCachedProjections()
            logger.error("case log commit failed", metadata: ["batch.size": "\(batch.count)", "error": "\(error)"])
            results = batch.map { _ in .failure(StoreError(.unavailable, "the commit failed: \(error)")) }
        }
        let committed = results.flatMap { (try? $0.get()) ?? [] }.filter { !$0.isReplay }
        feed.publish(committed)
        let committedWrites = zip(jobs, results).filter { (try? $1.get()) != nil }.flatMap(\.0)
        if !committedWrites.isEmpty { feed.publish(.committed) }
        if committed.contains(where: { $0.actions.contains(where: \.raisesAlert) }) || committedWrites.contains(where: \.mayJournalAlert) {
            feed.publish(.alertsJournaled)
        }
        if committedWrites.contains(where: { if case .loadHolidayYear = $0.change { true } else { false } }) { feed.publish(.calendarChanged) }
        if committedWrites.contains(where: \.movesGrievanceRungs) { feed.publish(.grievanceRungsChanged) }
        for (job, result) in zip(batch, results) { job.continuation.resume(returning: result) }
    }
}
