public import BanjianDomain
import Foundation
import Synchronization

/// Hands committed events to the watchers of their case.
///
/// The writer publishes each durable batch in commit order; a watcher subscribes before reading
/// the log, so it misses nothing, and skips versions it already sent.
public final class CaseEventHub: Sendable {
    private struct State {
        var watchers: [CaseNumber: [UUID: AsyncStream<RecordedEvent>.Continuation]] = [:]
        /// Watchers of the alert journal, woken when a committed batch journaled alerts.
        var alertWatchers: [UUID: AsyncStream<Void>.Continuation] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())
    /// Events buffered per watcher before the oldest are dropped (a watcher that falls this far
    /// behind re-reads the log when it reconnects).
    private let bufferLimit: Int

    public init(bufferLimit: Int = 1024) {
        self.bufferLimit = bufferLimit
    }

    /// A stream of the case's events from now on; it ends when the hub closes or the consumer
    /// stops iterating.
    public func subscribe(_ number: CaseNumber) -> AsyncStream<RecordedEvent> {
        let (stream, continuation) = AsyncStream<RecordedEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferLimit))
        let id = UUID()
        let accepted = state.withLock { state -> Bool in
            guard !state.isClosed else { return false }
            state.watchers[number, default: [:]][id] = continuation
            return true
        }
        guard accepted else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                state.watchers[number]?[id] = nil
                if state.watchers[number]?.isEmpty == true { state.watchers[number] = nil }
            }
        }
        return stream
    }

    /// A stream that yields whenever the alert journal grew (``alertsRaised()``). It ends when the
    /// hub closes or the consumer stops iterating.
    public func subscribeAlerts() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        let accepted = state.withLock { state -> Bool in
            guard !state.isClosed else { return false }
            state.alertWatchers[id] = continuation
            return true
        }
        guard accepted else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.alertWatchers.removeValue(forKey: id) } }
        return stream
    }

    /// Wakes the alert journal's watchers: a committed batch journaled alerts.
    public func alertsRaised() {
        for continuation in state.withLock({ Array($0.alertWatchers.values) }) { continuation.yield() }
    }

    /// Sends events to their case's watchers.
    /// - Complexity: O(events + watchers of those cases).
    public func publish(_ events: [RecordedEvent]) {
        let targets = state.withLock { state in
            events.compactMap { event in state.watchers[event.caseNumber].map { (event, Array($0.values)) } }
        }
        for (event, continuations) in targets {
            for continuation in continuations { continuation.yield(event) }
        }
    }

    /// Ends every stream and refuses new ones (graceful shutdown).
    public func close() {
        let (cases, alerts) = state.withLock { state in
            state.isClosed = true
            defer {
                state.watchers = [:]
                state.alertWatchers = [:]
            }
            return (state.watchers.values.flatMap(\.values), Array(state.alertWatchers.values))
        }
        for continuation in cases { continuation.finish() }
        for continuation in alerts { continuation.finish() }
    }

    /// Watchers now subscribed.
    public var watcherCount: Int {
        state.withLock { $0.watchers.values.reduce($0.alertWatchers.count) { $0 + $1.count } }
    }
}
