import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// Proposing and checking blocks: what a validator prevotes for, and the time rule (strictly after the previous
/// block, not beyond the validator's clock plus the drift).
@Suite struct BlockBuilderTests {
    let builder = BlockBuilder(time: BlockTimeBounds(maxDriftMillis: 2_000))

    func proposed(_ fixture: inout LedgerFixture, now: Timestamp) -> ProposedBlock {
        let transaction = fixture.sign(
            "exchange",
            .publishPrice(
                PublishPrice(
                    category: .gold, band: try! Label("AU9999-PER-G"),
                    pricePerUnit: try! Money(minorUnits: 56_000, currency: try! Currency("CNY")))))
        return builder.propose(
            [transaction], on: fixture.state, previousBlockID: fixture.genesis.hash, proposer: fixture.id("v1"),
            now: now
        ).block
    }

    @Test func aValidatorAcceptsExactlyTheBlockItWouldHaveBuilt() throws {
        var fixture = LedgerFixture(validators: 4)
        let now = Timestamp(uncheckedMillis: fixture.state.time.millis + 5_000)
        let block = proposed(&fixture, now: now)
        #expect(block.header.time == now)
        #expect(block.header.height == 1 && block.header.transactionCount == 1)
        let checked = builder.validate(block, on: fixture.state, previousBlockID: fixture.genesis.hash, now: now)
        guard case .success(let outcome) = checked else {
            Issue.record("refused its own block: \(checked)")
            return
        }
        #expect(outcome.stateRoot == block.header.stateRoot)
        #expect(try ProposedBlock(canonicalBytes: block.canonicalBytes) == block)
    }

    @Test func aBlockTimeIsStrictlyAfterThePreviousAndNotFarAheadOfTheClock() {
        var fixture = LedgerFixture(validators: 4)
        let genesisTime = fixture.state.time
        // A proposer whose clock is behind the previous block still moves time forward by a millisecond.
        #expect(
            builder.time.proposalTime(previous: genesisTime, now: Timestamp(uncheckedMillis: genesisTime.millis - 10))
                == Timestamp(uncheckedMillis: genesisTime.millis + 1))
        var block = proposed(&fixture, now: Timestamp(uncheckedMillis: genesisTime.millis + 10_000))
        // Validated by a validator whose clock is 9 s earlier: more than the 2 s drift ahead.
        let early = Timestamp(uncheckedMillis: genesisTime.millis + 1_000)
        #expect(
            builder.validate(block, on: fixture.state, previousBlockID: fixture.genesis.hash, now: early).rejection
                == .timeTooFarAhead)
        #expect(
            builder.validate(
                block, on: fixture.state, previousBlockID: fixture.genesis.hash,
                now: Timestamp(uncheckedMillis: genesisTime.millis + 8_000)
            ).isSuccess)
        block.header.time = genesisTime
        #expect(
            builder.validate(block, on: fixture.state, previousBlockID: fixture.genesis.hash, now: early).rejection
                == .timeNotAfterPrevious)
    }

    @Test func anyDifferenceFromTheComputedHeaderIsRefused() {
        var fixture = LedgerFixture(validators: 4)
        let now = Timestamp(uncheckedMillis: fixture.state.time.millis + 1_000)
        let block = proposed(&fixture, now: now)
        let previous = fixture.genesis.hash
        var wrongRoot = block
        wrongRoot.header.stateRoot = .zero
        #expect(
            builder.validate(wrongRoot, on: fixture.state, previousBlockID: previous, now: now).rejection
                == .headerMismatch)
        var dropped = block
        dropped.transactions = []
        #expect(
            builder.validate(dropped, on: fixture.state, previousBlockID: previous, now: now).rejection
                == .headerMismatch)
        var stranger = block
        stranger.header.proposer = fixture.id("firmA")
        #expect(
            builder.validate(stranger, on: fixture.state, previousBlockID: previous, now: now).rejection
                == .unknownProposer)
        var skipped = block
        skipped.header.height = 2
        #expect(
            builder.validate(skipped, on: fixture.state, previousBlockID: previous, now: now).rejection == .wrongHeight)
        #expect(
            builder.validate(block, on: fixture.state, previousBlockID: .zero, now: now).rejection == .wrongPrevious)
        // Block sync re-executes at the block's own time, without the clock rule.
        #expect(builder.checkExecution(block, on: fixture.state, previousBlockID: previous).isSuccess)
        #expect(
            builder.checkExecution(wrongRoot, on: fixture.state, previousBlockID: previous).rejection == .headerMismatch
        )
    }
}

extension Result where Failure == BlockRejection {
    var isSuccess: Bool { rejection == nil }

    var rejection: BlockRejection? {
        if case .failure(let rejection) = self { return rejection }
        return nil
    }
}
