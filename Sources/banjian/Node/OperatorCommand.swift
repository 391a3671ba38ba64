import ArgumentParser
import BanjianDomain
import BanjianNode
import BanjianStore
import Foundation

/// `banjian operator …`: the staff accounts of a node, managed on its database file.
///
/// Whoever can write the node's database administers it, so these commands need no token. They
/// work while the node runs: a new token works at once, and a revoked one stops within the
/// node's token cache age (10 s of the node's clock).
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Add, list and revoke the operators (staff accounts and their tokens) of a node.",
        discussion: "Exit codes: 0 done; 64 bad usage; 66 no such operator; 1 any other refusal; 78 invalid config.",
        subcommands: [Add.self, List.self, Revoke.self])

    /// Where the node's database is.
    struct DatabaseOptions: ParsableArguments {
        @Option(help: "The node's config file (gives the database).") var config: String?
        @Option(help: "The node's database file (overrides the config).") var database: String?
        @Flag(help: "Print JSON instead of text.") var json = false

        /// Opens the database, or exits with the conventional code.
        func open() async throws -> NodeDatabase {
            let path: String
            if let database {
                path = database
            } else if let config {
                path = try NodeConfig.loadForCommand(path: config).databasePath
            } else {
                throw ValidationError("give --config or --database")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no database at \(path): run 'banjian init' first")
            }
            return try NodeDatabase(path: path)
        }

        /// Runs `body` on the open database, closing it after; a store refusal exits 66 or 1.
        func run(_ body: (NodeDatabase) async throws -> Void) async throws {
            let database = try await open()
            defer { try? database.close(checkpointing: false) }
            do {
                try await body(database)
            } catch let error as StoreError {
                FileHandle.standardError.write(Data("banjian: \(error.message)\n".utf8))
                throw ExitCode(error.code == .notFound ? 66 : 1)
            }
        }

        func print(_ account: OperatorAccount, token: String? = nil) throws {
            guard json else {
                let state = account.revokedAt.map { "revoked \(CaseOutput.timestamp($0))" } ?? "active"
                Swift.print([account.id, account.role.rawValue, account.name, state].joined(separator: "  "))
                if let token { Swift.print("token: \(token)") }
                return
            }
            var object: [String: String] = ["id": account.id, "name": account.name, "role": account.role.rawValue]
            if let revokedAt = account.revokedAt { object["revokedAt"] = CaseOutput.timestamp(revokedAt) }
            if let token { object["token"] = token }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            Swift.print(String(decoding: data, as: UTF8.self))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an operator; prints their new token once (only its SHA-256 is kept).")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Operator id, unique at the node (letters, digits, '-', '_', '.'; at most 64).") var id: String
        @Option(help: "The operator's name.") var name: String
        @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String

        func validate() throws {
            guard (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw ValidationError("--id: 1 to 64 letters, digits, '-', '_' or '.'")
            }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 64 else { throw ValidationError("--name: 1 to 64 characters") }
            guard Role(rawValue: role) != nil else { throw ValidationError("--role: one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
        }

        func run() async throws {
            guard let role = Role(rawValue: role) else { return }
            let account = OperatorAccount(id: id, name: name, role: role)
            let token = OperatorDirectory.newToken()
            try await options.run { database in
                try await database.addOperator(account, tokenSHA256: OperatorDirectory.hash(token: token), at: Date())
                try options.print(account, token: token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the operators, revoked ones included.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            try await options.run { database in
                for account in try await database.operators() { try options.print(account) }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an operator's token; the account stays for the audit trail.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The operator id.") var id: String

        func run() async throws {
            try await options.run { database in
                try options.print(try await database.revokeOperator(id: id, at: Date()))
            }
        }
    }
}
