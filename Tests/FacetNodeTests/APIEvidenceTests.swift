import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Foundation
import Testing

/// `GET /v1/evidence` and `/v1/evidence/{id}`: public reads of recorded validator misbehavior.
@Suite struct APIEvidenceTests {
    static func report(_ f: inout LedgerFixture, height: UInt64, round: UInt32) -> Transaction {
        func vote(_ block: UInt8) -> Vote {
            Vote.sign(
                .prevote, height: height, round: round, blockID: SHA256Hash.digest([block]),
                chainID: LedgerFixture.chainID, validator: f.id("v1"), key: f.actor("v1").key)
        }
        guard let misbehavior = Misbehavior.votes(vote(1), vote(2)) else { preconditionFailure("they conflict") }
        return f.sign("v1", .reportEvidence(.init(misbehavior: misbehavior)))
    }

    @Test func evidenceIsListedNewestFirstAndReadByID() async throws {
        let fixture = LedgerFixture(validators: 1, members: AccessMatrixTests.members)
        try await APITestNode.with(fixture) { node in
            var f = fixture
            let empty = try await node.signedGet("/v1/evidence", as: fixture.actor("auditor"))
            #expect(empty.status == 200 && empty.array.isEmpty)

            let first = Self.report(&f, height: 1, round: 0)
            #expect(try await node.submit([first]).map(\.status) == [202])
            let block1 = try #require(try await node.commitBlock())
            let second = Self.report(&f, height: 2, round: 3)
            #expect(try await node.submit([second]).map(\.status) == [202])
            let block2 = try #require(try await node.commitBlock())
            let committed = try await node.signedGet("/v1/transactions/\(second.id.hex)", as: fixture.actor("auditor"))
            #expect(committed.object["status"] as? String == "committed")
            #expect(committed.object["kind"] as? String == "report_evidence")

            let list = try await node.signedGet("/v1/evidence", as: fixture.actor("auditor"))
            #expect(list.status == 200)
            let items = list.array
            let firstID = EvidenceRecord.id(
                offender: f.id("v1"), slot: ConsensusSlot(height: 1, round: 0, step: .prevote))
            let secondID = EvidenceRecord.id(
                offender: f.id("v1"), slot: ConsensusSlot(height: 2, round: 3, step: .prevote))
            #expect(items.map { $0["id"] as? String } == [secondID.hex, firstID.hex], "newest first")
            let newest = try #require(items.first)
            #expect(newest["offender"] as? String == f.id("v1").hex && newest["reporter"] as? String == f.id("v1").hex)
            #expect(newest["height"] as? Int == 2 && newest["round"] as? Int == 3)
            #expect(newest["step"] as? String == "prevote" && newest["kind"] as? String == "conflicting_votes")
            #expect(newest["recordedHeight"] as? Int == 2)
            #expect(newest["recordedAt"] as? Int == Int(block2.time.millis))

            let windowed = try await node.signedGet("/v1/evidence?to=\(block2.time.millis)", as: fixture.actor("auditor"))
            #expect(
                windowed.array.map { $0["id"] as? String } == [firstID.hex],
                "the window selects by the recording block's time")
            #expect(block1.time < block2.time)

            let one = try await node.signedGet("/v1/evidence/\(firstID.hex)", as: fixture.actor("auditor"))
            #expect(one.status == 200 && one.object["id"] as? String == firstID.hex)
            #expect(one.object["recordedHeight"] as? Int == 1)
            let missing = try await node.signedGet("/v1/evidence/\(String(repeating: "0", count: 64))", as: fixture.actor("auditor"))
            #expect(missing.status == 404 && missing.code == "api.not_found")
            let malformed = try await node.signedGet("/v1/evidence/xyz", as: fixture.actor("auditor"))
            #expect(malformed.status == 400)
            let badWindow = try await node.signedGet("/v1/evidence?from=abc", as: fixture.actor("auditor"))
            #expect(badWindow.status == 400)
        }
    }
}
