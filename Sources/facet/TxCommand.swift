import ArgumentParser
import FacetLedger

/// One `facet tx` subcommand: it turns its options into a transaction body; `TxRunner` does the rest (sign,
/// submit, wait, report) the same way for every kind.
protocol TxCommand: AsyncParsableCommand {
    var tx: TxOptions { get }

    /// The body to sign. Throws `ValidationError` for options that do not make a valid body.
    func body(_ context: TxContext) async throws -> TransactionBody

    /// Runs after the transaction is committed (rotate-key rewrites the new key file's member id).
    func committed(_ context: TxContext) throws
}

extension TxCommand {
    func run() async throws {
        try await TxRunner(options: tx).run(self)
    }

    func committed(_ context: TxContext) throws {}
}
