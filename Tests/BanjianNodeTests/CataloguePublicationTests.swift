import BanjianDomain
import BanjianNode
import BanjianTestSupport
import BanjianWire
import Foundation
import GRPCCore
import Testing

/// The top node publishes, withdraws and delegates matters; every change is a new version.
@Suite(.timeLimit(.minutes(2))) struct CataloguePublicationTests {
    static func entry(_ code: String, promised days: UInt32) -> Banjian_V1_Matter {
        .with {
            $0.code = code
            $0.name = "个体工商户登记"
            $0.department = "经济发展服务部"
            $0.level = .county
            $0.promisedLimit = .with { $0.workingDays = days }
            $0.statutoryLimit = .with { $0.workingDays = 15 }
            $0.requiredMaterials = [.with { $0.name = "申请书"; $0.copies = 1; $0.isMainDocument = true }]
            $0.defaultCaseKind = .promised
        }
    }

    @Test func theTopNodesLeadersPublishVersionsIdempotently() async throws {
        try await TestNode.run(code: TestNode.county) { node in
            try await node.client(as: .director) { client in
                let first = try await client.catalog.publishMatter(.with { $0.requestID = "p1"; $0.matter = Self.entry("GT-010", promised: 10) },
                                                                   metadata: client.metadata).matter
                #expect(first.version == 1 && first.ownerNodeCode == "341182" && first.hasPublishedAt)
                let second = try await client.catalog.publishMatter(.with { $0.requestID = "p2"; $0.matter = Self.entry("GT-010", promised: 8) },
                                                                    metadata: client.metadata).matter
                #expect(second.version == 2 && second.promisedLimit.workingDays == 8)
                let retried = try await client.catalog.publishMatter(.with { $0.requestID = "p2"; $0.matter = Self.entry("GT-010", promised: 3) },
                                                                     metadata: client.metadata).matter
                #expect(retried == second)
                let current = try await client.catalog.getMatter(.with { $0.matterCode = "GT-010" }, metadata: client.metadata).matter
                #expect(current.version == 2)
                #expect(await RefusalTests.code {
                    _ = try await client.catalog.delegateMatter(.with {
                        $0.requestID = "p2"; $0.matterCode = "GT-010"; $0.targetLevel = .township; $0.mode = .handle
                    }, metadata: client.metadata)
                } == .alreadyExists)
                // A promise longer than the law's limit is refused by field, and nothing is published.
                #expect(await RefusalTests.message {
                    _ = try await client.catalog.publishMatter(.with { $0.requestID = "p3"; $0.matter = Self.entry("GT-010", promised: 20) },
                                                               metadata: client.metadata)
                } == "matter.promised_limit: 20 working days exceeds the statutory 15")
                #expect(try await client.catalog.getMatter(.with { $0.matterCode = "GT-010" }, metadata: client.metadata).matter.version == 2)
            }
            try await node.client(as: .acceptor) { client in
                #expect(await RefusalTests.code {
                    _ = try await client.catalog.publishMatter(.with { $0.requestID = "a"; $0.matter = Self.entry("GT-011", promised: 5) },
                                                               metadata: client.metadata)
                } == .permissionDenied)
            }
        }
    }

    @Test func aLowerNodeDoesNotPublish() async throws {
        try await TestNode.run { node in
            try await node.client(as: .director) { client in
                #expect(await RefusalTests.message {
                    _ = try await client.catalog.publishMatter(.with { $0.requestID = "p"; $0.matter = Self.entry("GT-010", promised: 5) },
                                                               metadata: client.metadata)
                } == "only the top of the tree publishes the catalogue; node 341182102 receives it from 341182")
            }
        }
    }

    @Test func delegationAndWithdrawalAreNewVersions() async throws {
        try await TestNode.run(code: TestNode.county) { node in
            try await node.client(as: .director) { client in
                let delegated = try await client.catalog.delegateMatter(.with {
                    $0.requestID = "d1"; $0.matterCode = "MZ-001"; $0.targetLevel = .township; $0.mode = .handle
                    $0.documentNumber = "明政〔2026〕3号"
                }, metadata: client.metadata).matter
                #expect(delegated.version == 2 && delegated.delegation.delegatedToLevel == .township)
                #expect(delegated.delegation.delegatedFromNodeCode == "341182" && delegated.delegation.documentNumber == "明政〔2026〕3号")
                let terms = try Matter(wire: delegated, field: "m").terms(at: node.clock.now().date)
                #expect(terms.mayBeDecided(at: TestNode.township) && !terms.mayBeDecided(at: NodeCode("341182102201")!))
                for (target, level) in [("341183102", Banjian_V1_NodeLevel.unspecified), ("", .county)] {
                    #expect(await RefusalTests.code {
                        _ = try await client.catalog.delegateMatter(.with {
                            $0.requestID = "bad-\(target)"; $0.matterCode = "MZ-001"; $0.targetNodeCode = target; $0.targetLevel = level; $0.mode = .handle
                        }, metadata: client.metadata)
                    } == .invalidArgument)
                }
                // A republished version keeps the delegation; a withdrawn one stops new cases.
                var withdrawn = try await client.catalog.getMatter(.with { $0.matterCode = "HJ-002" }, metadata: client.metadata).matter
                withdrawn.withdrawnAt = .init(date: node.clock.now().date)
                let stopped = try await client.catalog.publishMatter(.with { $0.requestID = "w"; $0.matter = withdrawn }, metadata: client.metadata).matter
                #expect(stopped.version == 2 && stopped.hasWithdrawnAt)
            }
            try await node.client(as: .acceptor) { client in
                var intake = NodeWire.intake()
                intake.matter = MatterRef(code: "HJ-002", name: "", version: 0)
                #expect(await RefusalTests.message {
                    _ = try await client.cases.createCase(NodeWire.create("c", intake), metadata: client.metadata)
                } == "received.matter_code: matter 'HJ-002' (version 2) was withdrawn from the catalogue")
            }
        }
    }
}
