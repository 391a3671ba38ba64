import ArgumentParser
import BanjianDomain
import BanjianWire
import Foundation
import SwiftProtobuf

/// The period a report covers: a month, a quarter, a year or a range of days, in Beijing time;
/// this month unless given.
struct ReportPeriodOptions: ParsableArguments {
    @Option(help: "A month, YYYY-MM (default: this month).") var month: String?
    @Option(help: "A quarter, YYYY-Qn.") var quarter: String?
    @Option(help: "A year, YYYY.") var year: String?
    @Option(help: "First day, YYYY-MM-DD (with --to).") var from: String?
    @Option(help: "Last day, YYYY-MM-DD (with --from).") var to: String?

    static let zone = CalendarZone.shanghai

    /// The first and last day, checked.
    func days(today: Date = Date()) throws -> ClosedRange<CivilDate> {
        let given = [month, quarter, year, from ?? to].compactMap { $0 }
        guard given.count <= 1 else { throw ValidationError("give one of --month, --quarter, --year or --from/--to") }
        if let quarter {
            let parts = quarter.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]), parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()),
                  (1...4).contains(q), let first = YearMonth(year: year, month: q * 3 - 2), let last = YearMonth(year: year, month: q * 3)
            else { throw ValidationError("--quarter: '\(quarter)' is not YYYY-Qn") }
            return first.first...last.last
        }
        if let year {
            guard let value = Int(year), let first = YearMonth(year: value, month: 1), let last = YearMonth(year: value, month: 12) else {
                throw ValidationError("--year: '\(year)' is not YYYY")
            }
            return first.first...last.last
        }
        if from != nil || to != nil {
            guard let from, let to else { throw ValidationError("--from and --to go together") }
            guard let first = CivilDate(iso: from) else { throw ValidationError("--from: '\(from)' is not YYYY-MM-DD") }
            guard let last = CivilDate(iso: to) else { throw ValidationError("--to: '\(to)' is not YYYY-MM-DD") }
            guard first <= last else { throw ValidationError("--from must not be after --to") }
            return first...last
        }
        let month = try Self.month(month, today: today)
        return month.first...month.last
    }

    /// `--month` checked, or this month.
    static func month(_ text: String?, today: Date = Date()) throws -> YearMonth {
        guard let text else { return YearMonth(of: today, zone: zone) }
        guard let month = YearMonth(text) else { throw ValidationError("--month: '\(text)' is not YYYY-MM") }
        return month
    }

    /// The month of a report: `--month`, or the month that ends the period.
    func lastMonth(today: Date = Date()) throws -> YearMonth {
        let last = try days(today: today).upperBound
        return YearMonth(year: last.year, month: last.month)!
    }

    /// The days as the wire's half-open range of instants.
    static func range(_ days: ClosedRange<CivilDate>) -> Banjian_V1_TimeRange {
        .with {
            $0.start = Google_Protobuf_Timestamp(date: zone.instant(days.lowerBound))
            $0.end = Google_Protobuf_Timestamp(date: zone.instant(days.upperBound.adding(days: 1)))
        }
    }
}

/// How a report prints: a table, CSV, JSON, and the director's page beside it.
struct ReportFormatOptions: ParsableArguments {
    @Flag(help: "Print CSV instead of a table.") var csv = false
    @Option(help: "Also write the county director's page (HTML with charts) for the report's month to this file.") var html: String?

    /// Prints `rows` under `header` as a table or CSV.
    func print(_ header: [String], _ rows: [[String]], empty: String) {
        if csv {
            for row in [header] + rows { CaseOutput.emit(row.map(Self.csvField).joined(separator: ",")) }
            return
        }
        guard !rows.isEmpty else { return CaseOutput.emit(empty) }
        CaseOutput.columns(header, rows)
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A rate in basis points as a percentage: `66.7%`; `-` without a base.
func percent(_ basisPoints: Int, base: Int) -> String {
    base == 0 ? "-" : String(format: "%.1f%%", Double(basisPoints) / 100)
}
