import FacetCore
import FacetLedger
import FacetStore
import FacetTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Kills `facet-soak` with SIGKILL at seeded random moments while it commits, and checks after each kill
/// that the store reopens at a consistent height: at least every height the process reported committed, with
/// the state its header names, equal to re-executing the same seed's blocks in memory; and that the store
/// accepts further blocks from there.
@Suite(.serialized) struct CrashConsistencyTests {
    static let chainSeed: UInt64 = 11
    static let blockSize = 24
    static let rounds = 8

    @Test(arguments: Backend.selected)
    func killedWritersRestartConsistent(backend: Backend) async throws {
        let binary = try SoakProcess.soakBinary()
        try await ScratchStore.with(backend) { scratch in
            var timing = SeededRandom(seed: 0xC4A5_4000 ^ Self.chainSeed)
            var reference = SimulatedChain(seed: Self.chainSeed, blockSize: Self.blockSize)
            for round in 0..<Self.rounds {
                // The bound only keeps a run short should the kill come late; it is never reached otherwise.
                let soak = try SoakProcess(
                    binary: binary, store: scratch.locationText, seed: Self.chainSeed, blocks: reference.height + 200,
                    blockSize: Self.blockSize)
                let lines = Int.random(in: 0...4, using: &timing)
                let extra = Int.random(in: 0...200, using: &timing)
                await soak.kill(afterCommits: lines, milliseconds: extra)
                let printed = try await soak.waitForExit()
                if !soak.wasKilled {
                    let status = soak.exitStatus
                    Issue.record("round \(round): the writer stopped before the kill (\(status)): \(soak.errorOutput)")
                }
                let recovered = try await check(scratch, printed: printed, reference: &reference)
                print(
                    "\(backend) round \(round): killed \(extra) ms after \(lines) commits;",
                    "printed \(printed.last ?? 0), recovered \(recovered)")
            }

            // The store accepts continuing: a last run resumes from the recovered head and finishes.
            let target = reference.height + 5
            let soak = try SoakProcess(
                binary: binary, store: scratch.locationText, seed: Self.chainSeed, blocks: target,
                blockSize: Self.blockSize)
            let printed = try await soak.waitForExit()
            #expect(soak.exitStatus == 0, "soak failed: \(soak.errorOutput)")
            #expect(printed.last == target)
            let final = try await check(scratch, printed: printed, reference: &reference)
            #expect(final == target)
        }
    }

    /// Reopens the store and checks it against the heights printed and the in-memory re-execution. Returns
    /// the recovered height.
    private func check(_ scratch: ScratchStore, printed: [UInt64], reference: inout SimulatedChain) async throws
        -> UInt64
    {
        let genesis = reference.genesis
        let (head, loaded, stored) = try await scratch.open { store in
            try await store.migrate()
            let head = try await store.head()
            let loaded = try await store.loadState(genesis: genesis)
            let stored = try await head.asyncMap { try await store.block(at: $0.height) }
            return (head, loaded, stored)
        }
        let height = head?.height ?? 0
        #expect(height >= (printed.last ?? 0), "a height reported committed was lost")
        #expect(loaded.state.height == height)
        if let head {
            let header = try #require(stored??.header)
            #expect(loaded.state.stateRoot == header.stateRoot)
            #expect(loaded.headBlockID == head.blockID)
        }
        #expect(height >= reference.height, "the head went backwards")
        reference.advance(to: height)
        #expect(loaded.state.stateRoot == reference.state.stateRoot, "state at \(height) differs from re-execution")
        #expect(loaded.state.records == reference.state.records)
        #expect(loaded.state.log == reference.state.log)
        #expect(loaded.headBlockID == reference.lastBlockID)
        return height
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
