/// One record of a federation link: what must arrive exactly once.
public enum LinkPayload: Hashable, Sendable {
    /// A case event: up, every event of the subtree; down, the events of cases the receiver handled.
    case event(RecordedEvent)
    /// Down: a version of a matter of the catalogue (published, delegated or withdrawn at the top).
    case matter(Matter)
    /// Down: a year of statutory holidays and make-up working days, published at the top.
    case holidayYear(HolidayYear)
    /// Down: a 督办 order, hop by hop toward the case's holder.
    case order(SupervisionOrder)
    /// Up: a link down too long, seen in the sender's subtree.
    case linkAlert(LinkAlert)
    /// Up: a consultation registered in the sender's subtree.
    case consultation(Consultation)
    /// Up: a version of a petition or complaint of the sender's subtree, as an ancestor keeps it
    /// (``Grievance/redacted``).
    case grievance(Grievance)
}
