package import BanjianDomain
package import Foundation
import SwiftProtobuf

// Supervision: statistics and the monthly assessment.

extension Banjian_V1_GetStatisticsRequest {
    /// The request as a query, with every field checked; the period's civil days are in `zone`.
    package func validated(zone: CalendarZone) throws(WireValidationError) -> StatisticsQuery {
        let grouping = try Mappings.statisticsGrouping.domain(groupBy, "group_by")
        try Check.present(hasPeriod, "period")
        try Check.present(period.hasStart, "period.start")
        try Check.present(period.hasEnd, "period.end")
        let start = try Check.date(period.start, "period.start"), end = try Check.date(period.end, "period.end")
        guard start < end else { throw WireValidationError("period", "must end after it starts") }
        let first = zone.civilDate(of: start), last = zone.civilDate(of: end.addingTimeInterval(-0.000_001))
        guard last.dayNumber - first.dayNumber < 366 * 10 else { throw WireValidationError("period", "covers more than ten years") }
        var interval: StatisticsGrouping?
        if self.interval != .unspecified {
            let period = try Mappings.statisticsGrouping.domain(self.interval, "interval")
            guard period.isPeriod else { throw WireValidationError("interval", "must be DAY, WEEK, MONTH, QUARTER or YEAR") }
            interval = period
        }
        return StatisticsQuery(subtree: try Check.optionalNode(nodeCode, "node_code"), grouping: grouping, days: first...last, interval: interval)
    }
}

extension Banjian_V1_StatisticsGroupBy {
    package init(_ grouping: StatisticsGrouping) {
        self = Mappings.statisticsGrouping.wire(grouping)
    }
}

extension Banjian_V1_StatisticsRow {
    package init(_ row: StatisticsRow) {
        self.init(key: row.key, label: row.label, node: row.node, figures: row.figures)
    }

    package init(key: String, label: String, node: NodeCode?, figures: StatisticsFigures) {
        self.init()
        self.key = key
        self.label = label
        nodeCode = node?.rawValue ?? ""
        for (counter, field) in Self.counters { self[keyPath: field] = UInt64(clamping: figures[counter]) }
        satisfactionRateBp = UInt32(clamping: figures.satisfactionRateBasisPoints)
        completionRateBp = UInt32(clamping: figures.completionRateBasisPoints)
        onSpotRateBp = UInt32(clamping: figures.onSpotRateBasisPoints)
        onTimeRateBp = UInt32(clamping: figures.onTimeRateBasisPoints)
    }

    /// Each figure's field.
    private static var counters: [(StatisticsCounter, WritableKeyPath<Banjian_V1_StatisticsRow, UInt64>)] {
        [(.received, \.received), (.completed, \.completed), (.completedOnSpot, \.completedOnSpot), (.onTime, \.onTime),
         (.overdue, \.overdue), (.extended, \.extended), (.returned, \.returned), (.forwardedUp, \.forwardedUp),
         (.satisfied, \.satisfied), (.basicallySatisfied, \.basicallySatisfied), (.dissatisfied, \.dissatisfied),
         (.consultations, \.consultations), (.petitions, \.petitions), (.complaints, \.complaints),
         (.complaintsOverdue, \.complaintsOverdue)]
    }

    /// The row as domain figures.
    package var domain: StatisticsRow {
        var figures = StatisticsFigures()
        for (counter, field) in Self.counters { figures[counter] = Int(clamping: self[keyPath: field]) }
        return StatisticsRow(key: key, label: label, node: NodeCode(nodeCode), figures: figures)
    }
}

/// A checked assessment request.
package struct AssessmentRequest: Sendable {
    package let subtree: NodeCode?
    package let month: YearMonth
    package let kind: AssessmentSubjectKind
    package let subjectID: String?
}

extension Banjian_V1_GetAssessmentRequest {
    package func validated() throws(WireValidationError) -> AssessmentRequest {
        try Check.present(hasMonth, "month")
        guard let month = YearMonth(year: Int(self.month.year), month: Int(self.month.month)) else {
            throw WireValidationError("month", "\(self.month.year)-\(self.month.month) is not a month")
        }
        let subject = try Check.text(subjectID, "subject_id", max: 64)
        return AssessmentRequest(subtree: try Check.optionalNode(nodeCode, "node_code"), month: month,
                                 kind: try Mappings.assessmentSubject.domain(subjectKind, "subject_kind"),
                                 subjectID: subject.isEmpty ? nil : subject)
    }
}

extension Banjian_V1_Assessment {
    package init(_ assessment: Assessment) {
        self.init()
        subjectKind = Mappings.assessmentSubject.wire(assessment.kind)
        subjectID = assessment.subject.id
        subjectName = assessment.subject.name
        nodeCode = assessment.subject.node.rawValue
        month = .with {
            $0.year = Int32(assessment.month.year)
            $0.month = Int32(assessment.month.month)
        }
        basePoints = Int32(clamping: assessment.basePoints)
        items = assessment.items.map { item in
            .with {
                $0.ruleCode = item.rule
                $0.text = item.text
                $0.points = Int32(clamping: item.points)
                $0.caseNumber = item.caseNumber?.description ?? ""
                $0.count = UInt32(clamping: item.count)
                $0.events = item.events.map { event in
                    .with {
                        $0.originNodeCode = event.origin.rawValue
                        $0.originSequence = event.sequence
                    }
                }
            }
        }
        totalPoints = Int32(clamping: assessment.totalPoints)
        grade = Mappings.grade.wire(assessment.grade)
        rank = UInt32(clamping: assessment.rank)
        redFlag = assessment.redFlag
        excellentDisqualified = assessment.excellentDisqualified
    }

    /// The assessment as the domain's, for a client that reads it.
    package var domain: Assessment? {
        guard let node = NodeCode(nodeCode), let month = YearMonth(year: Int(month.year), month: Int(month.month)),
              let kind = try? Mappings.assessmentSubject.domain(subjectKind, "subject_kind"),
              let grade = try? Mappings.grade.domain(grade, "grade")
        else { return nil }
        return Assessment(
            kind: kind, subject: AssessmentSubject(node: node, id: subjectID, name: subjectName), month: month, basePoints: Int(basePoints),
            items: items.map { item in
                ScoreItem(rule: item.ruleCode, text: item.text, points: Int(item.points), caseNumber: CaseNumber(item.caseNumber),
                          count: Int(item.count), events: item.events.compactMap { event in
                              NodeCode(event.originNodeCode).map { EventID(origin: $0, sequence: event.originSequence) }
                          })
            },
            excellentDisqualified: excellentDisqualified, grade: grade, rank: Int(rank), redFlag: redFlag)
    }
}
