import BanjianDomain
import BanjianNode
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every transition and the notices from the CLI, at a county node serving its demo catalogue.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CaseRulesCLITests {
    static let banjian = CaseCommandProcessTests.banjian

    /// The case number from a `case create` table.
    static func number(_ output: String) throws -> String {
        try #require(output.split(separator: "\n").first { $0.hasPrefix("number") }?
            .split(separator: " ", omittingEmptySubsequences: true).last.map(String.init))
    }

    /// A county node (`banjian init --code 341182`) served by a real `banjian serve` for `body`,
    /// which gets the directory, the config path and the connection options.
    static func withCounty(_ body: (_ directory: String, _ config: String, _ connection: [String]) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-county-\(UUID().uuidString)").path
        #expect(try banjian(["init", "--dir", directory, "--code", "341182", "--name", "明光市政务服务中心", "--listen", "127.0.0.1:0"]).status == 0)
        let config = directory + "/341182.json"
        let (server, address) = try CrashSafetyTests.serve(config: config)
        defer {
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
        }
        try await body(directory, config, ["--config", config, "--address", "\(address)"])
    }

    @Test func everyTransitionAndEveryNoticeFromTheCLI() async throws {
        try await Self.withCounty { directory, config, c in try await Self.everyTransition(directory, config, c) }
    }

    static func everyTransition(_ directory: String, _ config: String, _ c: [String]) async throws {
        func run(_ role: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            try banjian(["case"] + [arguments[0]] + Array(arguments.dropFirst()) + c + ["--as", role])
        }
        func create(_ matter: String = "MZ-001") throws -> String {
            let created = try run("acceptor", ["create", "--matter", matter, "--applicant", "张三", "--summary", "申请城乡居民最低生活保障",
                                               "--material", "m1:申请书"])
            #expect(created.status == 0, "\(created.errors)")
            return try number(created.output)
        }

        // 低保 at the county: the catalogue's 15 working days promised and 30 statutory; a
        // promise longer than the catalogue's is refused as invalid input.
        let dibao = try create()
        let tooLong = try run("acceptor", ["accept", dibao, "--promised-days", "40"])
        #expect(tooLong.status == 65 && tooLong.errors.contains("limits.promised: 40 working days exceeds the catalogue's promise of 15 working days"))
        let accepted = try run("acceptor", ["accept", dibao])
        #expect(accepted.status == 0, "\(accepted.errors)")
        let rows = accepted.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains("promised limit 15 working days") && rows.contains("statutory limit 30 working days"), "\(accepted.output)")
        for (role, step) in [("handler", ["step-start", dibao, "--kind", "siteSurvey", "--note", "入户调查"]),
                             ("handler", ["step-end", dibao, "--outcome", "情况属实"]),
                             ("acceptor", ["urge", dibao, "--reason", "临近期限", "--instruction", "请于本周内办结"]),
                             ("handler", ["extend", dibao, "--days", "3", "--reason", "需公示七日"]),
                             ("deputy", ["approve-extension", dibao, "--note", "同意"]),
                             ("handler", ["complete", dibao, "--summary", "准予享受最低生活保障"]),
                             ("handler", ["reply", dibao]),
                             ("acceptor", ["handover", dibao, "--recipient", "张三"])] {
            let result = try run(role, step)
            #expect(result.status == 0, "\(step[0]): \(result.errors)")
        }
        let early = try run("acceptor", ["archive", dibao])
        #expect(early.status == 1 && early.errors.contains("record the applicant's satisfaction"))
        #expect(try run("acceptor", ["feedback", dibao, "--satisfaction", "notEvaluated"]).status == 0)
        #expect(try run("acceptor", ["archive", dibao]).status == 0)

        let listed = try run("auditor", ["notices", dibao])
        let titles = ["收件回执单", "承诺件受理通知书", "催办单", "延期告知书", "办结领取通知单"]
        #expect(listed.output.split(separator: "\n").map { String($0.split(separator: " ").last ?? "") } == titles, "\(listed.output)")
        let urging = try #require(listed.output.split(separator: "\n").first { $0.hasSuffix("催办单") }?.split(separator: " ").first.map(String.init))
        #expect(urging.hasPrefix("341182-CB-") && urging.hasSuffix("-000001"))
        let printed = try run("auditor", ["notice", urging])
        #expect(printed.output.contains("明光市政务服务中心") && printed.output.contains("中心主任批办：请于本周内办结"), "\(printed.output)")
        let page = directory + "/urging.html"
        #expect(try run("auditor", ["notice", urging, "--html", page]).status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<title>催办单 \(urging)</title>") && html.contains("size: A4") && html.contains("请于本周内办结"))
        #expect(html.contains("<div class=\"centre\">明光市政务服务中心</div>"))
        #expect(try run("auditor", ["notice", "341182-CB-1999-000001"]).status == 66)

        // 联办: two departments, the lead's handler completes once both are done.
        let joint = try create()
        #expect(try run("acceptor", ["accept", joint, "--route", "joint", "--department", "民政", "--joint-department", "财政"]).status == 0)
        let early2 = try run("handler", ["complete", joint, "--summary", "准予"])
        #expect(early2.status == 1 && early2.errors.contains("joint departments not done"))
        for department in ["民政", "财政"] {
            let done = try run("handler", ["joint-done", joint, "--department", department, "--opinion", "同意"])
            #expect(done.status == 0, "\(done.errors)")
        }
        #expect(try run("handler", ["complete", joint, "--summary", "准予"]).status == 0)

        // 一次性告知, 非受理范围, 退回 and its review, 不能办理.
        let supplement = try create()
        #expect(try run("acceptor", ["supplement", supplement, "--missing", "m2:户口簿复印件"]).status == 0)
        let outside = try create()
        #expect(try run("acceptor", ["out-of-scope", outside, "--unit", "明光市不动产登记中心", "--contact", "0550-8000000"]).status == 0)
        let returned = try create()
        #expect(try run("acceptor", ["return", returned, "--reason", "主件缺失", "--category", "mainDocumentMissing"]).status == 0)
        #expect(try run("handler", ["refusals"]).status == 77)
        let register = try run("deputy", ["refusals", "--state", "pending"])
        #expect(register.status == 0 && register.output.contains(returned) && register.output.contains("主件缺失"))
        let overturned = try run("director", ["review-return", returned, "--overturn", "--note", "主件已在档"])
        #expect(overturned.status == 0, "\(overturned.errors)")
        #expect(try !run("deputy", ["refusals", "--state", "pending"]).output.contains(returned))
        let unable = try create()
        #expect(try run("acceptor", ["accept", unable]).status == 0)
        #expect(try run("handler", ["cannot-handle", unable, "--reason", "申请人户籍不在本县"]).status == 0)

        let kinds = try [joint, supplement, outside, returned, unable].map { number in
            try run("auditor", ["notices", number]).output.split(separator: "\n").map { String($0.split(separator: " ").last ?? "") }
        }
        #expect(kinds == [["收件回执单", "联办件通知书"], ["收件回执单", "补办件通知书（一次性告知）"], ["收件回执单", "非受理范围告知单"], ["收件回执单", "退回件通知书"],
                          ["收件回执单", "承诺件受理通知书", "不予办理通知书"]])
        let supplementNotice = try #require(try run("auditor", ["notices", supplement]).output.split(separator: "\n").last?
            .split(separator: " ").first.map(String.init))
        let materials = try run("auditor", ["notice", supplementNotice]).output
        #expect(materials.contains("[应交] 收入证明") && materials.contains("[已交] 申请书") && materials.contains("[缺] 户口簿复印件"), "\(materials)")

        // Replaying the log reproduces every projection (a check is safe while the node runs).
        let rebuilt = try banjian(["db", "rebuild", "--config", config, "--check"])
        #expect(rebuilt.status == 0 && rebuilt.output.contains("of 6 cases") && rebuilt.output.contains("every projection matches its events"),
                "\(rebuilt.output) \(rebuilt.errors)")
    }
}
