import FacetConsensus
import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

/// State sync's machine against honest and lying peers, on virtual time: each seed draws the peers' behaviours, the
/// network's delays and a crash of the joining node mid-download. The oracle: the node ends with exactly the
/// certified state or has not ended; it ends whenever an honest peer serves; it never adopts anything else.
@Suite struct StateSyncMachineTests {
    /// What a simulated peer does with the requests it gets.
    enum Behaviour: CaseIterable {
        case honest, silent, wrongChunk, oversizeChunk, wrongManifest, forgedManifest, unsolicited
    }

    /// A chain of a few blocks and the honest snapshot of its head, in chunks of 1 KiB (several chunks).
    struct Source {
        let chain: ChainFixture
        let honest: (manifest: SnapshotManifest, chunks: [[UInt8]])
        let lying: (manifest: SnapshotManifest, chunks: [[UInt8]])
        let forged: SnapshotManifest

        init(seed: UInt64) {
            var chain = ChainFixture(seed: seed)
            chain.commitEmptyBlocks(until: 3)
            let state = chain.ledger.state
            let header = chain.headers[chain.headers.count - 1]
            let certificate = chain.certificates[chain.certificates.count - 1]
            honest = StateSnapshot.build(state: state, header: header, certificate: certificate, chunkBytes: 1024)
            // The same certified header over other rows: a member renamed. Chunks hash to its own manifest, the root
            // does not match the header.
            var records = state.records
            let key = records.keys.filter { $0.table == .member }.sorted()[0]
            if case .member(var member)? = records[key] {
                member.name = "someone else"
                records[key] = .member(member)
            }
            let other = WorldState(height: state.height, time: state.time, records: records, log: state.log)
            var fake = StateSnapshot.build(state: state, header: header, certificate: certificate, chunkBytes: 1024)
            let otherChunks = StateSnapshot.build(
                state: WorldState(height: other.height, time: other.time, records: other.records, log: other.log),
                header: Self.header(header, root: other.stateRoot), certificate: certificate, chunkBytes: 1024
            ).chunks
            fake.chunks = otherChunks
            fake.manifest.chunkHashes = otherChunks.map { SHA256Hash.digest($0) }
            fake.manifest.recordCount = UInt64(records.count)
            lying = fake
            // A manifest of a block ten heights on, its certificate signed by keys no validator holds.
            var forgedHeader = header
            forgedHeader.height += 10
            let impostor = LedgerFixture.key(seed: seed, name: "impostor")
            let validators = chain.genesis.validatorSet.validators
            let signatures = validators.map {
                CommitCertificate.precommit(
                    height: forgedHeader.height, round: 0, blockID: forgedHeader.id, chainID: forgedHeader.chainID,
                    validator: $0.member, key: impostor)
            }
            var forged = honest.manifest
            forged.header = forgedHeader
            forged.certificate = CommitCertificate(
                height: forgedHeader.height, round: 0, blockID: forgedHeader.id, signatures: signatures)
            self.forged = forged
            self.chain = chain
        }

        /// Builds need a header naming the state's root; only the chunks of that build are used.
        static func header(_ header: BlockHeader, root: Hash256) -> BlockHeader {
            var header = header
            header.stateRoot = root
            return header
        }

        var trust: SnapshotTrust {
            SnapshotTrust(chainID: chain.genesis.params.chainID, validators: chain.genesis.validatorSet)
        }
    }

    enum Event {
        case machine(StateSyncMachine.Event)
        case crash
    }

    /// Runs one seed; returns what the node adopted (nil: nothing by the end), and whether an honest peer served.
    static func simulate(seed: UInt64, source: Source) -> (adopted: WorldState?, honestPeers: Int, crashes: Int) {
        var random = SeededRandom(seed: seed)
        let count = Int.random(in: 2...5, using: &random)
        let peers = (0..<count).map { MemberID(initialKey: LedgerFixture.key(seed: seed, name: "peer\($0)").publicKey) }
        var behaviours = [MemberID: Behaviour]()
        for peer in peers { behaviours[peer] = Behaviour.allCases.randomElement(using: &random) }
        let settings = StateSyncMachine.Settings(
            discoveryWindow: .milliseconds(500), requestTimeout: .seconds(2), penalty: .seconds(5), maxInFlight: 4,
            maxInFlightPerPeer: 2)
        var machine = StateSyncMachine(trust: source.trust, settings: settings)
        var queue = EventQueue<Event>()
        var staged: (manifest: SnapshotManifest, chunks: [Int: [UInt8]])?
        var adopted: WorldState?
        var crashes = 0
        let end: Int64 = 300_000
        for tick in stride(from: Int64(100), to: end, by: 100) { queue.schedule(.machine(.tick), at: tick) }
        if Bool.random(using: &random) { queue.schedule(.crash, at: Int64.random(in: 200...3_000, using: &random)) }
        queue.schedule(.machine(.start(peers: peers, resumed: nil, have: [])), at: 0)

        func delay() -> Int64 { Int64.random(in: 1...300, using: &random) }
        func answer(_ action: StateSyncMachine.Action, at now: Int64) {
            switch action {
            case .requestManifest(let peer):
                let offer: SnapshotManifest? =
                    switch behaviours[peer] {
                    case .silent: nil
                    case .wrongManifest: source.lying.manifest
                    case .forgedManifest: source.forged
                    default: source.honest.manifest
                    }
                if behaviours[peer] != .silent {
                    queue.schedule(.machine(.manifest(offer, from: peer)), at: now + delay())
                }
                if behaviours[peer] == .unsolicited {
                    let bytes = source.honest.chunks[0]
                    queue.schedule(
                        .machine(.chunk(manifest: source.honest.manifest.hash, index: 0, bytes: bytes, from: peer)),
                        at: now + delay())
                }
            case .requestChunk(let manifest, let index, let peer):
                let bytes: [UInt8]?
                switch behaviours[peer] {
                case .silent: bytes = nil
                case .wrongChunk: bytes = random.bytes(200)
                case .oversizeChunk: bytes = [UInt8](repeating: 7, count: SnapshotManifest.maxChunkBytes + 1)
                case .wrongManifest:
                    bytes = manifest == source.lying.manifest.hash ? source.lying.chunks[index] : nil
                default:
                    bytes = manifest == source.honest.manifest.hash ? source.honest.chunks[index] : nil
                }
                if let bytes {
                    queue.schedule(
                        .machine(.chunk(manifest: manifest, index: index, bytes: bytes, from: peer)), at: now + delay())
                }
            default:
                break
            }
        }

        while let (now, event) = queue.next() {
            let at = Duration.milliseconds(now)
            var actions: [StateSyncMachine.Action]
            switch event {
            case .crash:
                // The node dies: a new machine resumes from what was staged, each chunk checked again.
                crashes += 1
                machine = StateSyncMachine(trust: source.trust, settings: settings)
                let have = Set(
                    (staged?.chunks ?? [:]).filter { entry in
                        staged.map { StateSnapshot.chunkMatches(entry.value, index: entry.key, of: $0.manifest) }
                            ?? false
                    }.keys)
                actions = machine.handle(.start(peers: peers, resumed: staged?.manifest, have: have), at: at)
            case .machine(let input):
                actions = machine.handle(input, at: at)
            }
            while !actions.isEmpty {
                let action = actions.removeFirst()
                switch action {
                case .persistManifest(let manifest):
                    staged = (manifest, [:])
                case .persistChunk(let index, let bytes):
                    staged?.chunks[index] = bytes
                case .assemble(let manifest):
                    let chunks = manifest.chunkHashes.indices.map { staged?.chunks[$0] ?? [] }
                    do throws(SnapshotRejection) {
                        adopted = try StateSnapshot.assemble(manifest, chunks: chunks)
                        actions += machine.handle(.assembled(nil), at: at)
                    } catch {
                        actions += machine.handle(.assembled(error), at: at)
                    }
                case .finished:
                    return (adopted, behaviours.values.filter { $0 == .honest || $0 == .unsolicited }.count, crashes)
                default:
                    answer(action, at: now)
                }
            }
        }
        return (nil, behaviours.values.filter { $0 == .honest || $0 == .unsolicited }.count, crashes)
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func endsWithExactlyTheCertifiedStateOrKeepsTrying(seed: UInt64) {
        let source = Source(seed: seed % 4 + 1)
        #expect(source.honest.chunks.count >= 4, "the state spans several chunks")
        let run = Self.simulate(seed: seed, source: source)
        let certified = source.chain.ledger.state
        if let adopted = run.adopted {
            #expect(adopted.stateRoot == certified.stateRoot, "seed \(seed): adopted another state root")
            #expect(adopted.records == certified.records, "seed \(seed): adopted other rows")
            #expect(adopted.log.root == certified.log.root && adopted.height == certified.height, "seed \(seed)")
        } else {
            #expect(run.honestPeers == 0, "seed \(seed): \(run.honestPeers) honest peers, yet nothing adopted")
        }
    }

    /// The seeds cover what the oracle is about: adoptions after a crash mid-download, and runs with no honest peer.
    @Test func theSeedsCoverCrashesAndPeersThatAllLie() {
        let source = Source(seed: 7)
        var (adoptedAfterCrash, allLying) = (0, 0)
        for seed in UInt64(100)..<UInt64(160) {
            let run = Self.simulate(seed: seed, source: source)
            if run.honestPeers == 0 {
                allLying += 1
                #expect(run.adopted == nil, "seed \(seed): adopted with every peer lying")
            } else {
                #expect(run.adopted?.stateRoot == source.chain.ledger.state.stateRoot, "seed \(seed)")
            }
            if run.adopted != nil && run.crashes > 0 { adoptedAfterCrash += 1 }
        }
        #expect(adoptedAfterCrash > 0 && allLying > 0, "\(adoptedAfterCrash) crashes survived, \(allLying) all-lying")
    }

    @Test func aManifestNotVouchedForByTheTrustedSetIsRefusedBeforeAnyChunk() {
        let source = Source(seed: 3)
        #expect(throws: SnapshotRejection.self) { try source.trust.check(source.forged) }
        let liar = MemberID(initialKey: LedgerFixture.key(seed: 3, name: "liar").publicKey)
        var machine = StateSyncMachine(trust: source.trust)
        _ = machine.handle(.start(peers: [liar], resumed: nil, have: []), at: .zero)
        let actions = machine.handle(.manifest(source.forged, from: liar), at: .milliseconds(10))
        #expect(actions.contains { if case .penalized(liar, "state_sync.untrusted") = $0 { true } else { false } })
        let later = machine.handle(.tick, at: .seconds(5))
        #expect(!later.contains { if case .requestChunk = $0 { true } else { false } }, "no chunk of it is asked for")
    }

    @Test func aTrustedBlockAdmitsOnlyThatBlock() throws {
        let source = Source(seed: 2)
        let header = source.honest.manifest.header
        var trust = source.trust
        trust.trustedBlock = SnapshotTrust.TrustedBlock(height: header.height, id: header.id)
        try trust.check(source.honest.manifest)
        trust.trustedBlock = SnapshotTrust.TrustedBlock(height: header.height, id: header.previousBlockID)
        #expect(throws: SnapshotRejection.self) { try trust.check(source.honest.manifest) }
    }

    @Test func theLyingManifestFailsAssemblyOnItsRootAndTheHonestOneAssembles() throws {
        let source = Source(seed: 5)
        try source.trust.check(source.lying.manifest)
        #expect {
            _ = try StateSnapshot.assemble(source.lying.manifest, chunks: source.lying.chunks)
        } throws: { ($0 as? SnapshotRejection)?.code == .wrongRoot }
        let state = try StateSnapshot.assemble(source.honest.manifest, chunks: source.honest.chunks)
        #expect(state.stateRoot == source.chain.ledger.state.stateRoot)
        // Chunks swapped in order hash wrong; each chunk is only ever its own index.
        var swapped = source.honest.chunks
        swapped.swapAt(0, 1)
        #expect(throws: SnapshotRejection.self) { try StateSnapshot.assemble(source.honest.manifest, chunks: swapped) }
    }
}
