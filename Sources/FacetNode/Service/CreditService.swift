import Logging
import ServiceLifecycle

/// Brings the node's credit index up to the head from the store while the node serves, logging its progress, then
/// waits for shutdown: from then on every commit applies its block to the index.
public struct CreditService: Service {
    let node: LedgerNode
    let logger: Logger

    public init(node: LedgerNode, logger: Logger) {
        self.node = node
        self.logger = logger
    }

    public func run() async throws {
        await node.enableCredit()
        let clock = ContinuousClock()
        let started = clock.now
        var lastLog = started
        let logger = self.logger
        try await node.catchUpCredit { height, head in
            let now = clock.now
            if now - lastLog >= .seconds(5) {
                lastLog = now
                logger.info(
                    "credit index catching up", metadata: ["ledger.height": "\(height)", "ledger.head": "\(head)"])
            }
        }
        let height = await node.creditProgress()?.height ?? 0
        logger.info(
            "credit index ready",
            metadata: ["ledger.height": "\(height)", "credit.catch_up": "\(clock.now - started)"])
        try? await gracefulShutdown()
    }
}
