import ArgumentParser
import BanjianDomain
import BanjianWire
import Foundation
import SwiftProtobuf

/// `banjian catalogue …`: the node's matter catalogue; at the top of the tree, publishing and
/// delegation (下放).
struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Read the matter catalogue; at the top node, publish, withdraw and delegate matters (leaders).",
        discussion: "Exit codes as for 'banjian case': 0 done; 65 invalid input; 66 no such matter; 69 node unreachable; 77 not permitted; 1 any other refusal.",
        subcommands: [List.self, Get.self, Publish.self, Withdraw.self, Delegate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The current version of every matter.")
        @OptionGroup var connection: CaseConnectionOptions
        func run() async throws {
            let connection = connection
            try await connection.call { client in
                var token = ""
                repeat {
                    let page = try await client.catalog.listMatters(.with { $0.pageToken = token; $0.pageSize = 500 }, metadata: client.metadata)
                    for wire in page.matters { try CatalogueCommand.print(wire, json: connection.json) }
                    token = page.nextPageToken
                } while !token.isEmpty
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One matter, as published (JSON in the wire contract's form with --json).")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The matter code.") var code: String
        @Option(help: "A version (default: the current one).") var version: UInt32 = 0
        func run() async throws {
            let (connection, code, version) = (connection, code, version)
            try await connection.call { client in
                let matter = try await client.catalog.getMatter(.with { $0.matterCode = code; $0.version = version }, metadata: client.metadata).matter
                try CatalogueCommand.print(matter, json: connection.json)
            }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a matter, or its next version, from a JSON file in the wire contract's form (banjian.v1.Matter).",
            discussion: "The node assigns the version, the owner and the publication time, and keeps the current version's delegation (change it with 'delegate'); 'banjian catalogue get CODE --json' prints a matter in that form.")
        @OptionGroup var connection: CaseConnectionOptions
        @Option(help: "The matter as JSON (banjian.v1.Matter).") var file: String
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?
        func run() async throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch { throw ValidationError("--file: cannot read \(file)") }
            var matter: Banjian_V1_Matter
            do { matter = try Banjian_V1_Matter(jsonString: text) } catch { throw ValidationError("--file: not a banjian.v1.Matter in JSON: \(error)") }
            matter.clearDelegation()
            try await CatalogueCommand.publish(matter, requestID: requestID, connection: connection)
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "停止办理: publish the matter's next version as withdrawn; no new case may use it.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The matter code.") var code: String
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?
        func run() async throws {
            let (connection, code, requestID) = (connection, code, requestID ?? UUID().uuidString)
            try await connection.call { client in
                var current = try await client.catalog.getMatter(.with { $0.matterCode = code }, metadata: client.metadata).matter
                current.clearDelegation()
                current.withdrawnAt = Google_Protobuf_Timestamp(date: Date())
                let published = try await client.catalog.publishMatter(.with { $0.requestID = requestID; $0.matter = current },
                                                                       metadata: client.metadata)
                try CatalogueCommand.print(published.matter, json: connection.json)
            }
        }
    }

    struct Delegate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "下放: delegate a matter to a node below, or to every node of a lower level.")
        @OptionGroup var connection: CaseConnectionOptions
        @Argument(help: "The matter code.") var code: String
        @Option(help: "The receiving node's code.") var to: String?
        @Option(help: "Every node of this level below: township or village.") var level: String?
        @Option(help: "handle (办理), fullAgency (全程代理) or entrusted (委托).") var mode = "handle"
        @Option(help: "The delegating document's number (下放文件).") var document = ""
        @Option(help: "Idempotency key: repeat it to retry safely (default: a new UUID).") var requestID: String?
        func run() async throws {
            let modes: [String: Banjian_V1_DelegationMode] = ["handle": .handle, "fullAgency": .fullAgency, "entrusted": .entrusted]
            let levels: [String: Banjian_V1_NodeLevel] = ["township": .township, "village": .village, "county": .county]
            guard let wireMode = modes[mode] else { throw ValidationError("--mode: handle, fullAgency or entrusted") }
            var request = Banjian_V1_DelegateMatterRequest()
            request.requestID = requestID ?? UUID().uuidString
            request.matterCode = code
            request.mode = wireMode
            request.documentNumber = document
            switch (to, level) {
            case (let to?, nil): request.targetNodeCode = to
            case (nil, let level?):
                guard let wire = levels[level] else { throw ValidationError("--level: township, village or county") }
                request.targetLevel = wire
            default: throw ValidationError("give exactly one of --to and --level")
            }
            let (connection, frozen) = (connection, request)
            try await connection.call { client in
                try CatalogueCommand.print(try await client.catalog.delegateMatter(frozen, metadata: client.metadata).matter, json: connection.json)
            }
        }
    }

    static func publish(_ matter: Banjian_V1_Matter, requestID: String?, connection: CaseConnectionOptions) async throws {
        let request = Banjian_V1_PublishMatterRequest.with {
            $0.requestID = requestID ?? UUID().uuidString
            $0.matter = matter
        }
        try await connection.call { client in
            try print(try await client.catalog.publishMatter(request, metadata: client.metadata).matter, json: connection.json)
        }
    }

    /// One matter: a line of the code, version, name, level, limits and delegation, or its JSON.
    static func print(_ wire: Banjian_V1_Matter, json: Bool) throws {
        if json { return CaseOutput.emit(try wire.jsonString()) }
        let matter = try Matter(wire: wire, field: "matter")
        var parts = ["\(matter.code) v\(matter.version)", matter.name, matter.authority.name, "承诺 \(matter.promisedLimit.printed)"]
        if let statutory = matter.statutoryLimit { parts.append("法定 \(statutory.printed)") }
        if matter.agencyAllowed { parts.append("可代办") }
        if let delegation = matter.delegation { parts.append("下放 \(delegation.to) (\(delegation.mode.rawValue))") }
        if let withdrawn = matter.withdrawnAt { parts.append("withdrawn \(CaseOutput.timestamp(withdrawn))") }
        CaseOutput.emit(parts.joined(separator: "  "))
    }
}
