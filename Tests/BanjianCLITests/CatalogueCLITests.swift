import Foundation
import Testing

/// `banjian catalogue` at a county node: publish from a JSON file, delegate to the townships,
/// withdraw, and read back.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CatalogueCLITests {
    static let banjian = CaseCommandProcessTests.banjian

    @Test func publishDelegateAndWithdrawFromTheCLI() async throws {
        try await CaseRulesCLITests.withCounty { directory, _, c in try Self.catalogue(directory, c) }
    }

    static func catalogue(_ directory: String, _ c: [String]) throws {
        let file = directory + "/gt-010.json"
        try #"""
        {"code": "GT-010", "name": "个体工商户登记", "department": "经济发展服务部", "level": "NODE_LEVEL_COUNTY",
         "promisedLimit": {"workingDays": 10}, "statutoryLimit": {"workingDays": 15}, "defaultCaseKind": "CASE_KIND_PROMISED",
         "requiredMaterials": [{"name": "申请书", "copies": 1, "isMainDocument": true}], "agencyAllowed": true}
        """#.write(toFile: file, atomically: true, encoding: .utf8)
        let published = try banjian(["catalogue", "publish", "--file", file, "--request-id", "p1"] + c + ["--as", "director"])
        #expect(published.status == 0 && published.output.contains("GT-010 v1  个体工商户登记  county  承诺 10个工作日  法定 15个工作日  可代办"),
                "\(published.output) \(published.errors)")
        let retried = try banjian(["catalogue", "publish", "--file", file, "--request-id", "p1"] + c + ["--as", "director"])
        #expect(retried.output == published.output)
        #expect(try banjian(["catalogue", "publish", "--file", file] + c + ["--as", "acceptor"]).status == 77)
        try "{\"code\": 3}".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try banjian(["catalogue", "publish", "--file", file] + c + ["--as", "director"]).status == 64)

        let delegated = try banjian(["catalogue", "delegate", "MZ-001", "--level", "township", "--document", "明政〔2026〕3号"] + c + ["--as", "director"])
        #expect(delegated.status == 0 && delegated.output.contains("MZ-001 v2") && delegated.output.contains("下放 every township node (handle)"),
                "\(delegated.output) \(delegated.errors)")
        let outside = try banjian(["catalogue", "delegate", "MZ-001", "--to", "341183102"] + c + ["--as", "director"])
        #expect(outside.status == 65 && outside.errors.contains("341183102 is not a node below 341182"))

        let withdrawn = try banjian(["catalogue", "withdraw", "HJ-002"] + c + ["--as", "director"])
        #expect(withdrawn.status == 0 && withdrawn.output.contains("HJ-002 v2") && withdrawn.output.contains("withdrawn"))
        let refused = try banjian(["case", "create", "--matter", "HJ-002", "--applicant", "张三", "--summary", "开具户籍证明"] + c + ["--as", "acceptor"])
        #expect(refused.status == 1 && refused.errors.contains("was withdrawn from the catalogue"))

        let listed = try banjian(["catalogue", "list"] + c + ["--as", "auditor"])
        let codes: [String] = listed.output.split(separator: "\n").map { line in String(line.prefix { $0 != " " }) }
        #expect(codes == ["GT-010", "HJ-002", "JS-003", "MZ-001"])
        let json = try banjian(["catalogue", "get", "MZ-001", "--version", "1", "--json"] + c + ["--as", "auditor"])
        #expect(json.output.contains("\"version\": 1") || json.output.contains("\"version\":1"), "\(json.output)")
    }
}
