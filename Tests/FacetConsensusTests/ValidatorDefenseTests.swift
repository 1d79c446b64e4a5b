import FacetConsensus
import FacetCore
import FacetLedger
import Testing

/// The pure parts a validator's driver uses against a faulty peer: whose head counts and whom sync asks
/// (`PeerHeads`), rate limits (`TokenBucket`), the per-peer inbox share (`InboxQuota`), and the blocks of a height
/// with their verdicts (`HeightBlocks`). Time is passed in; nothing here waits.
@Suite struct PeerHeadsTests {
    let cast = ConsensusCast()
    var liar: MemberID { cast.members[3] }
    var honest: MemberID { cast.members[1] }
    var other: MemberID { cast.members[2] }

    @Test func aClaimCountsOnlyOnceItsPeerServesBlocks() {
        var heads = PeerHeads(timeout: .seconds(5))
        heads.claim(1_000, by: liar)
        heads.claim(30, by: honest)
        #expect(heads.best(head: 10) == 0, "unserved claims more than a height ahead count for nothing")
        heads.claim(11, by: other)
        #expect(heads.best(head: 10) == 11, "a claim one height ahead needs no proof")
        let request = heads.nextRequest(head: 10, force: false, at: .seconds(1))
        #expect(request?.peer == liar, "the highest claim is asked first while none is trusted")
        heads.served(by: liar, applied: 0, head: 10, at: .seconds(1.5))
        #expect(!heads.isTrusted(liar, head: 10))
        let next = heads.nextRequest(head: 10, force: false, at: .seconds(2))
        #expect(next?.peer == honest, "a peer that served nothing is set aside and another asked")
        heads.served(by: honest, applied: 20, head: 30, at: .seconds(3))
        #expect(heads.best(head: 30) == 30)
        #expect(heads.isTrusted(honest, head: 30))
    }

    @Test func aSilentPeerTimesOutAndTheNextRequestGoesElsewhere() {
        var heads = PeerHeads(timeout: .seconds(5))
        heads.claim(500, by: liar)
        heads.claim(40, by: honest)
        let step1 = heads.nextRequest(head: 10, force: false, at: .zero)
        #expect(step1?.peer == liar)
        let step2 = heads.nextRequest(head: 10, force: false, at: .seconds(4))
        #expect(step2 == nil, "a young request is not repeated")
        let step3 = heads.nextRequest(head: 10, force: false, at: .seconds(5))
        #expect(step3?.peer == honest, "timed out: ask another")
        #expect(!heads.expects(liar), "a late answer from the timed-out peer is not read")
    }

    @Test func aTrustedPeerIsPreferredAndTheLiarsPenaltyDoubles() {
        var heads = PeerHeads(timeout: .seconds(1), penalty: .seconds(2))
        heads.claim(900, by: liar)
        heads.claim(50, by: honest)
        _ = heads.nextRequest(head: 10, force: false, at: .zero)
        heads.fail(liar, at: .zero)
        _ = heads.nextRequest(head: 10, force: false, at: .zero)
        heads.served(by: honest, applied: 10, head: 20, at: .zero)
        // The liar's penalty (2 s) is over, but a trusted peer with blocks to serve comes first.
        let step4 = heads.nextRequest(head: 20, force: false, at: .seconds(3))
        #expect(step4?.peer == honest)
        heads.served(by: honest, applied: 30, head: 50, at: .seconds(3))
        // Only the liar claims more: it is asked again once its penalty ends, fails, and waits twice as long.
        let step5 = heads.nextRequest(head: 50, force: false, at: .seconds(3))
        #expect(step5?.peer == liar)
        heads.fail(liar, at: .seconds(3))
        let step6 = heads.nextRequest(head: 50, force: false, at: .seconds(6))
        #expect(step6 == nil, "set aside for 4 s now")
        let step7 = heads.nextRequest(head: 50, force: false, at: .seconds(7))
        #expect(step7?.peer == liar)
        #expect(heads.best(head: 50) == 50, "the liar's claim never counted")
    }

    @Test func syncEndsWhenEveryClaimIsServedOrSetAside() {
        // However often a liar re-announces, a node that reached its honest peers' head has nothing to ask for
        // while the liar is set aside, and never reports itself behind.
        var heads = PeerHeads(timeout: .seconds(1), penalty: .seconds(10), maxPenalty: .seconds(40))
        heads.claim(60, by: honest)
        var asked = 0
        var time = Duration.zero
        var head: UInt64 = 60
        for _ in 0..<1_000 {
            heads.claim(10_000, by: liar)
            if let request = heads.nextRequest(head: head, force: false, at: time) {
                asked += 1
                #expect(request.peer == liar)
                heads.served(by: liar, applied: 0, head: head, at: time)
            }
            #expect(heads.best(head: head) <= head + 1)
            time += .milliseconds(500)
            head = 60
        }
        // 500 s with penalties of 10, 20, 40, 40, … s: about a dozen requests, never one per announcement.
        #expect(asked > 5 && asked < 20, "asked \(asked) times")
    }

    @Test func onlyTheForcedRequestAsksForOneHeight() {
        var heads = PeerHeads(timeout: .seconds(5))
        heads.claim(11, by: honest)
        let step8 = heads.nextRequest(head: 10, force: false, at: .zero)
        #expect(step8 == nil)
        let step9 = heads.nextRequest(head: 10, force: true, at: .zero)
        #expect(step9?.from == 11)
    }

    @Test func peersOutsideTheSetAreForgotten() {
        var heads = PeerHeads(timeout: .seconds(5))
        heads.claim(11, by: honest)
        heads.claim(99, by: liar)
        _ = heads.nextRequest(head: 10, force: false, at: .zero)
        heads.keep(only: [honest])
        #expect(heads.claimed(by: liar) == nil)
        #expect(heads.pending == nil)
    }
}

@Suite struct TokenBucketTests {
    @Test func aBurstThenTheRefillRate() {
        var bucket = TokenBucket(burst: 4, perSecond: 2)
        let taken = (0..<10).filter { _ in bucket.take(at: .zero) }.count
        #expect(taken == 4)
        let step10 = bucket.take(at: .milliseconds(499))
        #expect(!step10)
        let step11 = bucket.take(at: .milliseconds(500))
        #expect(step11)
        let step12 = bucket.take(at: .milliseconds(500))
        #expect(!step12)
        // A long quiet spell refills to the burst, no more.
        let later = (0..<10).filter { _ in bucket.take(at: .seconds(100)) }.count
        #expect(later == 4)
    }

    @Test func aTakeLargerThanTheBurstNeverSucceedsAndTimeGoingBackIsHarmless() {
        var bucket = TokenBucket(burst: 8_192, perSecond: 8_192)
        let step13 = bucket.take(8_193, at: .zero)
        #expect(!step13)
        let step14 = bucket.take(8_192, at: .zero)
        #expect(step14)
        let step15 = bucket.take(1, at: .seconds(-5))
        #expect(!step15)
        let step16 = bucket.take(4_096, at: .milliseconds(500))
        #expect(step16)
    }
}

@Suite struct InboxQuotaTests {
    let cast = ConsensusCast()

    @Test func onePeersFloodFillsOnlyItsShare() {
        var quota = InboxQuota(maxMessages: 3, maxBytes: 100)
        let flooder = cast.members[0]
        let honest = cast.members[1]
        let step17 = quota.admit(10, from: flooder)
        #expect(step17)
        let step18 = quota.admit(10, from: flooder)
        #expect(step18)
        let step19 = quota.admit(10, from: flooder)
        #expect(step19)
        let step20 = quota.admit(10, from: flooder)
        #expect(!step20, "past its message share")
        let step21 = quota.admit(90, from: honest)
        #expect(step21, "another peer's share is untouched")
        let step22 = quota.admit(11, from: honest)
        #expect(!step22, "past its byte share")
        quota.release(10, from: flooder)
        let step23 = quota.admit(10, from: flooder)
        #expect(step23, "a handled message frees its place")
        #expect(quota.waiting(from: flooder).messages == 3)
        quota.release(90, from: honest)
        #expect(quota.waiting(from: honest).messages == 0 && quota.waiting(from: honest).bytes == 0)
    }
}

@Suite struct HeightBlocksTests {
    let cast = ConsensusCast()

    func block(_ label: String, height: UInt64 = 5, proposer: MemberID) -> ProposedBlock {
        cast.block(label, height: height, proposer: proposer)
    }

    @Test func anInvalidBlockIsRememberedAndDropped() {
        var blocks = HeightBlocks(maxBytesPerProposer: 1_000)
        blocks.start(height: 5)
        let bad = block("bad", proposer: cast.members[3])
        let step24 = blocks.insert(bad, bytes: 100, proposer: cast.members[3], pinned: [])
        #expect(step24)
        blocks.judge(bad.id, .invalid(.headerMismatch))
        #expect(blocks.verdict(bad.id) == .invalid(.headerMismatch))
        #expect(blocks[bad.id] == nil, "an invalid block is not held")
        blocks.judge(bad.id, .valid)
        #expect(blocks.verdict(bad.id) == .invalid(.headerMismatch), "a verdict never changes")
        blocks.start(height: 6)
        #expect(blocks.verdict(bad.id) == nil, "verdicts are per height")
    }

    @Test func aProposerFillsOnlyItsShareAndPinnedBlocksStay() {
        var blocks = HeightBlocks(maxBytesPerProposer: 1_000)
        blocks.start(height: 5)
        let byzantine = cast.members[3]
        let first = block("first", proposer: byzantine)
        let step25 = blocks.insert(first, bytes: 600, proposer: byzantine, pinned: [])
        #expect(step25)
        let second = block("second", proposer: byzantine)
        let step26 = blocks.insert(second, bytes: 600, proposer: byzantine, pinned: [first.id])
        #expect(!step26, "the pinned one stays")
        let step27 = blocks.insert(second, bytes: 600, proposer: byzantine, pinned: [])
        #expect(step27, "the older one is evicted")
        #expect(blocks[first.id] == nil && blocks[second.id] != nil)
        let huge = block("huge", proposer: byzantine)
        let step28 = blocks.insert(huge, bytes: 1_001, proposer: byzantine, pinned: [])
        #expect(!step28)
        let honest = block("honest", proposer: cast.members[1])
        let step29 = blocks.insert(honest, bytes: 1_000, proposer: cast.members[1], pinned: [])
        #expect(step29)
        #expect(blocks.bytes(of: byzantine) == 600 && blocks.bytes(of: cast.members[1]) == 1_000)
        let otherHeight = block("other height", height: 6, proposer: byzantine)
        let heldOtherHeight = blocks.insert(otherHeight, bytes: 1, proposer: byzantine, pinned: [])
        #expect(!heldOtherHeight)
    }

    @Test func verdictsAreBounded() {
        var blocks = HeightBlocks(maxBytesPerProposer: 1_000)
        blocks.start(height: 5)
        let ids = (0...HeightBlocks.maxVerdicts).map { SHA256Hash.digest(Array("id \($0)".utf8)) }
        for id in ids { blocks.judge(id, .invalid(.headerMismatch)) }
        #expect(blocks.verdict(ids[0]) == nil, "the oldest verdict is forgotten past the bound")
        #expect(blocks.verdict(ids.last!) == .invalid(.headerMismatch))
    }
}
