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

    /// Rows under a header, each column as wide as its widest cell.
    static func columns(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            emit(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
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

    private static func table(_ rows: [(String, String)]) {
        let width = rows.map(\.0.count).max() ?? 0
        for (key, value) in rows { emit("\(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)") }
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
