public import Foundation

/// 咨询登记: a citizen's question answered at a window, by phone or online, that is not a case.
/// The centres report their consultations beside their cases (domain.md §6.3); each travels up
/// to every ancestor and counts in the statistics on its day.
public struct Consultation: Hashable, Sendable {
    /// `<node>-<yyyymmdd>-<6-digit daily sequence>`.
    public var number: String
    public var node: NodeCode
    public var channel: Channel
    /// What was asked (≤ 1000 chars).
    public var topic: String
    /// The matter asked about, if any.
    public var matterCode: String
    /// The window that answered, if any.
    public var department: String
    public var answeredBy: Actor
    public var at: Date

    public init(number: String, node: NodeCode, channel: Channel, topic: String, matterCode: String, department: String,
                answeredBy: Actor, at: Date) {
        self.number = number
        self.node = node
        self.channel = channel
        self.topic = topic
        self.matterCode = matterCode
        self.department = department
        self.answeredBy = answeredBy
        self.at = at
    }

    /// The statistics row it counts in: its day, node, window, the operator who answered, its matter.
    public func statisticsKey(zone: CalendarZone) -> CaseTally.Key {
        let date = zone.civilDate(of: at)
        return CaseTally.Key(day: date.dayKey, node: node, department: department,
                             handler: answeredBy.operatorID, matter: matterCode)
    }
}
