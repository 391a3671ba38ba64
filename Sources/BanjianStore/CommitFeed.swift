import Synchronization

/// The one place committed results go: the case writer publishes each durable batch here, in
/// commit order, and every subscriber (the deadline driver, the watch hub, the log, later the
/// link relay) is called with it before any submitter of the batch resumes.
///
/// Subscribers run on the writer's task and must not block: they hand work on, they decide
/// nothing (every decision was made in the transaction).
public final class CommitFeed: Sendable {
    public typealias Subscriber = @Sendable ([CaseWriteResult]) -> Void

    private let subscribers = Mutex<[Subscriber]>([])
    private let calendarSubscribers = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    /// Adds a subscriber; subscribers are called in the order they subscribed.
    public func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.withLock { $0.append(subscriber) }
    }

    /// Adds a subscriber told after a committed batch changed the calendar (a holiday year was
    /// loaded and the stored deadlines re-projected).
    public func subscribeCalendarChanges(_ subscriber: @escaping @Sendable () -> Void) {
        calendarSubscribers.withLock { $0.append(subscriber) }
    }

    /// Tells the calendar subscribers that a committed batch changed the calendar.
    public func publishCalendarChange() {
        for subscriber in calendarSubscribers.withLock({ $0 }) { subscriber() }
    }

    /// Hands a durable batch's new results to every subscriber.
    /// - Complexity: O(subscribers) calls.
    public func publish(_ results: [CaseWriteResult]) {
        guard !results.isEmpty else { return }
        for subscriber in subscribers.withLock({ $0 }) { subscriber(results) }
    }
}
