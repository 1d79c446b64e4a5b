import ArgumentParser
import FacetCore
import FacetLedger

/// Trade: invoices, their confirmation and payment, disputes, and platforms' settled sales.
extension Tx {
    struct IssueInvoice: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.issueInvoice.commandName,
            abstract: "Invoice a buyer (firm). The invoice's id is the id printed.")

        @OptionGroup var tx: TxOptions
        @Option(help: "The buyer (a firm); omit for a sale to a consumer.", transform: CLIInput.id) var buyer: MemberID?
        @Option(help: "The amount, such as 1234.56.") var amount: String
        @Option(help: "The currency.") var currency = "CNY"
        @Option(help: "Due date, RFC 3339 UTC.", transform: CLIInput.time) var due: Timestamp
        @Option(help: "A piece sold (repeat for each, up to 64).", transform: CLIInput.id) var piece: [PieceID] = []
        @Option(help: "The channel: \(CLIInput.names(SalesChannel.self)).", transform: CLIInput.channel)
        var channel: SalesChannel

        func validate() throws { _ = try CLIInput.money(amount, currency) }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .issueInvoice(
                .init(
                    buyer: buyer, amount: try CLIInput.money(amount, currency), dueAt: due, pieces: piece,
                    channel: channel))
        }
    }

    struct ConfirmInvoice: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.confirmInvoice.commandName,
            abstract: "Confirm an invoice as its named buyer; its pieces become yours.")

        @OptionGroup var tx: TxOptions
        @Option(help: "The invoice's id.", transform: CLIInput.id) var invoice: InvoiceID

        func body(_ context: TxContext) async throws -> TransactionBody { .confirmInvoice(.init(invoice: invoice)) }
    }

    struct PayInvoice: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.payInvoice.commandName,
            abstract: "Record a payment on an invoice, partial allowed (buyer or bank).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The invoice's id.", transform: CLIInput.id) var invoice: InvoiceID
        @Option(help: "The amount paid, such as 1234.56.") var amount: String
        @Option(help: "The currency (the invoice's).") var currency = "CNY"

        func validate() throws { _ = try CLIInput.money(amount, currency) }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .payInvoice(.init(invoice: invoice, amount: try CLIInput.money(amount, currency)))
        }
    }

    struct RaiseDispute: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.raiseDispute.commandName,
            abstract: "Dispute an invoice (its seller or buyer).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The invoice's id.", transform: CLIInput.id) var invoice: InvoiceID
        @Option(help: "Why.", transform: CLIInput.text("reason")) var reason: String

        func body(_ context: TxContext) async throws -> TransactionBody {
            .raiseDispute(.init(invoice: invoice, reason: reason))
        }
    }

    struct ResolveDispute: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.resolveDispute.commandName,
            abstract: "Resolve a dispute (a conciliator who is not a party).")

        enum Outcome: String, ExpressibleByArgument, CaseIterable { case dismissed, adjusted, cancelled }

        @OptionGroup var tx: TxOptions
        @Option(help: "The dispute's id.", transform: CLIInput.id) var dispute: DisputeID
        @Option(help: "dismissed, adjusted (with --amount: the invoice's new amount) or cancelled.") var outcome:
            Outcome
        @Option(help: "The adjusted amount.") var amount: String?
        @Option(help: "The adjusted amount's currency (the invoice's).") var currency = "CNY"
        @Option(help: "A note.", transform: CLIInput.text("note")) var note = ""

        func validate() throws { _ = try resolution() }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .resolveDispute(.init(dispute: dispute, outcome: try resolution(), note: note))
        }

        private func resolution() throws -> DisputeOutcome {
            switch (outcome, amount) {
            case (.dismissed, nil): return .dismissed
            case (.cancelled, nil): return .cancelled
            case (.adjusted, let amount?): return .adjusted(try CLIInput.money(amount, currency))
            case (.adjusted, nil): throw ValidationError("--outcome adjusted needs --amount")
            default: throw ValidationError("--amount goes only with --outcome adjusted")
            }
        }
    }

    struct SettlePlatformSales: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.settlePlatformSales.commandName,
            abstract: "Attest a seller's settled sales for a period (platform).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The seller (a firm).", transform: CLIInput.id) var seller: MemberID
        @Option(help: "Start of the period, RFC 3339 UTC (inclusive).", transform: CLIInput.time) var start: Timestamp
        @Option(help: "End of the period, RFC 3339 UTC.", transform: CLIInput.time) var end: Timestamp
        @Option(help: "Gross settled sales, such as 98000.00.") var gross: String
        @Option(help: "Refunds in the period.") var refunds = "0"
        @Option(help: "The currency of gross and refunds.") var currency = "CNY"
        @Option(help: "Orders settled.") var orders: UInt32

        func validate() throws {
            _ = try CLIInput.money(gross, currency)
            _ = try CLIInput.money(refunds, currency)
        }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .settlePlatformSales(
                .init(
                    seller: seller, periodStart: start, periodEnd: end, gross: try CLIInput.money(gross, currency),
                    orders: orders, refunds: try CLIInput.money(refunds, currency)))
        }
    }
}
