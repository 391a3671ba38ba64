@testable import BanjianDomain
import Testing

/// The events that alert the supervisors beside the rungs (issue 13 §1).
@Suite("Case alerts") struct CaseAlertTests {
    typealias F = Fixture

    @Test("a return and a dissatisfied applicant alert the supervisors; a satisfied one does not")
    func alerts() throws {
        var returned = CaseDriver()
        try returned.apply(.received(F.intake()), by: F.acceptor)
        let actions = try returned.apply(.returned(category: .incompleteDocuments, reason: "缺少原件", appealRights: "可申请复议"), by: F.acceptor)
        #expect(actions.contains(.alertSupervisors(.returned)))

        for (satisfaction, alerted) in [(Satisfaction.dissatisfied, true), (.satisfied, false)] {
            var driver = CaseDriver()
            try driver.apply(.received(F.intake()), by: F.acceptor)
            try driver.apply(.accepted(Acceptance(route: F.promisedRoute)), by: F.acceptor)
            try driver.apply(.completed(F.decision), by: F.handler)
            try driver.apply(.replied, by: F.handler)
            try driver.apply(.handedOver(recipient: "张三", method: .inPerson, recipientSigned: true), by: F.acceptor)
            let feedback = try driver.apply(.feedbackRecorded(satisfaction: satisfaction, comment: ""), by: F.acceptor)
            #expect(feedback.contains(.alertSupervisors(.dissatisfied)) == alerted, "\(satisfaction)")
        }
    }
}
