import BanjianDomain
import Foundation
import SwiftProtobuf

// Conversions of deadline clocks and rungs (clock.proto), projected through the calendar.

extension Banjian_V1_Clock {
    /// A clock as seen at `now`: its budget, consumption, due instant and ledger; without a
    /// calendar, as stored (the budget and the ledger only), as a link copies it.
    init(_ clock: DeadlineClock, calendar: WorkingCalendar?, now: Date) {
        self.init()
        kind = Mappings.clock.wire(clock.kind)
        measure = Mappings.measure.wire(clock.measure)
        epoch = UInt32(clamping: clock.epoch)
        switch clock.status {
        case .running: state = .running
        case .paused: state = .paused
        case .stopped: state = .stopped
        }
        switch clock.measure {
        case .workingTime: budgetWorkingMinutes = clock.budgetSeconds / 60
        case .elapsedTime: budgetDuration = Google_Protobuf_Duration(seconds: clock.budgetSeconds)
        }
        if let calendar {
            let consumedSeconds = clock.consumedSeconds(at: now, calendar: calendar)
            switch clock.measure {
            case .workingTime: consumedWorkingMinutes = consumedSeconds / 60
            case .elapsedTime: consumedDuration = Google_Protobuf_Duration(seconds: consumedSeconds)
            }
            if let due = clock.due(calendar: calendar) {
                dueAt = Google_Protobuf_Timestamp(due.instant)
                provisional = due.provisional
            }
        }
        ledger = clock.ledger.map { entry in
            var wire = Banjian_V1_ClockLedgerEntry()
            wire.at = Google_Protobuf_Timestamp(entry.at)
            func amount(_ seconds: Int64) {
                if clock.measure == .workingTime {
                    wire.amountWorkingMinutes = seconds / 60
                } else {
                    wire.amountDuration = Google_Protobuf_Duration(seconds: seconds)
                }
            }
            switch entry.change {
            case .start(let budget):
                wire.change = .start
                amount(budget)
            case .pause(let reason):
                wire.change = .pause
                wire.reason = reason
            case .resume:
                wire.change = .resume
            case .extend(let seconds, let approver, let reason):
                wire.change = .extend
                amount(seconds)
                wire.reason = approver.isEmpty ? reason : "\(reason) (\(approver))"
            case .restart(let budget):
                wire.change = .restart
                amount(budget)
            case .stop:
                wire.change = .stop
            }
            return wire
        }
    }
}

extension Banjian_V1_Rung {
    init(key: RungKey, fireAt: Date?, fired: Bool) {
        self.init()
        kind = Mappings.rung.wire(key.rung)
        clockKind = Mappings.clock.wire(key.clock)
        if let fireAt { self.fireAt = Google_Protobuf_Timestamp(fireAt) }
        self.fired = fired
        epoch = UInt32(clamping: key.epoch)
    }
}
