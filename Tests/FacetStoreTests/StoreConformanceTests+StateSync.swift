import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

@testable import FacetStore

/// What state sync asks of a store: a verified snapshot imported in one transaction into an empty store, which then
/// loads, commits the following blocks and serves nothing at or below its base.
extension StoreConformanceTests {
    @Test(arguments: Backend.selected)
    func aSnapshotImportsIntoAnEmptyStoreAndTheChainGoesOnFromIt(backend: Backend) async throws {
        let base = 12
        let snapshot = chain.blocks[base]  // its state before is the state after block `base`
        let header = chain.blocks[base - 1].header
        let certificate = chain.blocks[base - 1].certificate
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await store.importSnapshot(header: header, certificate: certificate, state: snapshot.stateBefore)
                #expect(try await store.syncBase() == UInt64(base))
                let head = try #require(try await store.head())
                #expect(head.height == UInt64(base) && head.blockID == header.id && head.stateRoot == header.stateRoot)
                let loaded = try await store.loadState(genesis: chain.genesis)
                #expect(loaded.state.stateRoot == header.stateRoot && loaded.state.log.root == header.logRoot)
                #expect(loaded.headBlockID == header.id)
                #expect(try await store.block(at: UInt64(base)) == nil, "the base block is not served")
                #expect(try await store.block(at: 1) == nil)

                // A second import, or one into a store that holds blocks, is refused and changes nothing.
                let error = await #expect(throws: StoreError.self) {
                    try await store.importSnapshot(
                        header: header, certificate: certificate, state: snapshot.stateBefore)
                }
                #expect(error?.code == .notEmpty)

                for commit in chain.commits[base...] { try await store.commit(commit) }
                let final = try await store.loadState(genesis: chain.genesis)
                #expect(final.state.stateRoot == chain.finalState.stateRoot)
                let served = try await store.blocks(from: 1, limit: 4)
                #expect(served.map(\.header.height) == [13, 14, 15, 16], "block sync serves from the base on")
            }
            // Reopened, the store still loads from its base.
            try await scratch.open { store in
                try await store.migrate()
                #expect(try await store.loadState(genesis: chain.genesis).state.stateRoot == chain.finalState.stateRoot)
            }
        }
    }

    @Test(arguments: Backend.selected)
    func aSnapshotWhoseStateIsNotItsHeadersIsRefused(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                let error = await #expect(throws: StoreError.self) {
                    try await store.importSnapshot(
                        header: chain.blocks[5].header, certificate: chain.blocks[5].certificate,
                        state: chain.blocks[3].stateBefore)
                }
                #expect(error?.code == .invalidRequest)
                #expect(try await store.head() == nil)
                #expect(try await store.syncBase() == nil)
            }
        }
    }
}
