import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianWire
import Foundation

/// The county director's page (督查月报): one self-contained HTML file, charts drawn in inline
/// SVG, no script and nothing fetched, for a month of a node's subtree.
struct DirectorPage {
    /// What the page shows.
    var title: String
    var month: YearMonth
    /// The month's statistics per node (乡镇), and their total.
    var byNode: [StatisticsRow]
    var total: StatisticsFigures
    /// Twelve months up to `month`, for the overdue trend.
    var trend: [StatisticsRow]
    /// The month's window assessment, ranked.
    var ranking: [Assessment]
    /// Cases overdue now, per holding node.
    var overdueNow: [(node: String, count: Int)]
    var generatedAt: Date

    // MARK: Fetching

    /// Asks the node for the page's figures and writes the page to `path`.
    static func write(to path: String, client: NodeClient, node: String?, month: YearMonth) async throws {
        let supervision = client.supervision, metadata = client.metadata
        let byNode = try await supervision.getStatistics(.with {
            $0.nodeCode = node ?? ""
            $0.groupBy = .node
            $0.period = ReportPeriodOptions.range(month.first...month.last)
        }, metadata: metadata)
        var start = month
        for _ in 0..<11 { start = start.previous }
        let trend = try await supervision.getStatistics(.with {
            $0.nodeCode = node ?? ""
            $0.groupBy = .month
            $0.period = ReportPeriodOptions.range(start.first...month.last)
        }, metadata: metadata)
        let ranking = try await supervision.getAssessment(.with {
            $0.nodeCode = node ?? ""
            $0.month = .with { $0.year = Int32(month.year); $0.month = Int32(month.month) }
            $0.subjectKind = .window
        }, metadata: metadata)
        let overdue = try await overdueCases(client: client, node: node, kinds: [])
        let counts = Dictionary(grouping: overdue, by: \.nodeCode).map { (node: $0.key, count: $0.value.count) }.sorted { $0.node < $1.node }
        let page = DirectorPage(
            title: node.map { "\($0) 及下辖" } ?? "本级及下辖", month: month, byNode: byNode.rows.map(\.domain),
            total: byNode.total.domain.figures, trend: fill(trend.rows.map(\.domain), from: start, through: month),
            ranking: ranking.assessments.compactMap(\.domain), overdueNow: counts, generatedAt: Date())
        do {
            try Data(page.html.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            FileHandle.standardError.write(Data("banjian: cannot write \(path): \(error.localizedDescription)\n".utf8))
            throw ExitCode(73)
        }
        CaseOutput.emit("wrote \(path)")
    }

    /// Every overdue case of the subtree, page after page.
    static func overdueCases(client: NodeClient, node: String?, kinds: [Banjian_V1_ClockKind]) async throws -> [Banjian_V1_OverdueCase] {
        var cases: [Banjian_V1_OverdueCase] = []
        var token = ""
        repeat {
            let page = try await client.supervision.listOverdueCases(.with {
                $0.nodeCode = node ?? ""
                $0.clockKinds = kinds
                $0.pageSize = 500
                $0.pageToken = token
            }, metadata: client.metadata)
            cases += page.cases
            token = page.nextPageToken
        } while !token.isEmpty
        return cases
    }

    /// One row per month from `first` through `last`, empty where no case was received.
    static func fill(_ rows: [StatisticsRow], from first: YearMonth, through last: YearMonth) -> [StatisticsRow] {
        let byKey = Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var months: [StatisticsRow] = []
        var month = first
        while month <= last {
            months.append(byKey[month.description] ?? StatisticsRow(key: month.description, label: "", node: nil, figures: StatisticsFigures()))
            month = month.next
        }
        return months
    }

    static func gradeName(_ grade: AssessmentGrade, staff: Bool) -> String {
        switch grade {
        case .excellent: "优秀"
        case .qualified: staff ? "称职" : "合格"
        case .unqualified: staff ? "不称职" : "不合格"
        }
    }

    // MARK: Rendering

    /// The page.
    var html: String {
        let f = total
        let feedback = f.evaluated
        let flags = ranking.filter(\.redFlag)
        let quarterEnd = month.quarter.last == month
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) 便民服务督查月报 \(month.year)年\(month.month)月</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header>
            <h1>便民服务督查月报</h1>
            <p class="sub">\(HTML.escape(title)) · \(month.year)年\(month.month)月 · 生成于 \(HTML.escape(CaseOutput.timestamp(generatedAt)))</p>
            </header>
            <section class="tiles">
            \(Self.tile("受理", "\(f[.received])", "件"))
            \(Self.tile("办结", "\(f[.completed])", "件"))
            \(Self.tile("办结率", percent(f.completionRateBasisPoints, base: f[.received]), ""))
            \(Self.tile("按时办结率", percent(f.onTimeRateBasisPoints, base: f[.completed]), ""))
            \(Self.tile("满意率", percent(f.satisfactionRateBasisPoints, base: feedback), ""))
            \(Self.tile("当前超期", "\(overdueNow.reduce(0) { $0 + $1.count })", "件", alert: !overdueNow.isEmpty))
            \(Self.tile("咨询", "\(f[.consultations])", "次"))
            \(Self.tile("信访", "\(f[.petitions])", "件"))
            \(Self.tile("投诉", "\(f[.complaints])", "件"))
            \(Self.tile("投诉超期", "\(f[.complaintsOverdue])", "件", alert: f[.complaintsOverdue] > 0))
            </section>
            <section>
            <h2>各乡镇按时办结率</h2>
            <p class="note">按时办结率 = 未超过承诺或法定时限的办结件 ÷ 办结件；统计本月受理的办件。</p>
            \(onTimeChart)
            </section>
            <section>
            <h2>超期趋势（近十二个月）</h2>
            <p class="note">每月受理的办件中超过承诺或法定时限的件数；柱上为件数，括号内为占受理件的比例。</p>
            \(trendChart)
            </section>
            <section>
            <h2>满意度</h2>
            <p class="note">满意率 = (满意 + 基本满意) ÷ 作出评价的办件；未评价的不计入。</p>
            \(satisfactionChart)
            </section>
            <section>
            <h2>窗口月度考核排名</h2>
            <p class="note">基础分 \(ranking.first?.basePoints ?? 100) 分，按本中心考核办法扣分与加分，并列明所涉办件。</p>
            \(rankingTable)
            </section>
            <section>
            <h2>本月流动红旗</h2>
            \(flags.isEmpty
                ? "<p class=\"empty\">\(quarterEnd ? "本季度无窗口达到流动红旗条件。" : "流动红旗于季度末月评定（\(month.year)年\(month.quarter.last!.month)月）。")</p>"
                : "<ul class=\"flags\">" + flags.map { "<li><span class=\"flag\">流动红旗</span> \(HTML.escape($0.subject.name))（\(HTML.escape($0.subject.node.rawValue))）\($0.totalPoints) 分</li>" }.joined() + "</ul>")
            </section>
            </body>
            </html>

            """
    }

    private var nodeRows: [(label: String, figures: StatisticsFigures)] {
        byNode.map { (($0.label.isEmpty ? $0.key : "\($0.label) \($0.key)"), $0.figures) }
    }

    private var onTimeChart: String {
        let bars = nodeRows.map { row in
            (label: row.label, value: row.figures[.completed] == 0 ? nil : Double(row.figures.onTimeRateBasisPoints) / 100,
             note: "\(row.figures[.onTime])/\(row.figures[.completed]) 件")
        }
        return Self.horizontalBars(bars, empty: "本月没有办结的办件。")
    }

    private var trendChart: String {
        guard trend.contains(where: { $0.figures[.received] > 0 }) else { return "<p class=\"empty\">近十二个月没有受理的办件。</p>" }
        let width = 760.0, height = 240.0, left = 40.0, bottom = 36.0, top = 24.0
        let peak = max(1, trend.map { $0.figures[.overdue] }.max() ?? 1)
        let step = (width - left) / Double(trend.count)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"超期趋势\">"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" class=\"axis\"/>"
        for (index, row) in trend.enumerated() {
            let overdue = row.figures[.overdue], received = row.figures[.received]
            let barHeight = (height - bottom - top) * Double(overdue) / Double(peak)
            let x = left + Double(index) * step + step * 0.2
            let y = height - bottom - barHeight
            svg += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(step * 0.6))\" height=\"\(Self.n(barHeight))\" class=\"bar overdue\"/>"
            let rate = received == 0 ? "" : "（\(percent(StatisticsFigures.rate(overdue, of: received), base: received))）"
            svg += "<text x=\"\(Self.n(x + step * 0.3))\" y=\"\(Self.n(y - 6))\" class=\"value\" text-anchor=\"middle\">\(overdue)</text>"
            if !rate.isEmpty {
                svg += "<title>\(row.key) 受理 \(received) 件，超期 \(overdue) 件\(rate)</title>"
            }
            let month = row.key.split(separator: "-").last.map { "\(Int($0) ?? 0)月" } ?? row.key
            svg += "<text x=\"\(Self.n(x + step * 0.3))\" y=\"\(Self.n(height - bottom + 20))\" class=\"label\" text-anchor=\"middle\">\(month)</text>"
        }
        return svg + "</svg>"
    }

    private var satisfactionChart: String {
        let rows = nodeRows.filter { $0.figures.evaluated > 0 }
        guard !rows.isEmpty else { return "<p class=\"empty\">本月受理的办件尚无满意度评价。</p>" }
        let width = 760.0, labelWidth = 220.0, rowHeight = 30.0
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(rowHeight * Double(rows.count) + 30))\" role=\"img\" aria-label=\"满意度\">"
        for (index, row) in rows.enumerated() {
            let f = row.figures, sum = Double(f.evaluated)
            let y = Double(index) * rowHeight
            svg += "<text x=\"0\" y=\"\(Self.n(y + 19))\" class=\"label\">\(HTML.escape(row.label))</text>"
            var x = labelWidth
            for (counter, css) in [(StatisticsCounter.satisfied, "satisfied"), (.basicallySatisfied, "basic"), (.dissatisfied, "dissatisfied")] {
                let w = (width - labelWidth - 90) * Double(f[counter]) / sum
                svg += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y + 5))\" width=\"\(Self.n(w))\" height=\"20\" class=\"bar \(css)\"><title>\(f[counter]) 件</title></rect>"
                x += w
            }
            svg += "<text x=\"\(Self.n(width - 84))\" y=\"\(Self.n(y + 19))\" class=\"value\">\(percent(f.satisfactionRateBasisPoints, base: Int(sum)))</text>"
        }
        let legendY = rowHeight * Double(rows.count) + 20
        svg += "<rect x=\"\(labelWidth)\" y=\"\(legendY - 11)\" width=\"12\" height=\"12\" class=\"bar satisfied\"/><text x=\"\(labelWidth + 16)\" y=\"\(legendY)\" class=\"label\">满意</text>"
        svg += "<rect x=\"\(labelWidth + 70)\" y=\"\(legendY - 11)\" width=\"12\" height=\"12\" class=\"bar basic\"/><text x=\"\(labelWidth + 86)\" y=\"\(legendY)\" class=\"label\">基本满意</text>"
        svg += "<rect x=\"\(labelWidth + 170)\" y=\"\(legendY - 11)\" width=\"12\" height=\"12\" class=\"bar dissatisfied\"/><text x=\"\(labelWidth + 186)\" y=\"\(legendY)\" class=\"label\">不满意</text>"
        return svg + "</svg>"
    }

    private var rankingTable: String {
        guard !ranking.isEmpty else { return "<p class=\"empty\">本月没有可考核的窗口。</p>" }
        let names = Dictionary(byNode.map { ($0.key, $0.label) }, uniquingKeysWith: { a, _ in a })
        var html = "<table><thead><tr><th>名次</th><th>窗口</th><th>所属中心</th><th>得分</th><th>等次</th><th>扣分与加分</th></tr></thead><tbody>"
        for a in ranking {
            let items = a.items.isEmpty ? "—" : a.items.map { item in
                let points = item.points == 0 ? "" : String(format: "%+d ", item.points)
                return "<div class=\"item\">\(points)\(HTML.escape(item.text))\(item.caseNumber.map { " <span class=\"case\">\($0)</span>" } ?? "")</div>"
            }.joined()
            let grade = Self.gradeName(a.grade, staff: false)
            html += "<tr class=\"\(a.grade.rawValue)\"><td class=\"rank\">\(a.rank)</td><td>\(HTML.escape(a.subject.name))\(a.redFlag ? " <span class=\"flag\">流动红旗</span>" : "")</td>"
            let centre = names[a.subject.node.rawValue].flatMap { $0.isEmpty ? nil : $0 } ?? a.subject.node.rawValue
            html += "<td>\(HTML.escape(centre))</td><td class=\"points\">\(a.totalPoints)</td><td>\(grade)\(a.excellentDisqualified ? "（不得评优）" : "")</td><td>\(items)</td></tr>"
        }
        return html + "</tbody></table>"
    }

    // MARK: Pieces

    private static func tile(_ name: String, _ value: String, _ unit: String, alert: Bool = false) -> String {
        "<div class=\"tile\(alert ? " alert" : "")\"><div class=\"name\">\(name)</div><div class=\"figure\">\(HTML.escape(value))<small>\(unit)</small></div></div>"
    }

    /// Bars of percentages, one per row, with a note after each; `nil` values show "无办结".
    private static func horizontalBars(_ bars: [(label: String, value: Double?, note: String)], empty: String) -> String {
        guard !bars.isEmpty else { return "<p class=\"empty\">\(empty)</p>" }
        let width = 760.0, labelWidth = 220.0, rowHeight = 30.0, scale = width - labelWidth - 150
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(rowHeight * Double(bars.count) + 6))\" role=\"img\" aria-label=\"按时办结率\">"
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight
            svg += "<text x=\"0\" y=\"\(n(y + 19))\" class=\"label\">\(HTML.escape(bar.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(n(y + 5))\" width=\"\(n(scale))\" height=\"20\" class=\"track\"/>"
            guard let value = bar.value else {
                svg += "<text x=\"\(n(labelWidth + 8))\" y=\"\(n(y + 19))\" class=\"value muted\">无办结</text>"
                continue
            }
            let css = value >= 95 ? "good" : value >= 80 ? "fair" : "poor"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(n(y + 5))\" width=\"\(n(scale * value / 100))\" height=\"20\" class=\"bar \(css)\"/>"
            svg += "<text x=\"\(n(labelWidth + scale + 8))\" y=\"\(n(y + 19))\" class=\"value\">\(String(format: "%.1f%%", value)) · \(HTML.escape(bar.note))</text>"
        }
        return svg + "</svg>"
    }

    private static func n(_ value: Double) -> String { String(format: "%.1f", value) }


    private static let style = """
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:880px;padding:24px;color:#1f2933;background:#f7f7f5}
        header{border-bottom:3px solid #b3261e;margin-bottom:16px}h1{margin:0;font-size:28px;color:#b3261e;letter-spacing:2px}
        .sub{margin:6px 0 12px;color:#52606d}h2{font-size:19px;margin:0 0 4px;border-left:4px solid #b3261e;padding-left:8px}
        section{background:#fff;border-radius:6px;padding:16px 20px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .note{color:#7b8794;font-size:13px;margin:2px 0 10px}.empty{color:#7b8794}
        .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:12px;background:none;box-shadow:none;padding:0}
        .tile{background:#fff;border-radius:6px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .tile .name{color:#52606d;font-size:14px}.tile .figure{font-size:26px;font-weight:700}.tile small{font-size:14px;margin-left:2px;font-weight:400}
        .tile.alert .figure{color:#b3261e}svg.chart{width:100%;height:auto}
        .label{font-size:14px;fill:#323f4b}.value{font-size:13px;fill:#323f4b}.muted{fill:#9aa5b1}.axis{stroke:#9aa5b1}
        .track{fill:#eef0f2}.good{fill:#2f855a}.fair{fill:#d69e2e}.poor{fill:#c53030}.overdue{fill:#c53030}
        .satisfied{fill:#2f855a}.basic{fill:#90cdf4}.dissatisfied{fill:#c53030}
        table{width:100%;border-collapse:collapse;font-size:14px}th,td{border-bottom:1px solid #e4e7eb;padding:6px;text-align:left;vertical-align:top}
        th{background:#f0f2f4;white-space:nowrap}td:nth-child(-n+5){white-space:nowrap}.rank,.points{font-weight:700;text-align:center}tr.unqualified td{background:#fdf2f2}
        .item{font-size:13px;color:#52606d}.case{font-family:monospace;color:#7b8794}
        .flag{display:inline-block;background:#b3261e;color:#fff;border-radius:3px;padding:0 6px;font-size:12px}
        .flags{list-style:none;padding:0;font-size:16px}
        """
}
