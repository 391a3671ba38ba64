/// The global number of a case (办件编号), assigned once at the origin node and never changed:
/// `<origin node code>-<yyyymmdd>-<6-digit daily sequence>`, e.g. `341182102-20250310-000042`.
public struct CaseNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The node where the case was received.
    public let origin: NodeCode
    /// The local date of receipt at the origin.
    public let date: CivilDate
    /// The sequence number within the origin's day, 1...999_999.
    public let sequence: Int

    /// Creates a case number; `nil` when `sequence` is outside 1...999_999.
    public init?(origin: NodeCode, date: CivilDate, sequence: Int) {
        guard (1...999_999).contains(sequence), (0...9999).contains(date.year) else { return nil }
        self.origin = origin
        self.date = date
        self.sequence = sequence
    }

    /// The number an intake carries before its origin assigns the real one: sequence 1 of
    /// 2000-01-01. Validation needs a number; the store replaces it in the same transaction.
    public static func unassigned(origin: NodeCode) -> CaseNumber {
        CaseNumber(unchecked: origin, date: CivilDate(dayNumber: 10_957), sequence: 1)
    }

    private init(unchecked origin: NodeCode, date: CivilDate, sequence: Int) {
        self.origin = origin
        self.date = date
        self.sequence = sequence
    }

    /// Parses the canonical text form; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count == 8, parts[2].utf8.count == 6,
              let origin = NodeCode(String(parts[0])),
              parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              parts[2].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let ymd = Int(parts[1]), let sequence = Int(parts[2]),
              let date = CivilDate(dayKey: ymd)
        else { return nil }
        self.init(origin: origin, date: date, sequence: sequence)
    }

    public var description: String {
        "\(origin.rawValue)-\(Self.pad(date.dayKey, 8))-\(Self.pad(sequence, 6))"
    }

    public static func < (lhs: CaseNumber, rhs: CaseNumber) -> Bool {
        (lhs.origin, lhs.date, lhs.sequence) < (rhs.origin, rhs.date, rhs.sequence)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// The globally unique id of an event: the node where it happened and that node's sequence.
/// It is the key for idempotent delivery across the federation.
public struct EventID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let origin: NodeCode
    public let sequence: UInt64

    public init(origin: NodeCode, sequence: UInt64) {
        self.origin = origin
        self.sequence = sequence
    }

    public var description: String { "\(origin.rawValue)#\(sequence)" }
    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.origin, lhs.sequence) < (rhs.origin, rhs.sequence)
    }
}
