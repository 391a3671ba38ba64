import ArgumentParser
import BanjianNode
import Foundation

extension NodeConfig {
    /// The config for a command that needs it, with `overrides` (from the environment and flags)
    /// on top: an invalid one prints every problem and exits 78 (`EX_CONFIG`), before anything
    /// starts.
    static func loadForCommand(path: String, overrides: () throws -> Overrides = { Overrides() }) throws -> ResolvedNodeConfig {
        do {
            return try load(path: path, overrides: try overrides())
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("banjian: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}
