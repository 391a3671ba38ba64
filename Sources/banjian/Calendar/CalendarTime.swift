import ArgumentParser
import BanjianDomain
import Foundation

/// A date or instant typed on the command line.
///
/// Accepted: `2025-09-30` (local midnight starting that day), `2025-09-30T10:15`,
/// `2025-09-30T10:15:00` (local wall time in the calendar's zone), and either of the latter
/// with `Z` or an offset such as `+08:00` (an absolute instant).
enum CalendarTime: Hashable {
    /// A whole day: its local start, 00:00.
    case day(CivilDate)
    /// A local wall-clock time in the calendar's zone.
    case local(CivilDate, secondOfDay: Int)
    /// An absolute instant, given with `Z` or an explicit offset.
    case absolute(Date)

    /// What the argument help and errors show.
    static let formats = "2025-09-30, 2025-09-30T10:15, 2025-09-30T10:15:00+08:00 or 2025-09-30T02:15:00Z"

    /// Parses one argument.
    ///
    /// - Throws: `ValidationError` quoting the text and listing the accepted forms.
    init(parsing text: String) throws {
        guard let value = Self.parse(text) else {
            throw ValidationError("'\(text)' is not a date or instant; use \(Self.formats)")
        }
        self = value
    }

    /// The instant this names, reading local forms in `zone`.
    func instant(in zone: CalendarZone) -> Date {
        switch self {
        case .day(let date): zone.instant(date)
        case .local(let date, let secondOfDay): zone.instant(date, secondOfDay: secondOfDay)
        case .absolute(let instant): instant
        }
    }

    private static func parse(_ text: String) -> CalendarTime? {
        let characters = Array(text)
        guard characters.count >= 10, let date = CivilDate(iso: String(characters[0..<10])) else { return nil }
        if characters.count == 10 { return .day(date) }
        guard characters[10] == "T" || characters[10] == " " else { return nil }
        var rest = characters[11...]
        var offsetSeconds: Int?
        if rest.last == "Z" {
            offsetSeconds = 0
            rest = rest.dropLast()
        } else if rest.count > 6, let sign = rest.dropLast(5).last, sign == "+" || sign == "-" {
            guard let offset = clock(rest.suffix(5), allowSeconds: false), offset < 24 * 3600 else { return nil }
            offsetSeconds = sign == "-" ? -offset : offset
            rest = rest.dropLast(6)
        }
        guard let secondOfDay = clock(rest, allowSeconds: true) else { return nil }
        guard let offsetSeconds else { return .local(date, secondOfDay: secondOfDay) }
        let utc = date.dayNumber * 86_400 + secondOfDay - offsetSeconds
        return .absolute(Date(timeIntervalSince1970: TimeInterval(utc)))
    }

    /// Seconds after midnight of `HH:MM` or (if allowed) `HH:MM:SS`, 00:00:00 through 23:59:59.
    private static func clock(_ text: ArraySlice<Character>, allowSeconds: Bool) -> Int? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2 || (allowSeconds && fields.count == 3),
            fields.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let numbers = fields.compactMap { Int(String($0)) }
        guard numbers.count == fields.count, numbers[0] < 24, numbers[1] < 60,
            numbers.count == 2 || numbers[2] < 60
        else { return nil }
        return numbers[0] * 3600 + numbers[1] * 60 + (numbers.count == 3 ? numbers[2] : 0)
    }
}
