import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianWire
import Foundation

/// `banjian order …`: 督办 orders from a level above on a case held below it.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "督办: issue a supervision order on a case held in the subtree, and answer it at the holder.",
        discussion: """
            The order travels down the links to the case's holder, which watches its limit with its own clock and rungs; \
            the answer, and a breach of the limit, travel back up with the case's events ('banjian case get' shows them). \
            Exit codes: 0 done; 65 invalid input; 66 case not found; 69 node unreachable; 77 not permitted; 1 any other refusal.
            """,
        subcommands: [Issue.self, Answer.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a 督办 order (supervisors, deputies, directors).")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The case number.") var number: String
        @Option(help: "督办意见: what must be done.") var instruction: String
        @Option(help: "Working days to answer within.") var days: Int
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?

        func run() async throws {
            let (number, instruction, days, requestID, json) = (number, instruction, days, requestID ?? UUID().uuidString, connection.json)
            try await connection.call { client in
                let order = try await client.supervision.issueSupervisionOrder(.with {
                    $0.requestID = requestID
                    $0.order = .with {
                        $0.caseNumber = number
                        $0.instruction = instruction
                        $0.respondWithin = Banjian_V1_TimeLimit(.workingDays(days))
                    }
                }, metadata: client.metadata).order
                if json { return CaseOutput.emit(try order.jsonString()) }
                CaseOutput.emit("督办 order \(order.orderNumber) on case \(order.caseNumber), for node \(order.targetNodeCode), "
                                + "to answer within \(CaseOutput.limit(order.respondWithin))")
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Answer a 督办 order at the case's holder (its handler or a leader).")
        @OptionGroup var transition: TransitionOptions
        @Argument(help: "The order number.") var order: String
        @Option(help: "督办回复: what was done.") var answer: String
        func run() async throws { try await transition.send(.supervisionOrderAnswered(orderNumber: order, answer: answer)) }
    }
}
