import ArgumentParser
import FacetCore
import FacetLedger

/// Market data: an exchange's reference prices.
extension Tx {
    struct PublishPrice: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.publishPrice.commandName,
            abstract: "Publish a reference price per unit for a category and band (exchange).",
            discussion: "The unit is the ledger's: a millicarat for stones, a milligram otherwise.")

        @OptionGroup var tx: TxOptions
        @Option(help: "The category: \(CLIInput.names(PieceCategory.self)).", transform: CLIInput.category)
        var category: PieceCategory
        @Option(
            help: """
                The band in its category's grammar (contracts/transactions.md), such as AU9999-PER-G or \
                1CT-G-VS2-PER-CT.
                """,
            transform: CLIInput.label("band"))
        var band: Label
        @Option(help: "The price per unit, such as 45.80.") var price: String
        @Option(help: "The currency.") var currency = "CNY"

        func validate() throws { _ = try CLIInput.money(price, currency) }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .publishPrice(.init(category: category, band: band, pricePerUnit: try CLIInput.money(price, currency)))
        }
    }
}
