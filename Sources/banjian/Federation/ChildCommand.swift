import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianStore
import Foundation

/// `banjian child …`: the children whose federation links a node accepts, on its database file
/// (besides those in the config's `federation.children`). A change takes effect at the child's
/// next dial; removing a child does not end a link already up.
struct ChildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "child",
        abstract: "Add, list and remove the child nodes whose links this node accepts.",
        discussion: "Exit codes: 0 done; 64 bad usage; 66 no such child; 1 any other refusal; 78 invalid config.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a child node.")
        @OptionGroup var database: OperatorCommand.DatabaseOptions
        @Argument(help: "The child's node code (one level below this node).") var code: String
        @Option(help: "The child's name.") var name = ""

        func run() async throws {
            let child = try ChildCommand.child(code, of: database)
            try await database.run { db in
                try await db.addChild(child, name: name, at: Date())
                print("child \(child) registered")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered children (config and database).")
        @OptionGroup var database: OperatorCommand.DatabaseOptions

        func run() async throws {
            let configured = try database.config.map { try NodeConfig.loadForCommand(path: $0).links.children } ?? []
            try await database.run { db in
                let registered = try await db.children()
                var rows = registered.map { ($0.code, $0.name, "database") }
                rows += configured.subtracting(registered.map(\.code)).sorted().map { ($0, "", "config") }
                rows.sort { $0.0 < $1.0 }
                if database.json {
                    let objects = rows.map { ["code": $0.0.rawValue, "name": $0.1, "source": $0.2] }
                    print(String(decoding: try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    for (code, name, source) in rows { print([code.rawValue, source, name].joined(separator: "  ")) }
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a child from the database's register.")
        @OptionGroup var database: OperatorCommand.DatabaseOptions
        @Argument(help: "The child's node code.") var code: String

        func run() async throws {
            let child = try ChildCommand.child(code, of: database)
            try await database.run { db in
                guard try await db.removeChild(child) else { throw StoreError(.notFound, "node \(child) is not a registered child") }
                print("child \(child) removed")
            }
        }
    }

    /// The code, checked to be one level below the config's node when a config is given.
    static func child(_ text: String, of options: OperatorCommand.DatabaseOptions) throws -> NodeCode {
        guard let code = NodeCode(text) else { throw ValidationError("'\(text)' is not a node code of 2, 4, 6, 9 or 12 digits") }
        if let config = options.config {
            let node = try NodeConfig.loadForCommand(path: config).code
            guard code.parentCode == node else { throw ValidationError("\(code) is not a child of node \(node)") }
        }
        return code
    }
}
