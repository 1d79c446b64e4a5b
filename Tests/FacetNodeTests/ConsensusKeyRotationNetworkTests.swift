import FacetConsensus
import FacetCore
import FacetLedger
import FacetPeer
import FacetStore
import FacetTestSupport
import Foundation
import Testing

@testable import FacetNode

/// Four in-process validators over TCP; one rotates its consensus key by `rotate_validator_key` and the chain keeps
/// committing with its new key: it proposes and precommits with it from the switch height on, a vote its old key signs
/// there is dropped, and a proof bundle across the rotation verifies offline from genesis.
@Suite(.serialized) struct ConsensusKeyRotationNetworkTests {
    @Test(.timeLimit(.minutes(10)))
    func aValidatorRotatesItsConsensusKeyAndTheChainGoesOnWithIt() async throws {
        var fixture = LedgerFixture(validators: 4)
        let paths = ConsensusNetworkTests.paths(4)
        try await withNetwork(paths) { validators in
            validators = try await ConsensusNetworkTests.start(ConsensusNetworkTests.names, fixture, paths: paths)
            try await waitForHeight(2, validators)
            let rotating = validators[1]
            let member = rotating.member
            let fresh = LedgerFixture.key(seed: 7_001, name: "v2-consensus")
            rotating.node.keyring.add(fresh)

            let payload = ValidatorKeyRotation.payload(member: member, newKey: fresh.publicKey)
            let proof = fresh.sign(purpose: .validatorKeyRotation, chainID: LedgerFixture.chainID, payload: payload)
            let rotation = fixture.sign("v2", .rotateValidatorKey(.init(newKey: fresh.publicKey, proof: proof)))
            _ = try await validators[0].node.submit(rotation.canonicalBytes)
            let heights = try await ConsensusNetworkTests.acceptedHeights(of: rotation.id, on: validators)
            let switchHeight = heights[0] + 1
            for validator in validators {
                let set = await validator.node.validators(at: switchHeight)
                #expect(set.validator(member)?.publicKey == fresh.publicKey, "\(validator.name) follows the rotation")
            }

            // Several rounds of proposers later, every block since the switch carries a valid certificate of the
            // rotated set, the rotated validator signed some of them with its new key and proposed some.
            try await waitForHeight(switchHeight + 12, validators, within: .seconds(180))
            let head = try await expectSameChain(validators)
            var precommitted = 0
            var proposed = 0
            for height in switchHeight...head {
                let block = try #require(try await validators[0].store.block(at: height))
                let set = await validators[0].node.validators(at: height)
                #expect(block.certificate.verify(header: block.header, validators: set) == .valid, "height \(height)")
                if block.certificate.signatures.contains(where: { $0.validator == member }) { precommitted += 1 }
                if block.header.proposer == member { proposed += 1 }
            }
            #expect(
                precommitted >= 1, "the rotated validator's new key signed certificates after height \(switchHeight)")
            #expect(proposed >= 1, "the rotated validator proposed with its new key after height \(switchHeight)")

            // A vote its old key signs at the next height is dropped as a bad signature (sent again while a commit
            // overtakes it: a vote for a decided height is dropped as stale instead).
            let observer = validators[0]
            let before = observer.dropped("bad_signature")
            try await waitUntil("the old key's vote is dropped as a bad signature", within: .seconds(60)) {
                let old = Vote.sign(
                    .prevote, height: await observer.height + 1, round: 0, blockID: nil,
                    chainID: LedgerFixture.chainID, validator: member, key: fixture.actor("v2").key)
                observer.driver.deliver(from: member, payload: ValidatorMessage.vote(old).canonicalBytes)
                try await Task.sleep(for: .milliseconds(100))
                return observer.dropped("bad_signature") > before
            }

            // A record committed after the rotation proves offline from genesis, through the announced set.
            let piece = fixture.sign(
                "firmA",
                .registerPiece(.init(card: IdentityCard(category: .gold, weight: 5, fineness: 999), certificate: nil)))
            _ = try await observer.node.submit(piece.canonicalBytes)
            let pieceHeight = try await ConsensusNetworkTests.acceptedHeights(of: piece.id, on: [observer])[0]
            try await waitForHeight(pieceHeight + 1, [observer])
            let bundle = try #require(try await observer.node.proofBundle(piece.id))
            #expect(bundle.validatorChain.contains { $0.header.height == heights[0] }, "the rotation is a chain link")
            switch bundle.verify(genesis: fixture.genesis) {
            case .success: break
            case .failure(let failure): Issue.record("the bundle does not verify: \(failure)")
            }
        }
    }
}
