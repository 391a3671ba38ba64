import BanjianDomain
import BanjianNode
import Foundation
import Testing

@Suite struct NodeConfigTests {
    static func write(_ json: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in ["n.pem", "n-key.pem", "ca.pem"] { try Data().write(to: URL(fileURLWithPath: directory + "/" + file)) }
        let path = directory + "/node.json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let valid = """
        {"node": {"code": "341182102", "name": "张八岭镇", "level": "township"}, "listen": "127.0.0.1:7443",
         "parent": {"code": "341182", "address": "127.0.0.1:7400"}, "database": "n.sqlite", "calendar": "china-mainland",
         "tls": {"certificate": "n.pem", "privateKey": "n-key.pem", "trustRoots": "ca.pem", "requireClientCertificates": false},
         "settings": {"jointThreshold": 3, "clockStart": "receiptDay"}}
        """

    @Test func aValidFileResolvesPathsAndSettings() throws {
        let path = try Self.write(Self.valid)
        let config = try NodeConfig.load(path: path)
        #expect(config.code.rawValue == "341182102" && config.level == .township)
        #expect(config.parent?.code.rawValue == "341182" && config.parent?.address == HostPort(host: "127.0.0.1", port: 7400))
        #expect(config.databasePath == URL(fileURLWithPath: path).deletingLastPathComponent().path + "/n.sqlite")
        #expect(config.settings.jointThreshold == 3 && config.settings.clockStart == .receiptDay)
        #expect(config.clockRate == 1 && config.logLevel == "info")
    }

    @Test func theAssessmentSchemeAndTheFollowUpLimitComeFromSettings() throws {
        let path = try Self.write(Self.valid.replacingOccurrences(
            of: #""settings": {"jointThreshold": 3, "clockStart": "receiptDay"}"#,
            with: #""settings": {"followUpWorkingDays": 5, "assessment": {"overduePromisedPerWorkingDay": 8, "redFlagTopRanks": 1}}"#))
        let config = try NodeConfig.load(path: path)
        #expect(config.settings.limits.followUp == .workingDays(5))
        #expect(config.settings.assessment.overduePromisedPerWorkingDay == 8 && config.settings.assessment.redFlagTopRanks == 1)
        #expect(config.settings.assessment.overdueStatutoryPerWorkingDay == 10, "a field left out keeps its default")
        let bad = try Self.write(Self.valid.replacingOccurrences(
            of: #""settings": {"jointThreshold": 3, "clockStart": "receiptDay"}"#,
            with: #""settings": {"followUpWorkingDays": 0, "assessment": {"qualifiedAt": 95}}"#))
        let error = #expect(throws: NodeConfigError.self) { try NodeConfig.load(path: bad) }
        let problems = error?.problems ?? []
        #expect(problems.contains { $0.hasPrefix("settings: limits.followUp") } && problems.contains { $0.hasPrefix("settings: assessment.qualifiedAt") },
                "\(problems)")
    }

    @Test func officeHoursAndHolidayFilesShapeTheCalendar() throws {
        let path = try Self.write(Self.valid.replacingOccurrences(
            of: #""calendar": "china-mainland","#,
            with: #""calendar": "china-mainland", "officeHours": "08:00-12:00,14:00-18:00", "holidays": ["years/2027.json"],"#))
        let years = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("years")
        try FileManager.default.createDirectory(at: years, withIntermediateDirectories: true)
        try Data(#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#.utf8)
            .write(to: years.appendingPathComponent("2027.json"))
        let config = try NodeConfig.load(path: path)
        #expect(config.calendar.officeHours.text == "08:00-12:00,14:00-18:00")
        #expect(config.calendar.loadedYears == [2024, 2025, 2026, 2027])
        #expect(config.calendar.holidayYear(2027)?.days.count == 1)

        // A bad office-hours text, a missing file and a malformed one are each named.
        try Data("not json".utf8).write(to: years.appendingPathComponent("bad.json"))
        let broken = try Self.write(Self.valid.replacingOccurrences(
            of: #""calendar": "china-mainland","#,
            with: #""calendar": "china-mainland", "officeHours": "17:00-08:00", "holidays": ["missing.json", "\#(years.path)/bad.json"],"#))
        let error = #expect(throws: NodeConfigError.self) { try NodeConfig.load(path: broken) }
        let problems = error?.problems ?? []
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("officeHours:") })
        #expect(problems.contains { $0.hasPrefix("holidays[0]:") && $0.contains("does not exist") })
        #expect(problems.contains { $0.hasPrefix("holidays[1]:") && $0.contains("bad.json") })
    }

    @Test func environmentThenFlagsOverrideTheFile() throws {
        let path = try Self.write(Self.valid)
        let environment = try NodeConfig.Overrides.environment(["BANJIAN_LISTEN": "0.0.0.0:9000", "BANJIAN_CLOCK_RATE": "60"])
        let config = try NodeConfig.load(path: path, overrides: environment.merging(.init(listen: "127.0.0.1:9001")))
        #expect(config.listen == HostPort(host: "127.0.0.1", port: 9001))
        #expect(config.clockRate == 60)
        #expect(throws: NodeConfigError(["BANJIAN_CLOCK_RATE: 'fast' is not a number"])) {
            try NodeConfig.Overrides.environment(["BANJIAN_CLOCK_RATE": "fast"])
        }
    }

    @Test func everyProblemIsNamed() throws {
        let path = try Self.write("""
            {"node": {"code": "34118", "name": " ", "level": "city"}, "listen": "nowhere",
             "parent": {"code": "12a", "address": "x"}, "database": "", "calendar": "mars", "clockRate": 0,
             "tls": {"certificate": "missing.pem", "privateKey": "n-key.pem", "trustRoots": "ca.pem", "requireClientCertificates": true}}
            """)
        let error = #expect(throws: NodeConfigError.self) { try NodeConfig.load(path: path) }
        let problems = error?.problems ?? []
        for field in ["node.code", "node.level", "node.name", "listen", "parent.code", "parent.address", "calendar",
                      "clockRate", "tls.certificate", "database"] {
            #expect(problems.contains { $0.hasPrefix(field + ":") }, "no problem named for \(field): \(problems)")
        }
    }

    @Test func unreadableOrMalformedFilesAreClearErrors() throws {
        #expect(throws: NodeConfigError.self) { try NodeConfig.load(path: "/nonexistent/node.json") }
        let missingKey = try Self.write(#"{"node": {"code": "341182102", "name": "x", "level": "township"}}"#)
        let error = #expect(throws: NodeConfigError.self) { try NodeConfig.load(path: missingKey) }
        #expect(error?.problems.first?.hasSuffix("listen: missing") == true, "\(error?.problems ?? [])")
        let notJSON = try Self.write("listen = 1")
        #expect(throws: NodeConfigError.self) { try NodeConfig.load(path: notJSON) }
    }
}
