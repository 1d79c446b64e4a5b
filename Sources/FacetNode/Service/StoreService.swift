import FacetStore
import Logging
import ServiceLifecycle

/// The store's place in the node's service group: first in the list, so it is the last to stop. It waits for
/// shutdown (graceful or not), then closes the store, which waits for the operations in flight; by then the API
/// and the block producer, which stopped before it, no longer use it.
public struct StoreService: Service {
    let store: any LedgerStore
    let logger: Logger

    public init(store: any LedgerStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        do {
            try await store.close()
            logger.info("store closed")
        } catch {
            logger.error("closing the store failed", metadata: ["store.error": "\(error)"])
        }
    }
}
