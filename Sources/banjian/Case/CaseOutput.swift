import BanjianDomain
import BanjianWire
import Foundation
import SwiftProtobuf

/// Readable tables, or JSON (`--json`), for the case commands.
enum CaseOutput {
    static func print(_ record: Banjian_V1_Case, json: Bool) throws {
        if json { return emit(try record.jsonString()) }
        var rows: [(String, String)] = [
            ("number", record.number), ("state", name(record.state)),
            ("kind", record.kind == .unspecified ? "-" : name(record.kind)), ("matter", "\(record.matterCode) \(record.matterName)"),
            ("applicant", record.applicant.name), ("summary", record.summary), ("version", "\(record.version)"),
            ("received", time(record.receivedAt)),
        ]
        if record.hasHandler { rows.append(("handler", "\(record.handler.name) (\(record.handler.operatorID))")) }
        if record.hasPromisedLimit { rows.append(("promised limit", limit(record.promisedLimit))) }
        if record.hasStatutoryLimit { rows.append(("statutory limit", limit(record.statutoryLimit))) }
        for clock in record.clocks {
            rows.append(("clock \(name(clock.kind))", "\(name(clock.state)) due \(clock.hasDueAt ? time(clock.dueAt) : "-")\(clock.provisional ? " (provisional)" : "")"))
        }
        for rung in record.rungs {
            rows.append(("rung \(name(rung.clockKind))/\(name(rung.kind))", "\(time(rung.fireAt))\(rung.fired ? " fired" : "")"))
        }
        if record.hasFollowUp {
            let followUp = record.followUp
            rows.append(("回访", followUp.outcome == .unspecified ? "open since \(time(followUp.openedAt)), within \(limit(followUp.within))"
                         : "\(followUp.outcome == .verified ? "不满意属实" : "不属实") (\(followUp.recordedBy.name), \(time(followUp.recordedAt))): \(followUp.note)"))
        }
        for status in record.supervisionOrders {
            let order = status.order
            let state = !status.answer.isEmpty ? "answered \(time(status.answeredAt)) by \(status.answeredBy.name): \(status.answer)"
                : status.breached ? "open, breached" : "open"
            rows.append(("督办 \(order.orderNumber)", "from \(order.issuingNodeCode) \(order.issuedBy.name) within \(limit(order.respondWithin)): \(order.instruction) — \(state)"))
        }
        table(rows)
    }

    static func print(_ event: Banjian_V1_CaseEvent, json: Bool) throws {
        if json { return emit(try event.jsonString()) }
        let body = event.body.map { "\($0)".split(separator: "(").first.map(String.init) ?? "" } ?? "-"
        emit("v\(event.caseVersion)  \(time(event.occurredAt))  \(body)  by \(event.actor.name) (\(name(event.actor.role)))")
    }

    static func list(_ cases: [Banjian_V1_Case], next: String, json: Bool) throws {
        if json {
            for record in cases { emit(try record.jsonString()) }
            return
        }
        columns(["number", "state", "kind", "matter", "applicant", "received"], cases.map { c in
            [c.number, name(c.state), c.kind == .unspecified ? "-" : name(c.kind), c.matterCode, c.applicant.name, time(c.receivedAt)]
        })
        if !next.isEmpty { emit("next page: --page-token \(next)") }
    }

    /// Writes a line unbuffered, so a watch shows each event as it arrives, even through a pipe.
    static func emit(_ line: String) {
        // A closed pipe (`banjian case list | head`) is not an error worth a crash.
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Rows under a header, each column as wide as its widest cell on a terminal, where a Chinese
    /// character takes two columns.
    static func columns(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { displayWidth($0[column]) }.max() ?? 0 }
        for row in [header] + rows {
            let cells = zip(row, widths).map { cell, width in cell + String(repeating: " ", count: width - displayWidth(cell)) }
            emit(cells.joined(separator: "  ").trimmingTrailingSpaces)
        }
    }

    /// Terminal columns of `text`: two for East Asian wide and full-width characters (Unicode
    /// UAX #11), one for the others.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                width + 2
            default:
                width + 1
            }
        }
    }

    /// A rung's name as the centres say it: 预警, 到期, 催办, 督办, 上报; "-" for none.
    static func rung(_ kind: Banjian_V1_RungKind) -> String {
        switch kind {
        case .warning: "预警"
        case .due: "到期"
        case .urge: "催办"
        case .supervise: "督办"
        case .reportUp: "上报"
        default: "-"
        }
    }

    static func table(_ rows: [(String, String)]) {
        let width = rows.map { displayWidth($0.0) }.max() ?? 0
        for (key, value) in rows { emit(key + String(repeating: " ", count: width - displayWidth(key)) + "  " + value) }
    }

    /// An enum value's proto name without its type prefix, lower-cased: CASE_STATE_HANDLING → handling.
    static func name<E: SwiftProtobuf.Enum>(_ value: E) -> String {
        "\(value)".lowercased()
    }

    /// A time limit as the rules state it: `15 working days`.
    static func limit(_ limit: Banjian_V1_TimeLimit) -> String {
        (try? TimeLimit(wire: limit, field: "limit"))?.description ?? "-"
    }

    static func time(_ timestamp: Google_Protobuf_Timestamp) -> String { self.timestamp(timestamp.date) }

    /// An instant in ISO 8601 with Beijing's offset.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: date)
    }
}

extension String {
    /// The string without the spaces at its end.
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
