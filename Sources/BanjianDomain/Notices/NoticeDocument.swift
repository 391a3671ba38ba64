public import Foundation

/// A numbered notice as issued to the applicant or a handler: its fields in the order they are
/// printed, the material list where the notice has one, and the signature lines.
///
/// Built by ``NoticeDocument/init(kind:number:record:event:calendar:)`` from the case as the
/// event left it, so the notice says what was true when it was issued.
public struct NoticeDocument: Hashable, Sendable, Codable {
    /// One printed field: a label and its value.
    public struct Field: Hashable, Sendable, Codable {
        public var label: String
        public var value: String
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// One row of a notice's material list.
    public struct MaterialLine: Hashable, Sendable, Codable {
        public var name: String
        /// 应交 (required by the catalogue), 已交 (provided), 缺 (missing), 已补 (supplied later).
        public var status: String
        public var copies: Int
        public init(name: String, status: String, copies: Int) {
            self.name = name
            self.status = status
            self.copies = copies
        }
    }

    /// Unique at the issuing node: `<node>-<kind code>-<year>-<6-digit sequence>`.
    public var number: String
    public var kind: Notice
    public var caseNumber: CaseNumber
    /// The case's version after the event that issued the notice.
    public var caseVersion: UInt64
    public var issuedAt: Date
    public var issuedBy: Actor
    /// The printed title, e.g. 承诺件受理通知书.
    public var title: String
    public var fields: [Field]
    public var materials: [MaterialLine]
    /// The lines to sign, e.g. 经办人（签名）.
    public var signatures: [String]

    public init(number: String, kind: Notice, caseNumber: CaseNumber, caseVersion: UInt64, issuedAt: Date, issuedBy: Actor,
                title: String, fields: [Field], materials: [MaterialLine], signatures: [String]) {
        self.number = number
        self.kind = kind
        self.caseNumber = caseNumber
        self.caseVersion = caseVersion
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.title = title
        self.fields = fields
        self.materials = materials
        self.signatures = signatures
    }

    /// The value of the first field with `label`, if any.
    public func value(_ label: String) -> String? { fields.first { $0.label == label }?.value }
}

extension Notice {
    /// The printed title.
    public var title: String {
        switch self {
        case .receipt: "收件回执单"
        case .supplementNotice: "补办件通知书（一次性告知）"
        case .promisedAcceptance: "承诺件受理通知书"
        case .jointNotice: "联办件通知书"
        case .escalationNotice: "上报件通知书"
        case .returnNotice: "退回件通知书"
        case .referral: "非受理范围告知单"
        case .extensionNotice: "延期告知书"
        case .urgingSlip: "催办单"
        case .cannotHandleNotice: "不予办理通知书"
        case .resultReady: "办结领取通知单"
        }
    }

    /// The two letters of the kind in a notice number (from the pinyin of its name).
    public var numberCode: String {
        switch self {
        case .receipt: "SJ"
        case .supplementNotice: "BB"
        case .promisedAcceptance: "CN"
        case .jointNotice: "LB"
        case .escalationNotice: "SB"
        case .returnNotice: "TH"
        case .referral: "GZ"
        case .extensionNotice: "YQ"
        case .urgingSlip: "CB"
        case .cannotHandleNotice: "BY"
        case .resultReady: "LQ"
        }
    }
}

extension NoticeDocument {
    /// The notice of `kind` that `event` issued, with the case as the event left it.
    /// - Parameters:
    ///   - number: assigned by the issuing node.
    ///   - calendar: for the due dates printed on the notice.
    /// - Complexity: O(materials + clocks × ledger entries).
    public init(kind: Notice, number: String, record: CaseRecord, event: RecordedEvent, calendar: WorkingCalendar) {
        let zone = calendar.zone
        /// A due instant as printed; one reaching into a year whose holidays are not yet
        /// published is marked provisional (暂定).
        func due(_ clock: ClockKind) -> String? {
            record.clocks[clock]?.due(calendar: calendar).map { zone.printed($0.instant) + ($0.provisional ? "（暂定）" : "") }
        }
        var fields: [Field] = [
            Field("办件编号", record.number.description),
            Field("事项", "\(record.matter.name)（\(record.matter.code)）"),
            Field("申请人", record.applicant.name),
            Field("申请事项", record.summary),
            Field("收件时间", zone.printed(record.receivedAt)),
        ]
        var materials: [MaterialLine] = []
        var signatures = ["经办人（签名）", "日期"]
        func limits() {
            if let promised = record.limits.promised { fields.append(Field("承诺时限", promised.printed)) }
            if let dueAt = due(.promised) { fields.append(Field("承诺办结期限", dueAt)) }
            if let statutory = record.limits.statutory { fields.append(Field("法定时限", statutory.printed)) }
            if let dueAt = due(.statutory) { fields.append(Field("法定办结期限", dueAt)) }
        }
        switch kind {
        case .receipt:
            materials = record.materials.map { MaterialLine(name: $0.name, status: $0.status.printed, copies: $0.copies) }
            signatures = ["收件人（签名）", "申请人（签名）", "日期"]
        case .supplementNotice:
            let held = Set(record.materials.map(\.name))
            materials = (record.terms?.requiredMaterials ?? []).filter { !held.contains($0.name) }
                .map { MaterialLine(name: $0.name, status: "应交", copies: $0.copies) }
                + record.materials.map { MaterialLine(name: $0.name, status: $0.status.printed, copies: $0.copies) }
            if let note = record.supplementRequest?.note, !note.isEmpty { fields.append(Field("说明", note)) }
            fields.append(Field("告知", "以上缺少的材料一次性告知，请补齐后提交；办理时限自材料补齐之日起计算。"))
            signatures = ["经办人（签名）", "申请人（签名）", "日期"]
        case .promisedAcceptance:
            fields.append(Field("受理时间", zone.printed(event.occurredAt)))
            limits()
            if let assignment = record.assignment {
                fields.append(Field("承办部室", assignment.department))
                fields.append(Field("全程承办人", assignment.handler.name))
            }
            signatures = ["受理人（签名）", "申请人（签名）", "日期"]
        case .jointNotice:
            if let joint = record.joint {
                fields.append(Field("牵头部门", joint.lead))
                fields.append(Field("联办部门", joint.participants.map(\.department).joined(separator: "、")))
            }
            limits()
        case .escalationNotice:
            if let escalation = record.escalation {
                fields.append(Field("上报至", escalation.target.description))
                fields.append(Field("初步审查意见", escalation.preliminaryOpinion.text))
            }
            if let dueAt = due(.forwarding) { fields.append(Field("上报期限", dueAt)) }
            limits()
        case .returnNotice:
            if let last = record.returns.last {
                fields.append(Field("退回原因", last.reason))
                fields.append(Field("退回类别", last.category.rawValue))
                fields.append(Field("申请人权利", last.appealRights.isEmpty ? "对本决定不服的，可依法申请行政复议或者提起行政诉讼。" : last.appealRights))
            }
            signatures = ["经办人（签名）", "负责人（签名）", "申请人（签收）", "日期"]
        case .referral:
            if case .closed(.notInScope(let referral)) = record.state {
                fields.append(Field("请向以下单位申请", referral.unit))
                if !referral.contact.isEmpty { fields.append(Field("联系方式", referral.contact)) }
            }
        case .extensionNotice:
            if let approved = record.extensions.last(where: { $0.approved == true }) {
                fields.append(Field("延期原因", approved.reason))
                fields.append(Field("延长", "\(approved.workingDays) 个工作日"))
                if let approver = approved.decidedBy { fields.append(Field("批准人", approver.name)) }
                if let dueAt = due(approved.clock) { fields.append(Field("延期后办结期限", dueAt)) }
            }
            signatures = ["经办人（签名）", "批准人（签名）", "日期"]
        case .urgingSlip:
            if let urging = record.urgings.last {
                fields.append(Field("催办原因", urging.reason))
                fields.append(Field("全程承办人", urging.handler?.name ?? "（未指定）"))
                fields.append(Field("中心主任批办", urging.directorInstruction?.text ?? "（无）"))
                fields.append(Field("催办人", urging.by.name))
            }
            limits()
            signatures = ["催办人（签名）", "承办人（签收）", "中心主任（签字）", "日期"]
        case .cannotHandleNotice:
            if case .closed(.cannotHandle(let reason, let by)) = record.state {
                fields.append(Field("不予办理原因", reason))
                fields.append(Field("承办人", by.name))
            }
        case .resultReady:
            if let result = record.result {
                fields.append(Field("办理结果", result.decision.summary))
                fields.append(Field("办结时间", zone.printed(result.completedAt)))
            }
            if let dueAt = due(.delivery) { fields.append(Field("送达期限", dueAt)) }
            signatures = ["经办人（签名）", "领取人（签收）", "日期"]
        }
        self.init(number: number, kind: kind, caseNumber: record.number, caseVersion: record.version,
                  issuedAt: event.occurredAt, issuedBy: event.actor, title: kind.title, fields: fields,
                  materials: materials, signatures: signatures)
    }
}

extension TimeLimit {
    /// The limit as printed on a notice: 15个工作日, 30个工作分钟, 7日.
    public var printed: String {
        switch self {
        case .workingDays(let n): "\(n)个工作日"
        case .workingMinutes(let n): "\(n)个工作分钟"
        case .calendarDays(let n): "\(n)日"
        }
    }
}

extension Material.Status {
    /// As printed on a material list.
    public var printed: String {
        switch self {
        case .provided: "已交"
        case .missing: "缺"
        case .suppliedLater: "已补"
        }
    }
}
