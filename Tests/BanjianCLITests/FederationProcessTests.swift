import BanjianDomain
import BanjianNode
import BanjianStore
import BanjianWire
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRDB
import Logging
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A county, a township and a village as real `banjian serve` processes on loopback, linked over
/// mutual TLS: the story of an agency case, a parent refusing what it must, and kill -9.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FederationProcessTests {
    static let county = NodeCode("341182")!, township = NodeCode("341182102")!, village = NodeCode("341182102201")!

    /// Three nodes initialised in one directory (one CA), each with its staff and link ports.
    struct Tree {
        let directory: String
        var ports: [NodeCode: (staff: Int, links: Int)] = [:]
        var processes: [NodeCode: Process] = [:]

        /// A chain of nodes, each the parent of the next.
        init(_ chain: [NodeCode] = [county, township, village], heartbeatSeconds: Double = 0.5, clockRate: Double = 1) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-fed-\(UUID().uuidString)").path
            for code in chain { ports[code] = (try HostPort.freeLoopbackPort(), try HostPort.freeLoopbackPort()) }
            for (index, code) in chain.enumerated() {
                var arguments = ["init", "--dir", directory, "--code", code.rawValue, "--name", "节点\(code)", "--listen", "127.0.0.1:\(ports[code]!.staff)"]
                if index + 1 < chain.count {
                    arguments += ["--federation-listen", "127.0.0.1:\(ports[code]!.links)", "--child", chain[index + 1].rawValue]
                }
                if index > 0 { arguments += ["--parent", "\(chain[index - 1])@127.0.0.1:\(ports[chain[index - 1]]!.links)"] }
                let result = try CaseCommandProcessTests.banjian(arguments)
                #expect(result.status == 0, "\(result.errors)")
            }
            // Fast heartbeats and redials, so that a dead peer is noticed within seconds.
            for code in chain {
                let path = config(code)
                var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
                var federation = object["federation"] as? [String: Any] ?? [:]
                federation["heartbeatSeconds"] = heartbeatSeconds
                federation["maximumRedialSeconds"] = 1
                federation["alertAfterSeconds"] = 0.3
                object["federation"] = federation
                object["clockRate"] = clockRate
                try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
            }
        }

        func config(_ code: NodeCode) -> String { "\(directory)/\(code).json" }
        func log(_ code: NodeCode) -> String { "\(directory)/\(code).log" }

        /// Starts (or restarts) `banjian serve` for `code`, its log at warning level appended to a file.
        mutating func start(_ code: NodeCode) throws {
            if !FileManager.default.fileExists(atPath: log(code)) { FileManager.default.createFile(atPath: log(code), contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log(code)))
            try handle.seekToEnd()
            let started = try FederationProcessTests.spawn(["serve", "--config", config(code), "--log-level", "warning"], errors: handle) {
                $0.contains("listening on")
            }
            guard started.output.contains("listening on") else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve \(code) exited: \(started.output)"])
            }
            processes[code] = started.process
        }

        mutating func kill9(_ code: NodeCode) {
            guard let process = processes.removeValue(forKey: code) else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        mutating func stop(_ code: NodeCode) {
            guard let process = processes.removeValue(forKey: code) else { return }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        mutating func stopAll() {
            for (_, process) in processes {
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
            }
            processes = [:]
        }

        /// Runs a staff command at `code` as `role`.
        func run(_ code: NodeCode, _ role: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            let command = Array(arguments.prefix(2)), rest = Array(arguments.dropFirst(2))
            return try CaseCommandProcessTests.banjian(command + ["--config", config(code), "--as", role] + rest)
        }

        /// The event ids of case `number` at `code`, in version order.
        func events(_ number: String, at code: NodeCode) throws -> [String] {
            let result = try run(code, "auditor", ["case", "events", number, "--json"])
            guard result.status == 0 else { return [] }
            return try result.output.split(separator: "\n").map { line in
                let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                let id = event?["id"] as? [String: Any]
                return "\(id?["originNodeCode"] ?? "?")/\(id?["originSequence"] ?? "?")"
            }
        }

        /// Waits until the catalogue the county published (MZ-001, JS-003) has reached `codes`.
        func awaitCatalogue(at codes: [NodeCode]) throws {
            for code in codes {
                try eventually("the catalogue at node \(code)") {
                    let listed = try run(code, "auditor", ["catalogue", "list"]).output
                    return listed.contains("MZ-001") && listed.contains("JS-003")
                }
            }
        }

        /// Waits until `condition` holds, polling; fails the test after `seconds`.
        func eventually(_ what: String, seconds: Double = 30, _ condition: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try condition() { return }
                usleep(100_000)
            }
            Issue.record("timed out waiting for \(what)")
        }
    }

    /// Starts `banjian` with `arguments` and reads its standard output until `done` holds or the
    /// output ends; standard error goes to `errors` when given.
    static func spawn(_ arguments: [String], errors: FileHandle? = nil, until done: (String) -> Bool) throws
        -> (process: Process, output: String, pipe: Pipe)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashSafetyTests.executable)
        process.arguments = arguments
        if let errors { process.standardError = errors }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var text = ""
        while !done(text) {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return (process, text, pipe)
    }

    static func number(_ output: String) throws -> String { try CaseRulesCLITests.number(output) }

    // MARK: The story

    @Test func anAgencyCaseGoesUpIsDecidedAtTheCountyAndIsHandedOverAtTheVillage() async throws {
        var tree = try Tree()
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (v, t, k) = (Self.village, Self.township, Self.county)
        // Only the county was seeded with a catalogue: it reaches the township and the village.
        try tree.awaitCatalogue(at: [t, v])

        // 代办: the agent takes the application at the village and submits it.
        let created = try tree.run(v, "agent", ["case", "create", "--matter", "MZ-001", "--applicant", "李四", "--phone", "13800000001",
                                                "--summary", "申请低保", "--material", "m1:申请书", "--channel", "agency",
                                                "--slip", "NO.0001", "--village", v.rawValue])
        #expect(created.status == 0, "\(created.errors)")
        let n = try Self.number(created.output)
        #expect(try tree.run(v, "agent", ["case", "submit", n]).status == 0)
        try tree.eventually("the agency case at the township") { try tree.events(n, at: t).count == 2 }
        let atTownship = try tree.run(t, "acceptor", ["case", "get", n, "--json"])
        #expect(atTownship.output.contains("李四") && atTownship.output.contains("NO.0001"), "the slip and the applicant reach the township")

        // 上报: the township forwards it with its opinion; the county takes it over with the parties.
        let escalated = try tree.run(t, "acceptor", ["case", "accept", n, "--route", "escalated", "--target", k.rawValue, "--opinion", "材料齐全，建议批准"])
        #expect(escalated.status == 0, "\(escalated.errors)")
        try tree.eventually("the escalation at the county") { try tree.events(n, at: k).count == 3 }
        #expect(try tree.run(k, "acceptor", ["case", "get", n, "--json"]).output.contains("李四"))
        // Only the holder changes a case.
        let notHolder = try tree.run(t, "handler", ["case", "complete", n, "--summary", "准予"])
        #expect(notHolder.status != 0 && notHolder.errors.contains("held by node 341182"), "\(notHolder.errors)")
        #expect(try tree.run(k, "acceptor", ["case", "acknowledge", n, "--notice-number", "341182-JS-2026-0001"]).status == 0)
        #expect(try tree.run(k, "handler", ["case", "decide", n, "--summary", "准予低保"]).status == 0)

        // The result comes down; the township replies, the agent hands it over and records satisfaction.
        try tree.eventually("the decision at the township") { try tree.events(n, at: t).count == 5 }
        #expect(try tree.run(t, "handler", ["case", "reply", n]).status == 0)
        try tree.eventually("the reply at the village") { try tree.events(n, at: v).count == 6 }
        #expect(try tree.run(v, "agent", ["case", "handover", n, "--recipient", "李四"]).status == 0)
        #expect(try tree.run(v, "agent", ["case", "feedback", n, "--satisfaction", "satisfied"]).status == 0)
        try tree.eventually("the satisfaction at the township") { try tree.events(n, at: t).count == 8 }
        #expect(try tree.run(t, "acceptor", ["case", "archive", n]).status == 0)

        // One history at every level, event for event.
        try tree.eventually("the whole history everywhere") {
            let histories = try [v, t, k].map { try tree.events(n, at: $0) }
            return histories[0].count == 9 && histories.allSatisfy { $0 == histories[0] }
        }

        // A township's own case reaches the county without personal data.
        let own = try tree.run(t, "acceptor", ["case", "create", "--matter", "JS-003", "--applicant", "张三", "--phone", "13900000000",
                                               "--summary", "生育登记", "--material", "m1:结婚证"])
        let m = try Self.number(own.output)
        try tree.eventually("the township's case at the county") { try tree.events(m, at: k).count == 1 }
        let copy = try tree.run(k, "auditor", ["case", "get", m, "--json"]).output
        #expect(!copy.contains("张三") && !copy.contains("13900000000") && copy.contains("（已隐去）"))
        // The county answers for its subtree; --node selects a part of it (by holder).
        let subtree = try tree.run(k, "auditor", ["case", "list"]).output
        #expect(subtree.contains(n) && subtree.contains(m))
        let heldAtVillage = try tree.run(k, "auditor", ["case", "list", "--node", v.rawValue]).output
        #expect(!heldAtVillage.contains(m), "the township's case is not held in the village's subtree")
        let heldAtTownship = try tree.run(k, "auditor", ["case", "list", "--node", t.rawValue]).output
        #expect(heldAtTownship.contains(m) && heldAtTownship.contains(n))

        // A matter the county delegates to the townships becomes theirs to decide.
        let low = try Self.number(try tree.run(t, "acceptor", ["case", "create", "--matter", "MZ-001", "--applicant", "王五",
                                                                "--summary", "申请低保", "--material", "m1:申请书"]).output)
        let before = try tree.run(t, "acceptor", ["case", "accept", low, "--route", "promised"])
        #expect(before.status != 0 && before.errors.contains("county level"), "\(before.errors)")
        #expect(try tree.run(k, "director", ["catalogue", "delegate", "MZ-001", "--level", "township", "--document", "明政〔2026〕3号"]).status == 0)
        try tree.eventually("the delegation at the village") {
            try tree.run(v, "auditor", ["catalogue", "get", "MZ-001"]).output.contains("下放 every township node")
        }
        let after = try tree.run(t, "acceptor", ["case", "accept", low, "--route", "promised", "--handler-id", "handler-1", "--handler-name", "张承办"])
        #expect(after.status == 0, "\(after.errors)")

        // Link status, as a table and as JSON.
        let status = try tree.run(t, "director", ["link", "status", "--json"])
        let links = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [[String: Any]] ?? []
        #expect(links.map { $0["peer"] as? String } == [k.rawValue, v.rawValue])
        #expect(links.allSatisfy { $0["state"] as? String == "connected" && $0["peerSoftwareVersion"] as? String == "0.12.0" })
        try tree.eventually("the outboxes drained") {
            let links = try JSONSerialization.jsonObject(with: Data(try tree.run(t, "director", ["link", "status", "--json"]).output.utf8)) as? [[String: Any]]
            return links?.allSatisfy { ($0["outboxDepth"] as? Int) == 0 } == true
        }
        #expect(try tree.run(k, "director", ["link", "status"]).output.contains("341182102  child      up"))
    }

    // MARK: The calendar goes down

    @Test func aHolidayYearPublishedAtTheCountyMovesLiveDeadlinesAtEveryNode() async throws {
        var tree = try Tree()
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (v, t, k) = (Self.village, Self.township, Self.county)
        try tree.awaitCatalogue(at: [t])
        let n = try Self.number(try tree.run(t, "acceptor", ["case", "create", "--matter", "JS-003", "--applicant", "张三", "--summary", "生育登记",
                                                              "--material", "m1:结婚证"]).output)
        #expect(try tree.run(t, "acceptor", ["case", "accept", n, "--route", "promised", "--handler-id", "handler-1", "--handler-name", "张承办"]).status == 0)
        func due() throws -> String? {
            try tree.run(t, "auditor", ["case", "get", n]).output.split(separator: "\n")
                .first { $0.hasPrefix("clock promised") }.map(String.init)
        }
        let before = try #require(try due())
        // The next three weeks become holidays (a year file in the holiday-cn format).
        let calendar = WorkingCalendar.chinaMainland()
        let today = calendar.civilDate(of: Date())
        let days = (1...21).map { calendar.civilDate(of: calendar.startOfDay(today).addingTimeInterval(Double($0) * 86_400 + 43_200)) }
        let file = "\(tree.directory)/holidays.json"
        let document: [String: Any] = [
            "year": today.year, "papers": ["测试通知"],
            "days": days.map { ["name": "测试假", "date": $0.description, "isOffDay": true] },
        ]
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: file))
        let refused = try tree.run(t, "director", ["calendar", "publish", "--file", file])
        #expect(refused.status != 0 && refused.errors.contains("only the top of the tree"), "\(refused.errors)")
        let published = try tree.run(k, "director", ["calendar", "publish", "--file", file])
        #expect(published.status == 0 && published.output.contains("holiday year \(today.year) published"), "\(published.errors)")
        try tree.eventually("the deadline moved at the township") { try due() != before }
        let after = try #require(try due())
        #expect(after > before, "due later: \(after)")
        // Every node stored the year and journaled the change (the village a hop after the township).
        usleep(1_500_000)
        tree.stopAll()
        for code in [k, t, v] {
            let database = try NodeDatabase(path: "\(tree.directory)/\(code).sqlite")
            #expect(try await database.holidayYears().map(\.year) == [today.year], "node \(code)")
            #expect(try await database.calendarChanges().count == 2, "recorded at start, changed by the publication: node \(code)")
            try database.close()
        }
    }

    // MARK: Supervision

    @Test func aTownshipsOverdueCaseReachesTheCountysReportsAlertsStatisticsAndDirectorsPage() async throws {
        // Three levels whose clocks run 200 000 times faster than real time: a working week passes in a few seconds.
        var tree = try Tree([Self.county, Self.township, Self.village], clockRate: 200_000)
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (t, k) = (Self.township, Self.county)
        try tree.awaitCatalogue(at: [t, Self.village])
        let n = try Self.number(try tree.run(t, "acceptor", ["case", "create", "--matter", "JS-003", "--applicant", "张三", "--summary", "生育登记",
                                                              "--material", "m1:结婚证"]).output)
        #expect(try tree.run(t, "acceptor", ["case", "accept", n, "--route", "promised", "--handler-id", "handler-1", "--handler-name", "张承办"]).status == 0)
        // A consultation at the township travels up too, and counts in the county's statistics.
        let consulted = try tree.run(t, "acceptor", ["case", "consult", "--topic", "低保需要哪些材料", "--matter", "MZ-001", "--department", "社会事务服务部"])
        #expect(consulted.status == 0 && consulted.output.hasPrefix("consultation \(t)-"), "\(consulted.output) \(consulted.errors)")
        try tree.eventually("the case in the county's overdue report", seconds: 60) {
            try tree.run(k, "supervisor", ["report", "overdue"]).output.contains(n)
        }
        let csv = try tree.run(k, "supervisor", ["report", "overdue", "--csv", "--clock", "promised"]).output.split(separator: "\n")
        #expect(csv.first == "case,held at,matter,clock,due,overdue working days,overdue working hours,handler,last rung")
        let row = try #require(csv.first { $0.hasPrefix(n) })
        #expect(row.contains(",\(t),") && row.contains("promised") && row.contains("张承办"), "\(row)")
        #expect(try tree.run(k, "handler", ["report", "overdue"]).status == 77, "handlers are not supervisors")

        // The rungs that fired at the township reach the county's alert stream.
        let (watch, text, _) = try Self.spawn(
            ["watch", "alerts", "--config", tree.config(k), "--as", "supervisor", "--since", "2000-01-01T00:00:00+08:00"]
        ) { text in text.split(separator: "\n").contains { $0.contains(n) && $0.contains("到期") && $0.contains("held at \(t)") } }
        kill(watch.processIdentifier, SIGTERM)
        watch.waitUntilExit()
        #expect(text.contains("预警") && text.contains("到期") && text.contains("resume "), "\(text)")

        // The county's statistics count it under the township, by the name the township gave in its Hello.
        let year = ["--from", "2020-01-01", "--to", "2029-12-31"]
        let stats = try tree.run(k, "supervisor", ["report", "stats", "--by", "node", "--csv"] + year)
        #expect(stats.status == 0, "\(stats.errors)")
        let lines = stats.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "key,label,受理,办结,现场办结,按时办结,超期,延期,退回,上报,办结率,现场办结率,按时办结率,满意率,咨询,信访,投诉,投诉超期")
        #expect(lines.contains("\(t),节点\(t),1,0,0,0,1,0,0,0,0.0%,0.0%,-,-,1,0,0,0"), "\(lines)")
        let byWindow = try tree.run(k, "supervisor", ["report", "stats", "--by", "handler"] + year).output
        #expect(byWindow.contains("\(t)/handler-1") && byWindow.contains("张承办"), "\(byWindow)")
        #expect(try tree.run(k, "supervisor", ["report", "stats", "--node", Self.village.rawValue] + year).output.contains("no cases, consultations, petitions or complaints"))
        #expect(try tree.run(k, "supervisor", ["report", "stats", "--by", "fortnight"]).status == 64)

        // The month's assessment lists the township's window, and the director's page renders in Chromium.
        let month = "\(n.split(separator: "-")[1].prefix(4))-\(n.split(separator: "-")[1].dropFirst(4).prefix(2))"
        let page = tree.directory + "/report.html"
        let assessment = try tree.run(k, "supervisor", ["report", "assessment", "--month", month, "--csv", "--html", page])
        #expect(assessment.status == 0, "\(assessment.errors)")
        #expect(assessment.output.split(separator: "\n").contains { $0.contains(",\(t),") }, "\(assessment.output)")
        let rendered = try Self.chromium(["--dump-dom", "file://" + page])
        #expect(rendered.contains("便民服务督查月报") && rendered.contains("各乡镇按时办结率") && rendered.contains("节点\(t)")
                && rendered.contains("窗口月度考核排名"), "\(rendered.prefix(400))")
        let screenshot = tree.directory + "/report.png"
        _ = try Self.chromium(["--window-size=900,1600", "--screenshot=" + screenshot, "file://" + page])
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.count > 20_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "a PNG of the page")
    }

    @Test func aCountysOrderTravelsDownToTheVillageIsAnsweredAndABreachTravelsUp() async throws {
        // Clocks 200 000 times faster than real time: a working day passes in a fraction of a second.
        var tree = try Tree(clockRate: 200_000)
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (v, t, k) = (Self.village, Self.township, Self.county)
        try tree.awaitCatalogue(at: [t, v])
        // An agency case the village has not submitted yet: the village holds it.
        let n = try Self.number(try tree.run(v, "agent", ["case", "create", "--matter", "MZ-001", "--applicant", "李四", "--summary", "申请低保",
                                                          "--material", "m1:申请书", "--channel", "agency", "--slip", "NO.0002",
                                                          "--village", v.rawValue]).output)
        try tree.eventually("the case at the county") { try tree.events(n, at: k).count == 1 }

        // The county's order passes the township and reaches the village, which answers; the answer comes up.
        let issued = try tree.run(k, "supervisor", ["order", "issue", n, "--instruction", "请尽快提交乡镇", "--days", "30", "--json"])
        #expect(issued.status == 0, "\(issued.errors)")
        let first = try #require((try JSONSerialization.jsonObject(with: Data(issued.output.utf8)) as? [String: Any])?["orderNumber"] as? String)
        #expect(first.hasPrefix("\(k)-") && issued.output.contains("\"targetNodeCode\":\"\(v)\""), "\(issued.output)")
        try tree.eventually("the order at the village") { try tree.run(v, "handler", ["case", "get", n]).output.contains("督办 \(first)") }
        #expect(try tree.run(k, "handler", ["order", "issue", n, "--instruction", "x", "--days", "1"]).status == 77)
        let answered = try tree.run(v, "handler", ["order", "answer", n, first, "--answer", "已告知代理员，今日提交"])
        #expect(answered.status == 0, "\(answered.errors)")
        try tree.eventually("the answer at the county") {
            try tree.run(k, "auditor", ["case", "get", n]).output.contains("answered") && tree.run(t, "auditor", ["case", "get", n]).output.contains("已告知代理员")
        }

        // A second order, one working day: nobody answers, the village's rung breaches it, and the county sees it.
        let second = try tree.run(k, "director", ["order", "issue", n, "--instruction", "限一个工作日内答复", "--days", "1"])
        #expect(second.status == 0 && second.output.contains("for node \(v)"), "\(second.output) \(second.errors)")
        try tree.eventually("the breach at the county", seconds: 60) { try tree.run(k, "auditor", ["case", "get", n]).output.contains("open, breached") }
        let (watch, text, _) = try Self.spawn(
            ["watch", "alerts", "--config", tree.config(k), "--as", "supervisor", "--since", "2000-01-01T00:00:00+08:00"]
        ) { text in text.split(separator: "\n").contains { $0.contains(n) && $0.contains("到期") && $0.contains("督办 order") } }
        kill(watch.processIdentifier, SIGTERM)
        watch.waitUntilExit()
        #expect(text.contains("held at \(v)"), "\(text)")
    }

    @Test func aVillagesComplaintPastItsLimitEscalatesToTheCountyAndPetitionsTakeTheirRoutes() async throws {
        // Clocks 200 000 times faster than real time: the next working day passes in under a second.
        var tree = try Tree(clockRate: 200_000)
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (v, t, k) = (Self.village, Self.township, Self.county)
        let registered = try tree.run(v, "agent", ["complaint", "register", "--name", "赵六", "--phone", "13900000000", "--content", "代办员多次不在岗",
                                                   "--department", "便民代办点", "--channel", "phone"])
        #expect(registered.status == 0, "\(registered.errors)")
        let n = try #require(registered.output.split(separator: "\n").first { $0.hasPrefix("complaint") }?.split(separator: " ").last.map(String.init))
        #expect(n.hasPrefix("\(v)-") && registered.output.contains("赵六"), "\(registered.output)")

        // Nobody answers by the next working day: the village's due rung escalates it, and the copy reaches the county without its complainant.
        try tree.eventually("the escalation at the county", seconds: 60) {
            try tree.run(k, "supervisor", ["complaint", "get", n]).output.contains("to \(k) at")
        }
        let atCounty = try tree.run(k, "supervisor", ["complaint", "get", n]).output
        #expect(!atCounty.contains("赵六") && atCounty.contains("(kept at node \(v))") && atCounty.contains("到期"), "\(atCounty)")
        #expect(try tree.run(v, "supervisor", ["complaint", "get", n]).output.contains("赵六"), "the village keeps its complainant")
        let (watch, text, _) = try Self.spawn(
            ["watch", "alerts", "--config", tree.config(k), "--as", "supervisor", "--since", "2000-01-01T00:00:00+08:00"]
        ) { text in text.split(separator: "\n").contains { $0.contains(n) && $0.contains("投诉上报") } }
        kill(watch.processIdentifier, SIGTERM)
        watch.waitUntilExit()
        #expect(text.split(separator: "\n").contains { $0.contains(n) && $0.contains("到期") && $0.contains("投诉 reply") && $0.contains("held at \(v)") },
                "\(text)")

        // The village answers late, found true; the county sees the answer, and counts an overdue complaint.
        let answered = try tree.run(v, "handler", ["complaint", "reply", n, "--answer", "已调整代办员值班", "--method", "phone", "--verified"])
        #expect(answered.status == 0 && answered.output.contains("working days late") && answered.output.contains("属实"), "\(answered.output) \(answered.errors)")
        try tree.eventually("the answer at the county") { try tree.run(k, "auditor", ["complaint", "get", n]).output.contains("已调整代办员值班") }
        let year = ["--from", "2020-01-01", "--to", "2029-12-31", "--csv"]
        let stats = try tree.run(k, "supervisor", ["report", "stats", "--by", "node"] + year).output.split(separator: "\n").map(String.init)
        #expect(stats.first?.hasSuffix(",咨询,信访,投诉,投诉超期") == true && stats.contains { $0.hasPrefix("\(v),") && $0.hasSuffix(",0,0,1,1") }, "\(stats)")

        // Petitions at the township: on the spot, transferred, and for a leader's instruction; a confidential one reaches the county nameless.
        let spot = try tree.run(t, "acceptor", ["petition", "register", "--name", "王五", "--content", "咨询补贴政策", "--route", "spot", "--answer", "已当场解答"])
        #expect(spot.status == 0 && spot.output.contains("replied") && !spot.output.contains("reply clock"), "\(spot.output) \(spot.errors)")
        let transfer = try tree.run(t, "acceptor", ["petition", "register", "--name", "钱七", "--content", "村道损坏", "--route", "transfer",
                                                    "--unit", "交通办", "--confidential"])
        let p = try #require(transfer.output.split(separator: "\n").first { $0.hasPrefix("petition") }?.split(separator: " ").last.map(String.init))
        #expect(transfer.output.contains("reply clock") && transfer.output.contains("running"), "\(transfer.output)")
        #expect(try tree.run(t, "acceptor", ["petition", "register", "--name", "孙八", "--content", "x", "--route", "transfer"]).status == 65)
        let leader = try tree.run(t, "acceptor", ["petition", "register", "--name", "周九", "--content", "征地补偿", "--route", "leader", "--group-visit"])
        let l = try #require(leader.output.split(separator: "\n").first { $0.hasPrefix("petition") }?.split(separator: " ").last.map(String.init))
        #expect(try tree.run(t, "handler", ["petition", "reply", l, "--answer", "已答复"]).status == 1, "a leader instructs first")
        let instructed = try tree.run(t, "director", ["petition", "reply", l, "--instruction", "请国土所一周内落实"])
        #expect(instructed.status == 0 && instructed.output.contains("registered") && instructed.output.contains("领导批办"), "\(instructed.output)")
        let closed = try tree.run(t, "handler", ["petition", "reply", l, "--answer", "按政策补偿", "--satisfaction", "satisfied", "--method", "phone"])
        #expect(closed.status == 0 && closed.output.contains("closed"), "\(closed.output) \(closed.errors)")
        #expect(try tree.run(t, "handler", ["petition", "reply", l, "--method", "phone"]).status == 64, "feedback without the opinion")
        try tree.eventually("the petitions at the county") {
            try tree.run(k, "auditor", ["petition", "get", l]).output.contains("closed")
                && tree.run(k, "auditor", ["petition", "get", p]).output.contains("(confidential)")
        }
        #expect(try tree.run(t, "acceptor", ["petition", "get", p]).output.contains("钱七"), "the registrar sees the petitioner")
    }

    /// Runs headless Chromium with `arguments` and returns its standard output.
    static func chromium(_ arguments: [String]) throws -> String {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let path = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            Issue.record("no Chromium: install it with scripts/install-system-packages.sh chromium fonts-noto-cjk")
            return ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "chromium \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: The demo

    @Test func theDemoCountyPlaysItsStoryAndStopsOnSIGTERM() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-demo-\(UUID().uuidString)").path
        let (process, text, output) = try Self.spawn(["demo", "--dir", directory, "--base-port", "\(try HostPort.freeLoopbackPort() / 2 * 2 % 40_000 + 20_000)"]) {
            $0.contains("Try next")
        }
        #expect(text.contains("every level holds the case's 8 events"), "\(text)")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("stopping the nodes"))
    }

    // MARK: Any depth

    @Test func aFourLevelTreeCarriesAVillageCaseToTheCityAndTheResultBack() async throws {
        let city = NodeCode("3411")!
        var tree = try Tree([city, Self.county, Self.township, Self.village])
        for code in [city, Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (v, t, k) = (Self.village, Self.township, Self.county)
        try tree.awaitCatalogue(at: [k, t, v])
        let created = try tree.run(v, "agent", ["case", "create", "--matter", "MZ-001", "--applicant", "李四", "--summary", "申请低保",
                                                "--material", "m1:申请书", "--channel", "agency", "--slip", "NO.0001", "--village", v.rawValue])
        let n = try Self.number(created.output)
        #expect(try tree.run(v, "agent", ["case", "submit", n]).status == 0)
        try tree.eventually("the case at the township") { try tree.events(n, at: t).count == 2 }
        #expect(try tree.run(t, "acceptor", ["case", "accept", n, "--route", "escalated", "--target", k.rawValue, "--opinion", "建议批准"]).status == 0)
        try tree.eventually("the case at the county") { try tree.events(n, at: k).count == 3 }
        #expect(try tree.run(k, "acceptor", ["case", "acknowledge", n, "--notice-number", "JS-1"]).status == 0)
        #expect(try tree.run(k, "handler", ["case", "decide", n, "--summary", "准予低保"]).status == 0)
        // Every event reaches the city through the county; the decision reaches the village through the township.
        try tree.eventually("the history at the city and the village") {
            try tree.events(n, at: city).count == 5 && tree.events(n, at: v).count == 5
        }
        #expect(try tree.events(n, at: city) == tree.events(n, at: v))
        // The city never held the case: it sees it without personal data.
        let atCity = try tree.run(city, "auditor", ["case", "get", n, "--json"]).output
        #expect(!atCity.contains("李四") && atCity.contains("（已隐去）"))
    }

    // MARK: Chaos

    @Test func killingTheTownshipAndTheCountyLosesAndDoublesNothing() async throws {
        var tree = try Tree()
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (v, t, k) = (Self.village, Self.township, Self.county)
        try tree.awaitCatalogue(at: [v])
        var numbers: [String] = []
        for index in 0..<12 {
            let created = try tree.run(v, "agent", ["case", "create", "--matter", "MZ-001", "--applicant", "村民\(index)", "--summary", "申请低保",
                                                    "--material", "m1:申请书", "--channel", "agency", "--slip", "NO.\(index)", "--village", v.rawValue])
            #expect(created.status == 0, "\(created.errors)")
            let number = try Self.number(created.output)
            numbers.append(number)
            #expect(try tree.run(v, "agent", ["case", "submit", number]).status == 0)
            switch index {
            case 2: tree.kill9(t)
            case 4: try tree.start(t)
            case 6: tree.kill9(k)
            case 7: tree.kill9(t)
            case 9: try tree.start(t)
            case 10: try tree.start(k)
            case 11:
                // The township stops answering for longer than three heartbeats, then goes on.
                kill(tree.processes[t]!.processIdentifier, SIGSTOP)
                usleep(2_500_000)
                kill(tree.processes[t]!.processIdentifier, SIGCONT)
            default: break
            }
        }
        // Every event of every case reaches the township and the county exactly once, in order.
        for number in numbers {
            try tree.eventually("case \(number) everywhere", seconds: 60) {
                let expected = try tree.events(number, at: v)
                let atTownship = try tree.events(number, at: t), atCounty = try tree.events(number, at: k)
                return expected.count == 2 && atTownship == expected && atCounty == expected
            }
        }
        // Each outage longer than the alert time raised a link alert where it was seen, and the
        // alerts of the township's and the village's links reached the county's alert stream.
        try tree.eventually("the link alerts at the county", seconds: 30) {
            let (watch, text, _) = try Self.spawn(["watch", "alerts", "--config", tree.config(k), "--as", "supervisor", "--since",
                                                   "2000-01-01T00:00:00+08:00"]) { text in
                ["link \(k)–\(t)", "link \(t)–\(k)", "link \(v)–\(t)"].allSatisfy(text.contains)
            }
            kill(watch.processIdentifier, SIGTERM)
            watch.waitUntilExit()
            return text.contains("链路中断")
        }
        let database = "\(tree.directory)/\(k).sqlite", townshipDatabase = "\(tree.directory)/\(t).sqlite"
        tree.stopAll()
        // The county was down longer than the alert time: the township raised the alert, once an outage.
        let townshipLog = try String(contentsOfFile: tree.log(t), encoding: .utf8)
        #expect(townshipLog.contains("alert raised") && townshipLog.contains("alert=linkDown") && townshipLog.contains("peer=341182 "),
                "\(townshipLog.suffix(2000))")
        let store = try BanjianStore.NodeDatabase(path: database)
        defer { try? store.close() }
        let duplicates = try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) - COUNT(DISTINCT origin_node || '/' || origin_sequence) FROM case_event")
        }
        #expect(duplicates == 0)
        let township = try BanjianStore.NodeDatabase(path: townshipDatabase)
        defer { try? township.close() }
        let sent = try await township.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT last_sequence FROM link_peer WHERE peer_node = ?", arguments: [k.rawValue]) ?? 0
        }
        #expect(try await store.linkLedger(of: t).appliedThrough == UInt64(sent), "every record the township queued applied once, in order")
        let caseEvents = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_event") }
        #expect(caseEvents == 24, "the 12 cases' 24 events")
    }

    // MARK: Catching up

    @Test func aVillageOfflineForAWeekCatchesUpTenThousandEventsInOrder() async throws {
        var tree = try Tree()
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let (v, t) = (Self.village, Self.township)
        try tree.awaitCatalogue(at: [v])
        tree.stop(v)
        // A week at the village with its link down: 5,000 agency cases, each received and submitted.
        let villageDatabase = "\(tree.directory)/\(v).sqlite"
        let database = try NodeDatabase(path: villageDatabase)
        let writer = CaseWriter(database: database, log: CaseLog(node: v, parent: t, machine: CaseStateMachine(calendar: .chinaMainland())),
                                logger: Logger(label: "test"))
        let agent = Actor(operatorID: "agent-1", name: "李代理", role: .agent, node: v)
        let start = Date().addingTimeInterval(600)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            for chunk in stride(from: 0, to: 5_000, by: 250) {
                try await withThrowingTaskGroup(of: Void.self) { cases in
                    for index in chunk..<(chunk + 250) {
                        cases.addTask {
                            let at = start.addingTimeInterval(Double(index) * 120)
                            let intake = Intake(
                                number: CaseNumber("341182102201-20000101-000001")!, channel: .agency, applicant: Party(name: "村民\(index)"),
                                matter: MatterRef(code: "MZ-001", name: ""), summary: "申请低保",
                                materials: [Material(id: "m1", name: "申请书", status: .provided)],
                                agency: AgencyHandover(serialNumber: "NO.\(index)", village: v, materialIDs: ["m1"]))
                            let opened = try await writer.submit(CaseWrite(.open(intake), requestID: nil, actor: agent, at: at))
                            _ = try await writer.submit(CaseWrite(.apply(opened.record.number, .agencySubmitted(to: t), expectedVersion: nil),
                                                                  requestID: nil, actor: agent, at: at.addingTimeInterval(60)))
                        }
                    }
                    try await cases.waitForAll()
                }
            }
            group.cancelAll()
        }
        try database.close()
        #expect(try await NodeDatabase(path: villageDatabase).linkLedger(of: t).outboxDepth == 10_000)

        // The village comes back: everything reaches the township, and through it the county.
        try tree.start(v)
        try tree.eventually("the backlog applied at the township and the county", seconds: 240) {
            let township = try JSONSerialization.jsonObject(with: Data(try tree.run(t, "director", ["link", "status", "--json"]).output.utf8))
                as? [[String: Any]]
            let county = try JSONSerialization.jsonObject(with: Data(try tree.run(Self.county, "director", ["link", "status", "--json"]).output.utf8))
                as? [[String: Any]]
            // The county also gets the township's alert of the village's link down.
            return township?.last?["lastAppliedSequence"] as? Int == 10_000 && (county?.first?["lastAppliedSequence"] as? Int ?? 0) > 10_000
        }
        tree.stopAll()
        // In the village's order, each event once.
        for code in [t, Self.county] {
            let store = try NodeDatabase(path: "\(tree.directory)/\(code).sqlite")
            let sequences = try await store.pool.read { db in
                try Int64.fetchAll(db, sql: "SELECT origin_sequence FROM case_event WHERE origin_node = ? ORDER BY rowid", arguments: [v.rawValue])
            }
            #expect(sequences == Array(1...10_000), "node \(code)")
            try store.close()
        }
    }

    // MARK: Refusals

    /// A raw link with a certificate of `name`, sending `messages`; the status that ended it.
    static func link(_ tree: Tree, as name: String, sending messages: [Banjian_V1_LinkMessage]) async throws -> RPCError? {
        let issued = try CaseCommandProcessTests.banjian(["cert", "--dir", tree.directory, "--name", name])
        #expect(issued.status == 0, "\(issued.errors)")
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: tree.ports[county]!.links),
            transportSecurity: .mTLS(certificateChain: [.file(path: "\(tree.directory)/\(name).pem", format: .pem)],
                                     privateKey: .file(path: "\(tree.directory)/\(name)-key.pem", format: .pem)) {
                $0.trustRoots = .certificates([.file(path: "\(tree.directory)/ca.pem", format: .pem)])
            },
            config: .defaults { $0.http2.authority = NodeIdentity.hostname(of: county) })
        return try await withGRPCClient(transport: transport) { grpc in
            do {
                try await Banjian_V1_FederationService.Client(wrapping: grpc).link(
                    request: StreamingClientRequest { writer in
                        for message in messages { try await writer.write(message) }
                        try await Task.sleep(for: .seconds(3))
                    }
                ) { response in
                    for try await _ in response.messages {}
                }
                return nil
            } catch let error as RPCError {
                return error
            }
        }
    }

    static func forged(origin: NodeCode, number: String) throws -> Banjian_V1_LinkMessage {
        let caseNumber = try #require(CaseNumber(number))
        let agent = Actor(operatorID: "agent-1", name: "假代理", role: .agent, node: origin)
        var intake = Intake(number: caseNumber, channel: .agency, applicant: Party(name: "某人"), matter: MatterRef(code: "MZ-001", name: "低保"),
                            summary: "伪造", materials: [Material(id: "m1", name: "申请书", status: .provided)])
        intake.agency = AgencyHandover(serialNumber: "NO.9", village: origin, materialIDs: ["m1"])
        let event = RecordedEvent(id: EventID(origin: origin, sequence: 1), caseNumber: caseNumber, caseVersion: 1,
                                  occurredAt: Date().protobufExact, actor: agent, event: .received(intake))
        return .batch(try #require(Banjian_V1_EventBatch.cut([(UInt64(1), .event(event))])))
    }

    @Test func theCountyRefusesWhatItMustAndGoesOnServingItsChildren() async throws {
        var tree = try Tree()
        for code in [Self.county, Self.township, Self.village] { try tree.start(code) }
        defer { tree.stopAll() }
        let t = Self.township, other = NodeCode("341182105")!
        try tree.awaitCatalogue(at: [t])

        // A certificate that names no node, an unregistered child, a Hello naming another node.
        let anonymous = try await Self.link(tree, as: "staff-laptop", sending: [.hello(node: t, resumeCursor: 0)])
        #expect(anonymous?.code == .permissionDenied && anonymous?.message.contains("names no node code") == true, "\(String(describing: anonymous))")
        let unregistered = try await Self.link(tree, as: other.rawValue, sending: [.hello(node: other, resumeCursor: 0)])
        #expect(unregistered?.code == .permissionDenied && unregistered?.message.contains("not a registered child") == true)
        // The township's own certificate, reissued for an impostor that claims another township.
        let impostor = try await Self.link(tree, as: t.rawValue, sending: [.hello(node: NodeCode("341182103")!, resumeCursor: 0)])
        #expect(impostor?.code == .permissionDenied && impostor?.message.contains("certificate is node 341182102") == true)

        // A registered child forging an event of a village outside its subtree.
        let outside = NodeCode("341182109301")!
        let forged = try await Self.link(tree, as: t.rawValue, sending: [
            .hello(node: t, resumeCursor: 0), try Self.forged(origin: outside, number: "341182109301-20261129-000001"),
        ])
        #expect(forged?.code == .permissionDenied && forged?.message.contains("outside the subtree of 341182102") == true, "\(String(describing: forged))")
        // A child may not publish the catalogue.
        let matter = DemoCatalogue.matters(owner: t, publishedAt: Date())[0]
        let upward = try await Self.link(tree, as: t.rawValue, sending: [
            .hello(node: t, resumeCursor: 0), .batch(try #require(Banjian_V1_EventBatch.cut([(UInt64(1), .matter(matter))]))),
        ])
        #expect(upward?.code == .permissionDenied && upward?.message.contains("from the parent only") == true, "\(String(describing: upward))")
        // Nor report a link alert of another township, nor send a 督办 order up.
        let alien = LinkAlert(reporter: NodeCode("341182103")!, peer: Self.county, downSince: Date(), raisedAt: Date())
        let alienAlert = try await Self.link(tree, as: t.rawValue, sending: [
            .hello(node: t, resumeCursor: 0), .batch(try #require(Banjian_V1_EventBatch.cut([(UInt64(1), .linkAlert(alien))]))),
        ])
        #expect(alienAlert?.code == .permissionDenied && alienAlert?.message.contains("from below it only") == true, "\(String(describing: alienAlert))")
        let order = SupervisionOrder(number: "341182102-20261129-000001", issuingNode: t, target: Self.county,
                                     caseNumber: CaseNumber("341182-20261129-000001")!, instruction: "上级办理", respondWithin: .workingDays(1),
                                     issuedBy: Actor(operatorID: "s", name: "s", role: .supervisor, node: t), issuedAt: Date())
        let upwardOrder = try await Self.link(tree, as: t.rawValue, sending: [
            .hello(node: t, resumeCursor: 0), .batch(try #require(Banjian_V1_EventBatch.cut([(UInt64(1), .order(order))]))),
        ])
        #expect(upwardOrder?.code == .permissionDenied && upwardOrder?.message.contains("from the parent only") == true, "\(String(describing: upwardOrder))")
        // Nor pass up another township's complaint.
        let alienComplaint = try Complaint(
            registering: Complaint.Form(channel: .phone, complainant: Party(name: ""), content: "冒名投诉"), number: CaseNumber("341182103-20261129-000001")!,
            by: Actor(operatorID: "a", name: "a", role: .acceptor, node: NodeCode("341182103")!), at: Date(), settings: CentreSettings(),
            calendar: .chinaMainland())
        let complaintUp = try await Self.link(tree, as: t.rawValue, sending: [
            .hello(node: t, resumeCursor: 0), .batch(try #require(Banjian_V1_EventBatch.cut([(UInt64(1), .grievance(.complaint(alienComplaint)))]))),
        ])
        #expect(complaintUp?.code == .permissionDenied && complaintUp?.message.contains("from below it only") == true, "\(String(describing: complaintUp))")
        // Garbage: a batch out of sequence, and a message with nothing in it.
        var garbage = Banjian_V1_EventBatch()
        garbage.firstSequence = 99
        let outOfOrder = try await Self.link(tree, as: t.rawValue, sending: [.hello(node: t, resumeCursor: 0), .batch(garbage)])
        #expect(outOfOrder?.code == .invalidArgument, "\(String(describing: outOfOrder))")
        let empty = try await Self.link(tree, as: t.rawValue, sending: [Banjian_V1_LinkMessage()])
        #expect(empty?.code == .invalidArgument)
        // Random bytes on the socket: the handshake fails, nothing else happens.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(tree.ports[Self.county]!.links).bigEndian)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255) }
        _ = noise.withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
        close(socket)

        // Nothing of it was applied, every refusal was logged with the peer's code, and the real
        // township's link goes on.
        let own = try tree.run(t, "acceptor", ["case", "create", "--matter", "JS-003", "--applicant", "张三", "--summary", "生育登记",
                                               "--material", "m1:结婚证"])
        let m = try Self.number(own.output)
        try tree.eventually("the township's case at the county") { try tree.events(m, at: Self.county).count == 1 }
        #expect(try tree.events("341182109301-20261129-000001", at: Self.county).isEmpty)
        let log = try String(contentsOfFile: tree.log(Self.county), encoding: .utf8)
        #expect(log.contains("link refused") && log.contains("peer=341182105") && log.contains("peer=341182102"))
    }
}
