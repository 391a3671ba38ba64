/// A day of the proleptic Gregorian calendar, with no time and no zone ("2025-10-01").
///
/// Dates map one to one onto a *day number*, the count of days since 1970-01-01 (negative
/// before it), with Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, so
/// conversion, weekday and day arithmetic are all O(1) with no table and no `Calendar`.
///
/// The supported range is the four-digit years of ISO 8601, 0001-01-01 through 9999-12-31
/// (``supportedDayNumbers``); the text form is always `YYYY-MM-DD`.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...28/29/30/31.
    public let day: Int

    /// The years a `CivilDate` can hold: those that ISO 8601 writes with four digits.
    public static let supportedYears: ClosedRange<Int> = 1...9999

    /// The day numbers of 0001-01-01 through 9999-12-31.
    public static let supportedDayNumbers: ClosedRange<Int> =
        daysFromCivil(year: 1, month: 1, day: 1)...daysFromCivil(year: 9999, month: 12, day: 31)

    /// Creates a date, or `nil` when the fields do not name a real Gregorian day.
    ///
    /// - Parameters:
    ///   - year: 1...9999.
    ///   - month: 1...12.
    ///   - day: 1 through the length of that month (29 February only in leap years).
    public init?(year: Int, month: Int, day: Int) {
        guard Self.supportedYears.contains(year), (1...12).contains(month),
            day >= 1, day <= Self.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the ISO 8601 calendar-date form `YYYY-MM-DD` (exactly four, two and two digits).
    ///
    /// Returns `nil` for any other shape or for a day that does not exist (`2025-02-29`).
    public init?(iso: String) {
        let bytes = Array(iso.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Self.decimal(bytes[0..<4]),
            let month = Self.decimal(bytes[5..<7]),
            let day = Self.decimal(bytes[8..<10])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Creates the date with the given number of days since 1970-01-01.
    ///
    /// - Parameter dayNumber: Days since 1970-01-01; values outside ``supportedDayNumbers``
    ///   are clamped to 0001-01-01 or 9999-12-31.
    /// - Complexity: O(1).
    public init(dayNumber: Int) {
        let clamped = min(max(dayNumber, Self.supportedDayNumbers.lowerBound), Self.supportedDayNumbers.upperBound)
        let z = clamped + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    }

    /// The date as the number `yyyymmdd`: the day key of the statistics and of numbers.
    public var dayKey: Int { year * 10_000 + month * 100 + day }

    /// The date of a day key `yyyymmdd`; `nil` when it names no date.
    public init?(dayKey: Int) {
        self.init(year: dayKey / 10_000, month: dayKey / 100 % 100, day: dayKey % 100)
    }

    /// Days since 1970-01-01 (negative before it).
    ///
    /// - Complexity: O(1).
    public var dayNumber: Int {
        Self.daysFromCivil(year: year, month: month, day: day)
    }

    /// The ISO weekday.
    ///
    /// - Complexity: O(1).
    public var weekday: Weekday {
        Weekday(dayNumber: dayNumber)
    }

    /// The date `days` days later (earlier when negative).
    ///
    /// - Complexity: O(1).
    public func adding(days: Int) -> CivilDate {
        CivilDate(dayNumber: dayNumber + days)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// True in Gregorian leap years (divisible by 4, except centuries not divisible by 400).
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in a month (28...31); 0 for a month outside 1...12.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }

    /// Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension CivilDate: Codable {
    /// Decodes the `YYYY-MM-DD` string form, rejecting days that do not exist.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: CalendarError.invalidDate(text).description)
        }
        self = date
    }

    /// Encodes the `YYYY-MM-DD` string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
