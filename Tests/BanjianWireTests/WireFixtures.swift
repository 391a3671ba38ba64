import BanjianDomain
import Foundation

enum W {
    static let county = NodeCode("341182")!
    static let township = NodeCode("341182102")!
    static let village = NodeCode("341182102201")!
    static let calendar = WorkingCalendar.chinaMainland()
    static let number = CaseNumber("341182102-20250310-000001")!

    static func actor(_ role: Role, _ id: String? = nil, at node: NodeCode = township) -> Actor {
        Actor(operatorID: id ?? "\(role.rawValue)-1", name: "\(role.rawValue) 1", role: role, node: node)
    }

    static func at(_ date: String, _ hour: Int = 9, _ minute: Int = 0) -> Date {
        calendar.startOfDay(CivilDate(iso: date)!).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    static let intake = Intake(
        number: number, channel: .agency,
        applicant: Party(name: "张三", idNumber: "341182199001011234", phone: "138 0000 0000", address: "明光市张八岭镇"),
        principal: Party(name: "李四", phone: "+86-550-1234567"),
        matter: MatterRef(code: "MZ-001", name: "城乡低保申请", version: 3),
        summary: "申请城乡最低生活保障\n附家庭收入说明",
        materials: [
            Material(id: "m1", name: "申请书", copies: 1, pages: 2, isMainDocument: true, status: .provided),
            Material(id: "m2", name: "身份证复印件", copies: 2, pages: 1, status: .provided),
        ],
        fees: [Fee(item: "工本费", basis: "皖价费〔2008〕1号", amountFen: 1500, receiptNumber: "R-1", prepaid: true)],
        agency: AgencyHandover(serialNumber: "NO.0001", village: village, materialIDs: ["m1", "m2"], prepaidFen: 1500,
                               pickupAt: at("2025-03-20", 10), principalSigned: true, agentSigned: true),
        acceptancePhone: "0550-8000001", supervisionPhone: "0550-8000002")

    static let decision = Decision(
        outcome: .approved, summary: "准予", handlingOpinion: "同意",
        departmentOpinion: Opinion(text: "同意办理", signer: actor(.departmentHead), signedAt: at("2025-03-12")),
        review: Opinion(text: "复核无误"), certificateNumbers: ["低保证 001"], documentNumbers: ["明民〔2025〕1号"])

    /// One event of every kind, with its payloads filled in.
    static let events: [CaseEvent] = [
        .received(intake),
        .agencySubmitted(to: township),
        .declaredOutOfScope(Referral(unit: "县不动产登记中心", contact: "0550-0000000")),
        .supplementRequested(SupplementRequest(missing: [Material(id: "m3", name: "户口簿", copies: 1, status: .missing)], note: "一次性告知")),
        .materialsSupplied(materialIDs: ["m3"]),
        .accepted(Acceptance(route: .immediate, opinion: "即办", rightsAndDuties: "")),
        .accepted(Acceptance(route: .promised(Assignment(department: "社会事务服务部", handler: actor(.handler))),
                             limits: CaseLimits(promised: .workingDays(5), statutory: .workingDays(20)), opinion: "受理", rightsAndDuties: "告知")),
        .accepted(Acceptance(route: .joint(lead: "民政", departments: ["民政", "国土"], handler: Assignment(department: "民政", handler: actor(.handler))),
                             limits: CaseLimits(promised: .workingMinutes(600), statutory: .calendarDays(30)))),
        .accepted(Acceptance(route: .escalated(EscalationPlan(target: county, preliminaryOpinion: Opinion(text: "符合条件", signer: actor(.handler), signedAt: at("2025-03-11")),
                                                              forwardingLimit: .workingDays(1)),
                                               handler: Assignment(department: "社会事务服务部", handler: actor(.handler))),
                             limits: CaseLimits(promised: .workingDays(15)))),
        .accepted(Acceptance(route: .escalated(EscalationPlan(target: county, preliminaryOpinion: Opinion(text: "符合条件")), handler: nil))),
        .handlerAssigned(Assignment(department: "经济发展服务部", handler: actor(.handler, "h2"))),
        .jointDepartmentCompleted(department: "国土", outcome: .refused, opinion: Opinion(text: "不同意")),
        .jointDepartmentCompleted(department: "民政", outcome: .done, opinion: nil),
        .escalated(EscalationPlan(target: county, preliminaryOpinion: Opinion(text: "建议批准"), forwardingLimit: nil)),
        .escalationAcknowledged(noticeNumber: "决字〔2025〕1号"),
        .escalationDecided(Decision(outcome: .refused, summary: "不予许可", documentNumbers: ["明民不〔2025〕2号"])),
        .specialStepStarted(kind: .siteSurvey, note: "现场踏勘", expectedEndAt: at("2025-03-14")),
        .specialStepStarted(kind: .publicNotice, note: "", expectedEndAt: nil),
        .specialStepEnded(outcome: "踏勘符合条件"),
        .extensionRequested(clock: .statutory, workingDays: 10, reason: "需要听证"),
        .extensionDecided(approved: false, note: "理由不足"),
        .urged(reason: "临近期限", directorInstruction: Opinion(text: "抓紧办理", signer: actor(.director), signedAt: at("2025-03-13"))),
        .urged(reason: "超期", directorInstruction: nil),
        .returned(category: .tooLateOrEarly, reason: "超过申请期限", appealRights: "可依法申请行政复议或提起行政诉讼"),
        .returnReviewed(upheld: false, note: "理由不成立"),
        .cannotHandle(reason: "政策调整"),
        .completed(decision),
        .replied,
        .handedOver(recipient: "张三", method: .post, recipientSigned: false),
        .feedbackRecorded(satisfaction: .basicallySatisfied, comment: "还行"),
        .archived,
        .rungFired(RungKey(clock: .delivery, rung: .reportUp, epoch: 2)),
        .deadlinesCorrected(DeadlineCorrection(calendar: "9f3a", withdrawn: [
            RungKey(clock: .promised, rung: .urge, epoch: 1), RungKey(clock: .promised, rung: .due, epoch: 1),
        ])),
        .supervisionOrdered(SupervisionOrder(number: "341182-20250311-000001", issuingNode: county, target: township,
                                             caseNumber: CaseNumber("341182102-20250310-000001")!, instruction: "请于三个工作日内办结",
                                             respondWithin: .workingDays(3), issuedBy: actor(.supervisor), issuedAt: at("2025-03-11"))),
        .supervisionOrderAnswered(orderNumber: "341182-20250311-000001", answer: "已办结"),
        .feedbackRecorded(satisfaction: .dissatisfied, comment: "太慢", followUpWithin: .workingDays(3)),
        .followUpRecorded(outcome: .verified, note: "不满意属实，已整改"),
    ]
}
