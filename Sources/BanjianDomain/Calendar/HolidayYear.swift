public import Foundation

/// One year's statutory holidays and make-up working days, as published by the State Council.
///
/// Days not listed follow the week: Monday–Friday working, Saturday and Sunday off. A year's
/// notice may also set a day at the edge of a neighbouring year (holiday-cn's 2012 file lists
/// 2011-12-31 as a make-up working day); such entries are kept and applied, but the owning
/// year's own data wins where both speak of a day.
public struct HolidayYear: Hashable, Sendable {
    /// The calendar year this notice covers.
    public let year: Int
    /// Where the data comes from: the notice URL(s), space separated.
    public let source: String
    /// The listed days; every other day follows the week.
    public let days: [CivilDate: DayOverride]

    /// Creates a year's data.
    ///
    /// - Parameters:
    ///   - year: The year covered.
    ///   - source: Provenance, such as the gov.cn notice URL.
    ///   - days: The overrides. Entries dated more than a year away from `year` are ignored by
    ///     ``WorkingCalendar``.
    public init(year: Int, source: String, days: [CivilDate: DayOverride]) {
        self.year = year
        self.source = source
        self.days = days
    }

    /// Parses one year file in the holiday-cn format (NateScarlet/holiday-cn, MIT licence):
    /// `{"year": 2025, "papers": ["https://..."], "days": [{"name": "元旦", "date": "2025-01-01",
    /// "isOffDay": true}, ...]}`. Other fields (`$schema`, `$id`) are ignored.
    ///
    /// - Parameter data: The UTF-8 JSON document.
    /// - Throws: ``CalendarError/invalidHolidayData(reason:)`` naming the field at fault:
    ///   not JSON, a missing or mistyped field, a date that does not exist or lies outside the
    ///   year and its neighbours, or one date listed twice with different meanings.
    public init(holidayCNJSON data: Data) throws(CalendarError) {
        let document: HolidayCNDocument
        do {
            document = try JSONDecoder().decode(HolidayCNDocument.self, from: data)
        } catch let error as DecodingError {
            throw .invalidHolidayData(reason: Self.explain(error))
        } catch {
            throw .invalidHolidayData(reason: "the document could not be read: \(error)")
        }
        guard CivilDate.supportedYears.contains(document.year) else {
            throw .invalidHolidayData(reason: "year \(document.year) is outside 0001-9999")
        }
        var days: [CivilDate: DayOverride] = [:]
        for (index, entry) in document.days.enumerated() {
            guard let date = CivilDate(iso: entry.date) else {
                throw .invalidHolidayData(
                    reason: "days[\(index)].date '\(entry.date)' is not a real YYYY-MM-DD day")
            }
            guard abs(date.year - document.year) <= 1 else {
                throw .invalidHolidayData(
                    reason: "days[\(index)].date \(date) is too far from the file's year \(document.year)")
            }
            let override = DayOverride(name: entry.name, isOffDay: entry.isOffDay)
            if let earlier = days[date], earlier != override {
                throw .invalidHolidayData(
                    reason: "\(date) is listed twice with different meanings "
                        + "(\(earlier.name) \(earlier.isOffDay ? "off" : "working"), "
                        + "\(override.name) \(override.isOffDay ? "off" : "working"))")
            }
            days[date] = override
        }
        let papers = document.papers ?? []
        self.init(
            year: document.year,
            source: papers.isEmpty ? "holiday-cn \(document.year).json" : papers.joined(separator: " "),
            days: days)
    }

    /// A one-line reason for a decoding failure, naming the JSON path (`days[3].isOffDay`).
    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context):
            "\(subject(context.codingPath)) should be \(describe(type))"
        case .valueNotFound(let type, let context):
            "\(subject(context.codingPath)) is null, expected \(describe(type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            "not a JSON document"
        case .dataCorrupted(let context):
            "\(subject(context.codingPath)) is malformed: \(context.debugDescription)"
        @unknown default:
            "the document could not be decoded: \(error)"
        }
    }

    private static func subject(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the document" : "field '\(path(keys))'"
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type: return "an integer"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Dictionary") { return "a JSON object" }
            if name.hasPrefix("Array") { return "a JSON array" }
            return "a \(name)"
        }
    }
}

/// The holiday-cn year file, as decoded before checking.
private struct HolidayCNDocument: Decodable {
    struct Entry: Decodable {
        let name: String
        let date: String
        let isOffDay: Bool
    }

    let year: Int
    let papers: [String]?
    let days: [Entry]
}
