import ArgumentParser
import BanjianDomain
import BanjianNode
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `banjian demo`: a whole county on loopback, one real `banjian serve` process per node, and a
/// short story played across it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a demo county: 1 county, 2 townships and 4 villages as linked nodes on loopback.",
        discussion: """
            Writes a CA, certificates, configs and databases for the seven nodes into --dir (reused when \
            it exists), starts each as a 'banjian serve' process (logs in --dir), and plays a story: an \
            agency case taken at a village, escalated by its township, decided at the county and handed \
            over at the village. Runs until Ctrl-C, then stops the nodes.
            """)

    @Option(help: "Directory for the county's files.") var dir = "demo-county"
    @Option(help: "First port; the nodes use the next 20.") var basePort = 7440

    /// The county's nodes, parents before children.
    static let nodes: [(code: String, name: String)] = [
        ("341182", "明光市政务服务中心"),
        ("341182102", "张八岭镇便民服务中心"), ("341182103", "三界镇便民服务中心"),
        ("341182102201", "岭南村代办点"), ("341182102202", "马岗村代办点"),
        ("341182103201", "三界村代办点"), ("341182103202", "界牌村代办点"),
    ]

    func run() async throws {
        // Ctrl-C or SIGTERM, from now on: stop the nodes gracefully, then exit.
        let (interrupted, interrupt) = AsyncStream.makeStream(of: Void.self)
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { interrupt.yield() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        let nodes = Self.nodes.map { (code: NodeCode($0.code)!, name: $0.name) }
        var ports: [NodeCode: (staff: Int, links: Int)] = [:]
        for (index, node) in nodes.enumerated() { ports[node.code] = (basePort + 2 * index + 1, basePort + 2 * index + 2) }
        let config = { (code: NodeCode) in URL(fileURLWithPath: dir).appendingPathComponent("\(code).json").path }
        for node in nodes where !FileManager.default.fileExists(atPath: config(node.code)) {
            let children = nodes.map(\.code).filter { $0.parentCode == node.code }
            let parent = node.code.parentCode.flatMap { code in ports[code].map { (code, "127.0.0.1:\($0.links)") } }
            _ = try await NodeSetup.initialize(
                directory: dir, code: node.code, name: node.name, parent: parent, listen: "127.0.0.1:\(ports[node.code]!.staff)",
                federationListen: children.isEmpty ? nil : "127.0.0.1:\(ports[node.code]!.links)", children: children, now: Date())
        }
        CaseOutput.emit("banjian demo: 7 nodes in \(dir)/ (configs, certificates, databases, tokens, logs)")

        var processes: [Process] = []
        var number = ""
        let stop = {
            for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
            for process in processes { process.waitUntilExit() }
        }
        do {
            for node in nodes {
                processes.append(try Self.serve(config: config(node.code), log: "\(dir)/\(node.code).log"))
                CaseOutput.emit("  \(node.code.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  staff 127.0.0.1:\(ports[node.code]!.staff)  \(node.name)")
            }
            number = try await playStory(config: config)
        } catch {
            stop()
            throw error
        }
        let b = CommandLine.arguments[0]
        CaseOutput.emit("""

            Try next, in another terminal (the nodes run until Ctrl-C):
              \(b) link status --config \(dir)/341182102.json --as director     # each link: up since, outbox, lag, acks
              \(b) case list --config \(dir)/341182.json --as auditor          # the county sees its whole subtree
              N=\(number)
              \(b) case events $N --config \(dir)/341182.json --as auditor      # the same history at every level
              \(b) case events $N --config \(dir)/341182102201.json --as auditor
              \(b) report stats --config \(dir)/341182.json --as supervisor       # 办件统计 of the whole county
              \(b) report assessment --config \(dir)/341182.json --as supervisor --detail --html report.html  # 月度考核 and the director's page
              \(b) order issue $N --config \(dir)/341182.json --as supervisor --instruction "请尽快归档" --days 2  # a 督办 order, down to the township
              \(b) order answer $N <order number> --config \(dir)/341182102.json --as director --answer "已归档"
              \(b) case archive $N --config \(dir)/341182102.json --as acceptor  # the township archives it
              \(b) complaint register --config \(dir)/341182102.json --as acceptor --name 赵六 --content "窗口推诿" --department 社会事务服务部  # 投诉: due the next working day
              \(b) petition register --config \(dir)/341182102.json --as acceptor --name 王五 --content "村道损坏" --route transfer --unit 交通办  # 信访: 3 working days
              \(b) watch alerts --config \(dir)/341182.json --as supervisor      # alerts of the subtree, live
            """)
        for await _ in interrupted { break }
        CaseOutput.emit("\nbanjian demo: stopping the nodes")
        stop()
    }

    /// The story, with the staff CLI of each node.
    /// - Returns: the case's number.
    private func playStory(config: (NodeCode) -> String) async throws -> String {
        let village = NodeCode("341182102201")!, township = NodeCode("341182102")!, county = NodeCode("341182")!
        func step(_ what: String, _ code: NodeCode, _ role: String, _ arguments: [String]) throws -> String {
            let command = Array(arguments.prefix(2)), rest = Array(arguments.dropFirst(2))
            let (status, output, errors) = try Self.banjian(command + ["--config", config(code), "--as", role] + rest)
            guard status == 0 else { throw ValidationError("the story stopped at '\(what)' at node \(code): \(errors)") }
            CaseOutput.emit("  \(code.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  \(what)")
            return output
        }
        func waitFor(_ number: String, version: Int, at code: NodeCode) async throws {
            for _ in 0..<300 {
                let (status, output, _) = try Self.banjian(["case", "events", number, "--config", config(code), "--as", "auditor"])
                if status == 0, output.split(separator: "\n").count >= version { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw ValidationError("case \(number) did not reach version \(version) at node \(code) in 30 s: see \(dir)/*.log")
        }
        CaseOutput.emit("\nThe story:")
        // The county's catalogue reaches the village over the township's links.
        for _ in 0..<300 {
            let (status, output, _) = try Self.banjian(["catalogue", "get", "MZ-001", "--config", config(village), "--as", "auditor"])
            if status == 0, output.contains("MZ-001") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let created = try step("代办: the agent takes 李四's application for 低保 (MZ-001)", village, "agent", [
            "case", "create", "--matter", "MZ-001", "--applicant", "李四", "--phone", "13800000001", "--summary", "申请城乡最低生活保障",
            "--material", "m1:申请书", "--channel", "agency", "--slip", "NO.0001", "--village", village.rawValue,
        ])
        guard let number = created.split(separator: "\n").first(where: { $0.hasPrefix("number") })?.split(separator: " ").last.map(String.init)
        else { throw ValidationError("the story stopped: no case number in \(created)") }
        CaseOutput.emit("  case \(number)")
        _ = try step("the agent submits it to the township", village, "agent", ["case", "submit", number])
        try await waitFor(number, version: 2, at: township)
        _ = try step("上报: the township forwards it to the county with its opinion", township, "acceptor", [
            "case", "accept", number, "--route", "escalated", "--target", county.rawValue, "--opinion", "材料齐全，建议批准",
        ])
        try await waitFor(number, version: 3, at: county)
        _ = try step("决定受理: the county acknowledges it, materials included", county, "acceptor", [
            "case", "acknowledge", number, "--notice-number", "341182-JD-2026-000001",
        ])
        _ = try step("the county decides it", county, "handler", ["case", "decide", number, "--summary", "准予享受城乡最低生活保障"])
        try await waitFor(number, version: 5, at: township)
        _ = try step("the result is back at the township, which replies", township, "handler", ["case", "reply", number])
        try await waitFor(number, version: 6, at: village)
        _ = try step("代理员签收: the agent hands it to 李四", village, "agent", ["case", "handover", number, "--recipient", "李四"])
        _ = try step("李四 is satisfied; that travels up", village, "agent", ["case", "feedback", number, "--satisfaction", "satisfied"])
        try await waitFor(number, version: 8, at: county)
        CaseOutput.emit("  every level holds the case's 8 events")
        return number
    }

    /// Starts `banjian serve` for a config, its output in `log`, and waits until it listens.
    static func serve(config: String, log: String) throws -> Process {
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--config", config, "--log-level", "notice"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        var text = ""
        while !text.contains("listening on") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw ValidationError("the node of \(config) did not start: see \(log)") }
            text += String(decoding: data, as: UTF8.self)
        }
        return process
    }

    /// Runs this program with `arguments`.
    static func banjian(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile(), err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// This program's executable.
    static var executable: String { Bundle.main.executablePath ?? CommandLine.arguments[0] }
}
