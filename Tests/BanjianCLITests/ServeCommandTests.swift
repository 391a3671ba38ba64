import Foundation
import Testing

@Suite struct ServeCommandTests {
    /// Every command that reads a config refuses an invalid one the same way.
    @Test(arguments: [["serve"], ["case", "list"], ["operator", "list"]])
    func anInvalidConfigExitsWithAMessageAndNoNode(command: [String]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banjian-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = directory + "/bad.json"
        try Data(#"{"node": {"code": "12345", "name": "x", "level": "township"}}"#.utf8).write(to: URL(fileURLWithPath: config))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashSafetyTests.executable)
        process.arguments = command + ["--config", config]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 78)
        #expect(message.contains("listen: missing"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/bad.sqlite"))
    }
}
