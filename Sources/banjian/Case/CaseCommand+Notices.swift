import ArgumentParser
import BanjianDomain
import BanjianWire
import Foundation

extension CaseCommand {
    struct Notices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the numbered notices issued for a case.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The case number.") var number: String
        func run() async throws {
            let (connection, number) = (connection, number)
            try await connection.call { client in
                let notices = try await client.cases.listNotices(.with { $0.caseNumber = number }, metadata: client.metadata).notices
                if connection.json { return notices.forEach { CaseOutput.emit((try? $0.jsonString()) ?? "") } }
                for (index, wire) in notices.enumerated() {
                    let notice = try NoticeDocument(wire: wire, field: "notices[\(index)]")
                    CaseOutput.emit("\(notice.number)  v\(notice.caseVersion)  \(CaseOutput.timestamp(notice.issuedAt))  \(notice.title)")
                }
            }
        }
    }

    struct NoticeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notice", abstract: "Print one notice; --html writes a printable A4 page.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The notice number (see 'banjian case notices CASE').") var number: String
        @Option(help: "Write the notice as a printable A4 HTML page to this file.") var html: String?
        func run() async throws {
            let (connection, number, html) = (connection, number, html)
            try await connection.call { client in
                let response = try await client.cases.getNotice(.with { $0.noticeNumber = number }, metadata: client.metadata)
                if connection.json { return CaseOutput.emit(try response.jsonString()) }
                let notice = try NoticeDocument(wire: response.notice, field: "notice")
                if let html {
                    try Data(NoticePage.html(notice, centre: response.centreName).utf8).write(to: URL(fileURLWithPath: html))
                    CaseOutput.emit("wrote \(html)")
                } else {
                    NoticePage.text(notice, centre: response.centreName).forEach(CaseOutput.emit)
                }
            }
        }
    }

    struct Refusals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "否定报备: the register of refusals and their review (leaders and supervisors).")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "Only pending, upheld or overturned entries.") var state: String?
        func run() async throws {
            let states: [String: Banjian_V1_RefusalReviewState] = ["pending": .pending, "upheld": .upheld, "overturned": .overturned]
            var request = Banjian_V1_ListRefusalsRequest()
            if let state {
                guard let value = states[state] else { throw ValidationError("--state: pending, upheld or overturned") }
                request.reviewState = value
            }
            let (connection, frozen) = (connection, request)
            try await connection.call { client in
                let entries = try await client.cases.listRefusals(frozen, metadata: client.metadata).refusals
                if connection.json { return entries.forEach { CaseOutput.emit((try? $0.jsonString()) ?? "") } }
                CaseOutput.emit("case  review  returned  matter  applicant  reason")
                for entry in entries {
                    CaseOutput.emit([entry.caseNumber, CaseOutput.name(entry.reviewState), CaseOutput.time(entry.refusal.returnedAt),
                                     entry.matterCode, entry.applicantName, entry.refusal.reason].joined(separator: "  "))
                }
            }
        }
    }
}

/// A notice as printed: plain text for the terminal, or one self-contained A4 HTML page.
enum NoticePage {
    static func text(_ notice: NoticeDocument, centre: String) -> [String] {
        var lines = [centre, notice.title, "编号：\(notice.number)", ""]
        let width = notice.fields.map(\.label.count).max() ?? 0
        for field in notice.fields {
            lines.append(field.label + String(repeating: "　", count: max(0, width - field.label.count)) + "：" + field.value)
        }
        if !notice.materials.isEmpty {
            lines.append("")
            lines.append("材料清单：")
            for line in notice.materials { lines.append("  [\(line.status)] \(line.name) ×\(line.copies)") }
        }
        lines.append("")
        lines.append(notice.signatures.map { "\($0)：________" }.joined(separator: "   "))
        return lines
    }

    static func html(_ notice: NoticeDocument, centre: String) -> String {
        let rows = notice.fields.map { "<tr><th>\(HTML.escape($0.label))</th><td>\(HTML.escape($0.value))</td></tr>" }.joined(separator: "\n")
        var materials = ""
        if !notice.materials.isEmpty {
            let lines = notice.materials.enumerated().map { index, line in
                "<tr><td>\(index + 1)</td><td>\(HTML.escape(line.name))</td><td>\(line.copies)</td><td>\(HTML.escape(line.status))</td></tr>"
            }.joined(separator: "\n")
            materials = """
                <h2>材料清单</h2>
                <table class="materials"><thead><tr><th>序号</th><th>材料名称</th><th>份数</th><th>状态</th></tr></thead>
                <tbody>
                \(lines)
                </tbody></table>
                """
        }
        let signatures = notice.signatures.map { "<div class=\"sign\"><span>\(HTML.escape($0))</span><span class=\"line\"></span></div>" }
            .joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(HTML.escape(notice.title)) \(HTML.escape(notice.number))</title>
            <style>
            @page { size: A4; margin: 20mm 18mm; }
            body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; font-size: 12pt; color: #000; margin: 0 auto; max-width: 174mm; }
            header { text-align: center; }
            .centre { font-size: 14pt; letter-spacing: 0.1em; }
            h1 { font-size: 20pt; margin: 6mm 0 2mm; letter-spacing: 0.2em; }
            .number { text-align: right; font-size: 10.5pt; margin-bottom: 4mm; }
            h2 { font-size: 13pt; margin: 6mm 0 2mm; }
            table { width: 100%; border-collapse: collapse; }
            th, td { border: 1px solid #000; padding: 2.5mm 3mm; text-align: left; vertical-align: top; }
            table.fields th { width: 32mm; white-space: nowrap; font-weight: normal; background: #f3f3f3; }
            table.materials th { font-weight: normal; background: #f3f3f3; }
            .signatures { display: flex; flex-wrap: wrap; gap: 6mm 12mm; margin-top: 14mm; }
            .sign { display: flex; align-items: flex-end; gap: 2mm; min-width: 70mm; }
            .sign .line { flex: 1; border-bottom: 1px solid #000; height: 8mm; }
            footer { margin-top: 10mm; font-size: 9pt; color: #444; text-align: center; }
            @media print { footer { position: fixed; bottom: 0; left: 0; right: 0; } }
            </style>
            </head>
            <body>
            <header>
            <div class="centre">\(HTML.escape(centre))</div>
            <h1>\(HTML.escape(notice.title))</h1>
            </header>
            <div class="number">编号：\(HTML.escape(notice.number))</div>
            <table class="fields">
            \(rows)
            </table>
            \(materials)
            <div class="signatures">
            \(signatures)
            </div>
            <footer>办件编号 \(HTML.escape(notice.caseNumber.description)) · 第 \(notice.caseVersion) 版 · 本通知书一式两份，申请人与窗口各执一份</footer>
            </body>
            </html>

            """
    }
}

/// Text for HTML pages (notices, the director's page).
enum HTML {
    /// Text safe inside HTML elements and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
