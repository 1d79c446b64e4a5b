import FacetAPI
import FacetCore
import FacetLedger
import FacetNode
import FacetTestSupport
import Testing

/// Signed reads are bound to one node and answered once: the same header twice on one node, and once on another
/// node, are refused; the guard's memory stays within its bounds and a full guard refuses rather than forgets.
@Suite struct ReplayTests {
    @Test func theSameHeaderTwiceIsRefusedAndAnotherNodesHeaderToo() async throws {
        let fixture = LedgerFixture(validators: 1)
        try await APITestNode.with(fixture) { node in
            _ = try await APIScenario.run(on: node, fixture: fixture)
            let firmA = fixture.actor("firmA")
            let target = "/v1/members/\(firmA.id.hex)/invoices"
            let header = node.signedRead(target, as: firmA).headerValue
            let first = try await node.client.get(target, headers: [("Authorization", header)])
            #expect(first.status == 200, "\(first)")
            let again = try await node.client.get(target, headers: [("Authorization", header)])
            #expect(again.status == 401 && again.code == "auth.replayed", "\(again)")
            // A read signed for another node (any other id) is refused here, even the first time.
            let other = MemberID(SHA256Hash.digest(Array("another node".utf8)))
            let elsewhere = try await node.signedGet(target, as: firmA, forNode: other)
            #expect(elsewhere.status == 401 && elsewhere.code == "auth.wrong_node", "\(elsewhere)")
            // A new nonce is a new read.
            #expect(try await node.signedGet(target, as: firmA).status == 200)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func theGuardNeverAcceptsAReplayAndStaysBounded(seed: UInt64) {
        // A seeded stream of fresh reads and replays from a few members against a small guard: no signature is
        // ever accepted twice, no member holds more than its share, the total stays within capacity.
        var random = SeededRandom(seed: seed)
        let guardian = ReplayGuard(capacity: 64, perMemberLimit: 24)
        let members = (0..<4).map { MemberID(SHA256Hash.digest([UInt8($0)])) }
        var accepted = Set<Signature>()
        var sent = [SignedRead]()
        var now: Int64 = 1_767_225_600_000
        for step in 0..<5_000 {
            now += Int64(random.next() % 200)
            let read: SignedRead
            if !sent.isEmpty, random.next() % 3 == 0 {
                read = sent[Int(random.next() % UInt64(sent.count))]
            } else {
                let member = members[Int(random.next() % UInt64(members.count))]
                var bytes = [UInt8](repeating: 0, count: 64)
                for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: UInt64(step) >> (8 * UInt64(index))) }
                let signature = Signature(r: Hash256(bytes: Array(bytes[0..<32])), s: .zero)
                read = SignedRead(member: member, time: now - Int64(random.next() % 1_000), signature: signature)
                sent.append(read)
            }
            if guardian.admit(read, now: Timestamp(uncheckedMillis: now)) == .accepted {
                #expect(accepted.insert(read.signature).inserted, "seed \(seed): a replay was accepted at step \(step)")
            }
            #expect(guardian.count <= guardian.capacity, "seed \(seed): over capacity at step \(step)")
        }
        #expect(accepted.count > 100, "seed \(seed): fresh reads get through (\(accepted.count))")
    }
}
