import FacetCore
import FacetDemo
import FacetLedger
import Testing

@Suite struct HistoryGeneratorTests {
    @Test func everyGeneratedTransactionIsAccepted() throws {
        let run = try DemoHistory.run(firms: 20, months: 3, seed: 11)
        #expect(run.refusals.isEmpty, "\(run.refusals.prefix(20).joined(separator: "\n"))")
        #expect(run.transactions > 100)
        for kind in [
            "register_member", "approve_member", "publish_price", "register_piece", "certify_piece", "inspect_piece",
            "issue_invoice", "confirm_invoice", "pay_invoice",
        ] {
            #expect((run.accepted[kind] ?? 0) > 0, "no accepted \(kind)")
        }
        let firms = run.state.records.values.filter {
            if case .member(let member) = $0 { return member.roles == .firm && member.status == .active }
            return false
        }
        #expect(firms.count == 20)
    }

    @Test func oneSeedGivesOneStateRootAndAnotherSeedAnother() throws {
        let first = try DemoHistory.run(firms: 12, months: 2, seed: 5)
        let again = try DemoHistory.run(firms: 12, months: 2, seed: 5)
        let other = try DemoHistory.run(firms: 12, months: 2, seed: 6)
        #expect(first.refusals.isEmpty && other.refusals.isEmpty)
        #expect(first.state.stateRoot == again.state.stateRoot)
        #expect(first.generator.groundTruth == again.generator.groundTruth)
        #expect(first.state.height == again.state.height)
        #expect(first.state.stateRoot != other.state.stateRoot)
    }

    @Test func blockTimesSpanTheMonthsInOrder() throws {
        let consortium = try DemoHistory.consortium(firms: 10, months: 3, seed: 3)
        var generator = HistoryGenerator(consortium: consortium)
        var times = [Int64]()
        var months = 0
        while let month = generator.nextMonth() {
            months += 1
            times += month.blocks.map(\.time.millis)
        }
        #expect(months == 3)
        #expect(times == times.sorted() && Set(times).count == times.count)
        let first = try #require(times.first)
        let last = try #require(times.last)
        #expect(first > consortium.start.millis)
        #expect(last - first >= 2 * HistoryGenerator.daysPerMonth * Timestamp.millisPerDay)
        #expect(generator.nextMonth() == nil)
    }

    @Test func theGroundTruthCoversEveryClusterAgeAndMisbehaviour() throws {
        let consortium = try DemoHistory.consortium(firms: 200, months: 24, seed: 9)
        let generator = HistoryGenerator(consortium: consortium)
        let clusters = Set(generator.firms.map(\.cluster))
        #expect(clusters == [0, 1, 2, 3])
        #expect(Set(generator.firms.map(\.member.name)).count == 200)
        #expect(generator.firms.allSatisfy { (0...1000).contains($0.quality) })
        #expect(generator.firms.contains { $0.joinMonth > 0 } && generator.firms.contains { $0.joinMonth == 0 })
        #expect(generator.firms.filter(\.fraudulent).allSatisfy { $0.quality <= 350 })
    }
}
