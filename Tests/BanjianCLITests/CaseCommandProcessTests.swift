import BanjianDomain
import BanjianNode
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The staff CLI as a user runs it: `banjian serve` in one process, `banjian case …` in others.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CaseCommandProcessTests {
    /// Runs `banjian` with arguments; returns its exit status and standard output and error.
    static func banjian(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashSafetyTests.executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test func aCaseFromAcceptanceToArchiveWithTheCLIThenAGracefulStop() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-cli-\(UUID().uuidString)").path
        let initialised = try Self.banjian(["init", "--dir", directory, "--listen", "127.0.0.1:0"])
        #expect(initialised.status == 0)
        let config = directory + "/341182102.json"
        #expect(initialised.output.contains("config:  \(config)"))
        let (server, address) = try CrashSafetyTests.serve(config: config)
        let c = ["--config", config, "--address", "\(address)"]

        let created = try Self.banjian(["case", "create"] + c + ["--as", "acceptor", "--matter", "JS-003", "--applicant", "张三",
                                        "--summary", "申请生育登记", "--material", "m1:结婚证"])
        #expect(created.status == 0, "\(created.errors)")
        let number = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("number") }?
            .split(separator: " ", omittingEmptySubsequences: true).last.map(String.init))
        #expect(created.output.contains("matter     JS-003 生育登记"))

        for (role, step) in [("acceptor", ["accept", number, "--route", "promised"]), ("handler", ["complete", number, "--summary", "准予登记"]),
                             ("handler", ["reply", number]), ("acceptor", ["handover", number, "--recipient", "张三"]),
                             ("acceptor", ["feedback", number]), ("acceptor", ["archive", number])] {
            let result = try Self.banjian(["case"] + [step[0]] + Array(step.dropFirst()) + c + ["--as", role])
            #expect(result.status == 0, "\(step[0]): \(result.errors)")
        }
        let shown = try Self.banjian(["case", "get", number, "--json"] + c + ["--as", "auditor"])
        let json = try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any]
        #expect(json?["state"] as? String == "CASE_STATE_ARCHIVED")
        let events = try Self.banjian(["case", "events", number] + c + ["--as", "auditor"])
        #expect(events.output.split(separator: "\n").count == 7)
        let listed = try Self.banjian(["case", "list", "--state", "archived"] + c + ["--as", "auditor"])
        #expect(listed.output.contains(number))
        let byKind = try Self.banjian(["case", "list", "--kind", "promised", "--received-from", "2024-01-01", "--node", "341182102"] + c + ["--as", "auditor"])
        #expect(byKind.status == 0 && byKind.output.contains(number), "\(byKind.errors)")
        #expect(try !Self.banjian(["case", "list", "--kind", "immediate"] + c + ["--as", "auditor"]).output.contains(number))
        #expect(try !Self.banjian(["case", "list", "--received-before", "2024-01-01"] + c + ["--as", "auditor"]).output.contains(number))
        let badKind = try Self.banjian(["case", "list", "--kind", "urgent"] + c + ["--as", "auditor"])
        #expect(badKind.status == 64 && badKind.errors.contains("--kind: unknown kind 'urgent'"))
        let badRange = try Self.banjian(["case", "list", "--received-from", "2025-02-01", "--received-before", "2025-01-01"] + c + ["--as", "auditor"])
        #expect(badRange.status == 65 && badRange.errors.contains("received.end"))

        // Refusals: the server's message and a conventional exit code.
        let denied = try Self.banjian(["case", "urge", number, "--reason", "快"] + c + ["--as", "agent"])
        #expect(denied.status == 77 && denied.errors.contains("permissionDenied"))
        let missing = try Self.banjian(["case", "get", "341182102-20250101-000001"] + c + ["--as", "auditor"])
        #expect(missing.status == 66 && missing.errors.contains("not found"))
        let illegal = try Self.banjian(["case", "reply", number] + c + ["--as", "handler"])
        #expect(illegal.status == 1 && illegal.errors.contains("failedPrecondition"))
        let bad = try Self.banjian(["case", "get", "nope"] + c + ["--as", "auditor"])
        #expect(bad.status == 65 && bad.errors.contains("case_number"))

        // SIGTERM: a graceful stop, exit status 0.
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        let unreachable = try Self.banjian(["case", "get", number] + c + ["--as", "auditor"])
        #expect(unreachable.status == 69)
    }

    @Test func aVillageAgentRecordsAnAgencyCaseAndSubmitsItToTheTownship() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-cli-\(UUID().uuidString)").path
        #expect(try Self.banjian(["init", "--dir", directory, "--code", "341182102201", "--name", "张八岭村代理点", "--listen", "127.0.0.1:0"]).status == 0)
        let config = directory + "/341182102201.json"
        let (server, address) = try CrashSafetyTests.serve(config: config)
        defer { kill(server.processIdentifier, SIGKILL) }
        let c = ["--config", config, "--address", "\(address)", "--as", "agent"]
        let intake = ["case", "create"] + c + ["--matter", "JS-003", "--applicant", "李四", "--summary", "代办生育登记",
                                               "--material", "m1:结婚证", "--material", "m2:身份证"]

        // The slip is required on the agency channel, and its options only there: refused before any call.
        let noSlip = try Self.banjian(intake + ["--channel", "agency"])
        #expect(noSlip.status == 64 && noSlip.errors.contains("--slip"))
        let slipElsewhere = try Self.banjian(intake + ["--slip", "NO.0001"])
        #expect(slipElsewhere.status == 64 && slipElsewhere.errors.contains("--channel agency"))
        let badVillage = try Self.banjian(intake + ["--channel", "agency", "--slip", "NO.0001", "--village", "341182102"])
        #expect(badVillage.status == 64 && badVillage.errors.contains("village code"))

        let created = try Self.banjian(intake + ["--channel", "agency", "--slip", "NO.0001", "--pickup", "2026-12-01T10:00", "--prepaid-fen", "500", "--json"])
        #expect(created.status == 0, "\(created.errors)")
        let record = try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: Any]
        let number = try #require(record?["number"] as? String)
        #expect(record?["state"] as? String == "CASE_STATE_AGENCY_INTAKE")
        let slip = record?["agencyHandover"] as? [String: Any]
        #expect(slip?["serialNumber"] as? String == "NO.0001")
        #expect(slip?["villageNodeCode"] as? String == "341182102201")
        #expect(slip?["materialIds"] as? [String] == ["m1", "m2"])
        #expect(slip?["prepaidFeeFen"] as? String == "500")

        let submitted = try Self.banjian(["case", "submit", number] + c)
        #expect(submitted.status == 0, "\(submitted.errors)")
        #expect(submitted.output.contains("agencySubmitted") && submitted.output.contains("state      received"))
        let again = try Self.banjian(["case", "submit", number] + c)
        #expect(again.status == 1 && again.errors.contains("failedPrecondition"))
    }

    @Test func operatorsAreAddedListedAndRevokedWhileTheNodeRuns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-cli-\(UUID().uuidString)").path
        #expect(try Self.banjian(["init", "--dir", directory, "--listen", "127.0.0.1:0"]).status == 0)
        let config = directory + "/341182102.json"
        let (server, address) = try CrashSafetyTests.serve(config: config)
        defer { kill(server.processIdentifier, SIGKILL) }
        let db = ["--config", config]

        let added = try Self.banjian(["operator", "add"] + db + ["--id", "acceptor-2", "--name", "孙受理", "--role", "acceptor", "--json"])
        #expect(added.status == 0, "\(added.errors)")
        let account = try JSONSerialization.jsonObject(with: Data(added.output.utf8)) as? [String: String]
        let token = try #require(account?["token"])
        #expect(account?["role"] == "acceptor" && account?["id"] == "acceptor-2")
        let c = ["--config", config, "--address", "\(address)", "--token", token]
        let firstCall = try Self.banjian(["case", "list"] + c)
        #expect(firstCall.status == 0, "\(firstCall.errors)")

        #expect(try Self.banjian(["operator", "add"] + db + ["--id", "acceptor-2", "--name", "x", "--role", "acceptor"]).status == 1)
        #expect(try Self.banjian(["operator", "add"] + db + ["--id", "a b", "--name", "x", "--role", "acceptor"]).status == 64)
        #expect(try Self.banjian(["operator", "add"] + db + ["--id", "x", "--name", "x", "--role", "mayor"]).status == 64)

        // A token revoked before the node has cached it is refused at once.
        let other = try Self.banjian(["operator", "add"] + db + ["--id", "handler-2", "--name", "周承办", "--role", "handler", "--json"])
        let otherToken = try #require((try JSONSerialization.jsonObject(with: Data(other.output.utf8)) as? [String: String])?["token"])
        let revoked = try Self.banjian(["operator", "revoke", "handler-2"] + db)
        #expect(revoked.status == 0 && revoked.output.contains("handler-2  handler  周承办  revoked"))
        let refused = try Self.banjian(["case", "list", "--config", config, "--address", "\(address)", "--token", otherToken])
        #expect(refused.status == 77 && refused.errors.contains("unknown or revoked token"))

        let listed = try Self.banjian(["operator", "list"] + db)
        #expect(listed.output.contains("acceptor-2  acceptor  孙受理  active"))
        #expect(listed.output.contains("handler-2  handler  周承办  revoked"))
        #expect(try Self.banjian(["operator", "revoke", "nobody"] + db).status == 66)
    }
}
