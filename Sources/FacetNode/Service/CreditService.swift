import Logging
import ServiceLifecycle

/// Attaches credit serving to the node and brings its index up to the head from the store while the node serves, logging its progress, then
/// waits for shutdown: from then on every commit applies its block to the index. A store that fails (gone, then
/// back) delays credit and never stops the node: the catch-up retries every second. A shutdown stops it at once.
public struct CreditService: Service {
    let node: LedgerNode
    let credit: CreditServing
    let logger: Logger

    public init(node: LedgerNode, credit: CreditServing, logger: Logger) {
        self.node = node
        self.credit = credit
        self.logger = logger
    }

    public func run() async throws {
        await credit.attach(to: node)
        let clock = ContinuousClock()
        let started = clock.now
        let caughtUp = try? await cancelWhenGracefulShutdown { try await catchUp(clock: clock) }
        if caughtUp == true {
            let height = credit.progress().height
            logger.info(
                "credit index ready",
                metadata: ["ledger.height": "\(height)", "credit.catch_up": "\(clock.now - started)"])
        }
        try? await gracefulShutdown()
    }

    /// True once caught up; throws `CancellationError` when cancelled.
    private func catchUp(clock: ContinuousClock) async throws -> Bool {
        let logger = self.logger
        var lastLog = clock.now
        while true {
            try Task.checkCancellation()
            do {
                try await credit.catchUp(store: node.store) { height, head in
                    let now = clock.now
                    if now - lastLog >= .seconds(5) {
                        lastLog = now
                        logger.info(
                            "credit index catching up",
                            metadata: ["ledger.height": "\(height)", "ledger.head": "\(head)"])
                    }
                }
                return true
            } catch let error where error.code == NodeError.Code.creditNeedsHistory.rawValue {
                // No retry can help: credit stays unavailable (`credit.catching_up`) on this node.
                logger.error("credit index cannot be built", metadata: ["node.error": "\(error)"])
                return false
            } catch {
                logger.warning("credit index cannot catch up yet", metadata: ["node.error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
