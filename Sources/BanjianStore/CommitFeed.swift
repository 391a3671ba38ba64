import Synchronization

/// The one place committed results go: the case writer publishes each durable batch here, in
/// commit order, and every subscriber (the deadline driver, the watch hub, the log, later the
/// link relay) is called with it before any submitter of the batch resumes.
///
/// Subscribers run on the writer's task and must not block: they hand work on, they decide
/// nothing (every decision was made in the transaction).
public final class CommitFeed: Sendable {
    public typealias Subscriber = @Sendable ([CaseWriteResult]) -> Void

    /// What a committed batch did besides its case results.
    public enum Signal: Hashable, Sendable {
        /// Something committed: the links may have records to send.
        case committed
        /// Alerts may have been journaled: by a case event's actions, a link alert, or a petition's
        /// or complaint's change.
        case alertsJournaled
        /// A holiday year was loaded and the stored deadlines re-projected.
        case calendarChanged
        /// A petition or complaint handled here changed: its rungs.
        case grievanceRungsChanged
    }

    private let subscribers = Mutex<[Subscriber]>([])
    private let signalSubscribers = Mutex<[Signal: [@Sendable () -> Void]]>([:])

    public init() {}

    /// Adds a subscriber; subscribers are called in the order they subscribed.
    public func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.withLock { $0.append(subscriber) }
    }

    /// Adds a subscriber told after a committed batch gave `signal`.
    public func subscribe(to signal: Signal, _ subscriber: @escaping @Sendable () -> Void) {
        signalSubscribers.withLock { $0[signal, default: []].append(subscriber) }
    }

    /// Tells the subscribers of `signal` that a committed batch gave it.
    public func publish(_ signal: Signal) {
        for subscriber in signalSubscribers.withLock({ $0[signal] ?? [] }) { subscriber() }
    }

    /// Hands a durable batch's new results to every subscriber.
    /// - Complexity: O(subscribers) calls.
    public func publish(_ results: [CaseWriteResult]) {
        guard !results.isEmpty else { return }
        for subscriber in subscribers.withLock({ $0 }) { subscriber(results) }
    }
}
