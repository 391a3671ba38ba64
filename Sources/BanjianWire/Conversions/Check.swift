import BanjianDomain
import Foundation
import SwiftProtobuf

/// Field checks at the wire boundary. Each names the field it rejects.
enum Check {
    /// A string within `max` Unicode scalars, without control characters (line breaks are allowed
    /// in multi-line texts). Leading and trailing whitespace is kept as sent.
    static func text(_ value: String, _ field: String, max: Int, required: Bool = false, multiline: Bool = false)
        throws(WireValidationError) -> String
    {
        let scalars = value.unicodeScalars
        if required, value.allSatisfy(\.isWhitespace) { throw WireValidationError(field, "must not be empty") }
        if scalars.count > max { throw WireValidationError(field, "longer than \(max) characters") }
        for scalar in scalars where scalar.properties.generalCategory == .control {
            if multiline, scalar == "\n" || scalar == "\r" || scalar == "\t" { continue }
            throw WireValidationError(field, "contains a control character U+\(String(scalar.value, radix: 16, uppercase: true))")
        }
        return value
    }

    /// A token of ASCII letters, digits and `extra` characters, 1...`max` long.
    static func token(_ value: String, _ field: String, max: Int, extra: String) throws(WireValidationError) -> String {
        guard !value.isEmpty else { throw WireValidationError(field, "must not be empty") }
        guard value.utf8.count <= max else { throw WireValidationError(field, "longer than \(max) characters") }
        let allowed = Set(extra.utf8)
        for byte in value.utf8 {
            let isAlphanumeric = (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
            if !isAlphanumeric, !allowed.contains(byte) {
                throw WireValidationError(field, "may contain only letters, digits and \(extra.map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
        return value
    }

    /// A phone number: digits, spaces, `+` and `-`; may be empty.
    static func phone(_ value: String, _ field: String) throws(WireValidationError) -> String {
        guard value.utf8.count <= WireLimits.phone else { throw WireValidationError(field, "longer than \(WireLimits.phone) characters") }
        guard value.utf8.allSatisfy({ (48...57).contains($0) || $0 == 32 || $0 == 43 || $0 == 45 }) else {
            throw WireValidationError(field, "may contain only digits, spaces, '+' and '-'")
        }
        return value
    }

    static func requestID(_ value: String, _ field: String = "request_id") throws(WireValidationError) -> String {
        guard !value.isEmpty else { throw WireValidationError(field, "must not be empty") }
        guard value.utf8.count <= WireLimits.requestID else { throw WireValidationError(field, "longer than \(WireLimits.requestID) characters") }
        guard value.utf8.allSatisfy({ (33...126).contains($0) }) else { throw WireValidationError(field, "must be printable ASCII") }
        return value
    }

    static func node(_ value: String, _ field: String) throws(WireValidationError) -> NodeCode {
        guard let code = NodeCode(value) else { throw WireValidationError(field, "'\(value.prefix(24))' is not a node code of 2, 4, 6, 9 or 12 digits") }
        return code
    }

    /// A node code, or `nil` when empty.
    static func optionalNode(_ value: String, _ field: String) throws(WireValidationError) -> NodeCode? {
        value.isEmpty ? nil : try node(value, field)
    }

    static func caseNumber(_ value: String, _ field: String) throws(WireValidationError) -> CaseNumber {
        guard let number = CaseNumber(value) else {
            throw WireValidationError(field, "'\(value.prefix(40))' is not a case number <node code>-<yyyymmdd>-<6 digits>")
        }
        return number
    }

    /// A timestamp between the years 1 and 9999 with valid nanoseconds.
    static func date(_ value: Google_Protobuf_Timestamp, _ field: String) throws(WireValidationError) -> Date {
        guard (-62_135_596_800...253_402_300_799).contains(value.seconds), (0..<1_000_000_000).contains(value.nanos) else {
            throw WireValidationError(field, "is not a valid timestamp")
        }
        return Date(timeIntervalSince1970: TimeInterval(value.seconds) + TimeInterval(value.nanos) / 1e9)
    }

    /// A required sub-message.
    static func present(_ has: Bool, _ field: String) throws(WireValidationError) {
        if !has { throw WireValidationError(field, "must be set") }
    }

    static func count(_ count: Int, _ field: String, max: Int, min: Int = 0) throws(WireValidationError) {
        if count > max { throw WireValidationError(field, "more than \(max) entries") }
        if count < min { throw WireValidationError(field, "needs at least \(min) entries") }
    }

    static func range<T: Comparable & CustomStringConvertible>(_ value: T, _ field: String, _ range: ClosedRange<T>)
        throws(WireValidationError) -> T
    {
        guard range.contains(value) else { throw WireValidationError(field, "must be in \(range.lowerBound)...\(range.upperBound), got \(value)") }
        return value
    }

    /// Document numbers: each ≤ 64 characters, at most 20.
    static func documentNumbers(_ values: [String], _ field: String) throws(WireValidationError) -> [String] {
        try count(values.count, field, max: WireLimits.documentNumbers)
        for (index, value) in values.enumerated() {
            _ = try text(value, "\(field)[\(index)]", max: WireLimits.documentNumber, required: true)
        }
        return values
    }
}

/// A two-way mapping between a domain enum and its wire enum, from one table.
struct EnumMapping<Domain: Hashable & Sendable, Wire: SwiftProtobuf.Enum & Hashable & Sendable>: Sendable {
    private let toWire: [Domain: Wire]
    private let toDomain: [Wire: Domain]

    init(_ pairs: [(Domain, Wire)]) {
        toWire = Dictionary(pairs.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        toDomain = Dictionary(pairs.map { ($0.1, $0.0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The wire value; every domain value is in the table (checked by the tests), else `UNSPECIFIED`.
    func wire(_ value: Domain) -> Wire { toWire[value] ?? Wire() }

    /// The domain value; `UNSPECIFIED` and unknown numbers are errors naming the field.
    func domain(_ value: Wire, _ field: String) throws(WireValidationError) -> Domain {
        if let mapped = toDomain[value] { return mapped }
        throw value.rawValue == 0
            ? WireValidationError(field, "must be set")
            : WireValidationError(field, "unknown value \(value.rawValue)")
    }

    /// Every domain value the table covers.
    var domainValues: Set<Domain> { Set(toWire.keys) }
}
