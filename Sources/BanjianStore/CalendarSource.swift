public import BanjianDomain
import Synchronization

/// The node's working calendar as it stands: the config's, with the holiday years published at
/// the top loaded over it. A published year replaces it while the node runs (in the transaction
/// that re-projects the live deadlines); every reader sees the new calendar from then on.
public final class CalendarSource: Sendable {
    private let calendar: Mutex<WorkingCalendar>

    public init(_ calendar: WorkingCalendar) {
        self.calendar = Mutex(calendar)
    }

    public var current: WorkingCalendar { calendar.withLock { $0 } }

    func replace(with calendar: WorkingCalendar) { self.calendar.withLock { $0 = calendar } }
}
