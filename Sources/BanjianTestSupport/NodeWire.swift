package import BanjianDomain
package import BanjianWire
import Foundation

/// Wire requests built from domain values, so tests speak the real protocol.
package enum NodeWire {
    package static let handler = Actor(operatorID: "handler-1", name: "张承办", role: .handler, node: TestNode.township)

    package static func intake(summary: String = "申请生育登记") -> Intake {
        Intake(
            number: CaseNumber("341182102-20000101-000001")!, channel: .window,
            applicant: Party(name: "张三", idNumber: "341182199001011234", phone: "13800000000", address: "明光市张八岭镇"),
            matter: MatterRef(code: "JS-003", name: "生育登记"), summary: summary,
            materials: [Material(id: "m1", name: "结婚证", copies: 1, pages: 1, isMainDocument: true, status: .provided)])
    }

    package static func create(_ requestID: String, _ intake: Intake = intake()) -> Banjian_V1_CreateCaseRequest {
        Banjian_V1_CreateCaseRequest(requestID: requestID, intake: intake)
    }

    package static let promised = CaseEvent.accepted(Acceptance(
        route: .promised(Assignment(department: "社会事务服务部", handler: handler)), limits: CaseLimits(promised: .workingDays(5))))

    package static func accept(_ number: String, _ requestID: String, event: CaseEvent = promised) -> Banjian_V1_AcceptCaseRequest {
        guard case .accepted(let accepted) = Banjian_V1_CaseEvent.OneOf_Body(event) else { fatalError() }
        return .with {
            $0.requestID = requestID
            $0.caseNumber = number
            $0.accepted = accepted
        }
    }

    package static func complete(_ number: String, _ requestID: String) -> Banjian_V1_CompleteCaseRequest {
        let decision = Decision(outcome: .approved, summary: "准予登记", handlingOpinion: "符合条件", review: Opinion(text: "复核无误"))
        guard case .completed(let completed) = Banjian_V1_CaseEvent.OneOf_Body(.completed(decision)) else { fatalError() }
        return .with {
            $0.requestID = requestID
            $0.caseNumber = number
            $0.completed = completed
        }
    }
}
