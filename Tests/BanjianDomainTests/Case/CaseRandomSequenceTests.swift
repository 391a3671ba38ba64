import Foundation
import Testing
@testable import BanjianDomain

/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator, so random tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Case random sequences")
struct CaseRandomSequenceTests {
    typealias F = Fixture

    /// Candidate events for the current record, valid and invalid, with random actors.
    static func candidates(for record: CaseRecord?, ladder: RungLadder, rng: inout SplitMix64) -> [(CaseEvent, Actor, Date?)] {
        var events = CaseTransitionMatrixTests.probes.map { ($0.0, $0.1, Date?.none) }
        events.append((.received(F.intake()), F.acceptor, nil))
        events.append((.received(F.intake(channel: .agency)), F.agent, nil))
        events.append((.accepted(Acceptance(route: .immediate)), F.acceptor, nil))
        events.append((.accepted(Acceptance(route: F.jointRoute, limits: CaseLimits(promised: .workingDays(3), statutory: .calendarDays(30)))), F.acceptor, nil))
        events.append((.accepted(Acceptance(route: F.escalatedRoute)), F.acceptor, nil))
        events.append((.jointDepartmentCompleted(department: "民政", outcome: .approved, opinion: nil), F.handler, nil))
        events.append((.materialsSupplied(materialIDs: ["m9"]), F.acceptor, nil))
        events.append((.supplementRequested(SupplementRequest(missing: [F.missingLicence], note: "")), F.acceptor, nil))
        events.append((.returnReviewed(upheld: true, note: ""), F.deputy, nil))
        events.append((.extensionDecided(approved: false, note: "不同意"), F.director, nil))
        events.append((.feedbackRecorded(satisfaction: .dissatisfied, comment: ""), F.agent, nil))
        // Wrong roles, to exercise the permission check.
        let roles = Role.allCases
        events.append((.completed(F.decision), F.actor(roles[Int.random(in: 0..<roles.count, using: &rng)]), nil))
        if let record {
            for clock in record.clocks.values {
                for rung in ladder.pendingRungs(of: clock, fired: record.firedRungs, calendar: F.calendar) {
                    events.append((.rungFired(rung.key), F.system, rung.fireAt.instant))
                }
            }
        }
        return events
    }

    @Test("random event sequences keep every invariant and replay to the same record", arguments: 0..<8)
    func randomSequences(batch: Int) throws {
        let ladder = RungLadder.standard
        var reached = Set<CaseState.Name>()
        for run in 0..<150 {
            var rng = SplitMix64(seed: UInt64(batch * 1000 + run))
            let settings = CentreSettings(
                clockStart: Bool.random(using: &rng) ? .nextDay : .receiptDay,
                incompleteMaterials: Bool.random(using: &rng) ? .acceptThenSupplement : .supplementThenAccept,
                jointThreshold: Bool.random(using: &rng) ? 2 : 3)
            let machine = CaseStateMachine(settings: settings, calendar: F.calendar)
            var record: CaseRecord?
            var now = F.at("2025-09-20", 8) // runs across National Day 2025
            var log: [(event: CaseEvent, at: Date, by: Actor)] = []
            for _ in 0..<60 {
                let options = Self.candidates(for: record, ladder: ladder, rng: &rng).shuffled(using: &rng)
                now = now.addingTimeInterval(TimeInterval(Int.random(in: 1...(3 * 24 * 60), using: &rng) * 60))
                // Three times in four, take an event the machine accepts, so runs reach deep states;
                // otherwise any event, mostly exercising rejections.
                let preferLegal = Int.random(in: 0..<4, using: &rng) > 0
                let pick = options.first { option in
                    !preferLegal || (try? machine.apply(option.0, to: record, at: max(now, option.2 ?? now), by: option.1)) != nil
                } ?? options[0]
                let (event, actor, fireAt) = pick
                now = max(now, fireAt ?? now)
                let consumedBefore = record?.clocks.mapValues { $0.consumedSeconds(at: now, calendar: F.calendar) } ?? [:]
                do {
                    let transition = try machine.apply(event, to: record, at: now, by: actor)
                    let next = transition.record
                    #expect(next.version == (record?.version ?? 0) + 1)
                    #expect(next.invariantViolations == [], "seed \(batch * 1000 + run): \(event.name) → \(next.state)")
                    for (kind, before) in consumedBefore {
                        guard let clock = next.clocks[kind], clock.epoch == record?.clocks[kind]?.epoch else { continue }
                        #expect(clock.consumedSeconds(at: now, calendar: F.calendar) == before,
                                "an event changed the past consumption of \(kind)")
                    }
                    if case .rungFired(let key) = event {
                        #expect(next.firedRungs.contains(key))
                    }
                    record = next
                    log.append((event, now, actor))
                    reached.insert(next.state.name)
                } catch {
                    // Rejected: the record we hold is untouched by construction; check the error is
                    // one the event could legitimately raise.
                    if !event.name.permittedRoles.contains(actor.role) {
                        #expect(error == .roleNotPermitted(actor.role, event: event.name))
                    }
                }
            }
            #expect(try machine.replay(log) == record)
        }
        #expect(reached == Set(CaseState.Name.allCases), "states never reached: \(Set(CaseState.Name.allCases).subtracting(reached))")
    }
}
