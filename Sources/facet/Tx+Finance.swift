import ArgumentParser
import FacetCore
import FacetLedger

/// Finance: consent, offers, loans, collateral and guarantees.
extension Tx {
    struct GrantConsent: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.grantConsent.commandName,
            abstract: "Let a lender read your data and make you offers (firm).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The lender's id.", transform: CLIInput.id) var lender: MemberID
        @Option(help: "When the consent ends, RFC 3339 UTC (default: never).", transform: CLIInput.time)
        var expires: Timestamp?

        func body(_ context: TxContext) async throws -> TransactionBody {
            .grantConsent(.init(lender: lender, expiresAt: expires))
        }
    }

    struct RevokeConsent: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.revokeConsent.commandName, abstract: "Withdraw a lender's access (firm).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The lender's id.", transform: CLIInput.id) var lender: MemberID

        func body(_ context: TxContext) async throws -> TransactionBody { .revokeConsent(.init(lender: lender)) }
    }

    struct MakeOffer: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.makeOffer.commandName,
            abstract: "Offer a firm credit (lender). The offer's id is the id printed.")

        @OptionGroup var tx: TxOptions
        @Option(help: "The firm's id.", transform: CLIInput.id) var firm: MemberID
        @Option(help: "The product: \(CLIInput.names(Product.self)).", transform: CLIInput.product) var product: Product
        @Option(help: "The principal, such as 50000.00.") var principal: String
        @Option(help: "The currency.") var currency = "CNY"
        @Option(help: "The annual rate in basis points (1 to 100000).") var rateBp: UInt32
        @Option(help: "The term in days (1 to 3650).") var termDays: UInt32
        @Option(
            help: "The content hash of the scoring model behind the decision; it must be registered (register-model).",
            transform: CLIInput.hash("model hash"))
        var modelHash: Hash256
        @Option(help: "The ledger height the decision read (default: the node's height now).") var height: UInt64?
        @Option(
            help: "SHA-256 of the feature values the decision read (as `facet credit report` prints it).",
            transform: CLIInput.hash("features hash"))
        var featuresHash: Hash256 = .zero
        @Option(help: "When the offer lapses, RFC 3339 UTC.", transform: CLIInput.time) var expires: Timestamp
        @Option(
            help: "Collateral the loan takes: piece:ID or invoice:ID (repeat, up to 16).",
            transform: CLIInput.collateral)
        var collateral: [Collateral] = []
        @Option(help: "A guarantee offer's guarantor (its id).", transform: CLIInput.id) var guarantor: MemberID?
        @Option(help: "The share of the loss the guarantor covers, in basis points.") var coverageBp: UInt32?
        @Option(help: "The guarantee fee over the term, such as 750.00.") var guaranteeFee: String?

        func validate() throws {
            _ = try CLIInput.money(principal, currency)
            if let guaranteeFee { _ = try CLIInput.money(guaranteeFee, currency) }
            if (guarantor == nil) != (coverageBp == nil) || (guarantor == nil) != (guaranteeFee == nil) {
                throw ValidationError("--guarantor, --coverage-bp and --guarantee-fee go together")
            }
        }

        func body(_ context: TxContext) async throws -> TransactionBody {
            var guarantee: OfferGuarantee?
            if let guarantor, let coverageBp, let guaranteeFee {
                guarantee = OfferGuarantee(
                    guarantor: guarantor, coverageBasisPoints: coverageBp,
                    fee: try CLIInput.money(guaranteeFee, currency))
            }
            return .makeOffer(
                .init(
                    firm: firm, product: product, principal: try CLIInput.money(principal, currency),
                    rateBasisPoints: rateBp, termDays: termDays, modelHash: modelHash,
                    ledgerHeight: height ?? context.height, featuresHash: featuresHash, expiresAt: expires,
                    collateral: collateral, guarantee: guarantee))
        }
    }

    struct AcceptOffer: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.acceptOffer.commandName,
            abstract: "Accept an offer made to you (firm). The loan's id is the id printed.")

        @OptionGroup var tx: TxOptions
        @Option(help: "The offer's id.", transform: CLIInput.id) var offer: OfferID

        func body(_ context: TxContext) async throws -> TransactionBody { .acceptOffer(.init(offer: offer)) }
    }

    struct Pledge: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.pledge.commandName,
            abstract: "Pledge a piece or a receivable to your loan (the borrower).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The loan's id (the accept-offer transaction's id).", transform: CLIInput.id) var loan: LoanID
        @OptionGroup var item: CollateralOptions

        func body(_ context: TxContext) async throws -> TransactionBody {
            .pledge(.init(loan: loan, collateral: try item.collateral()))
        }
    }

    struct Repay: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.repay.commandName,
            abstract: "Record a repayment: the lender's receipt lowers what the loan owes; the borrower's is a claim.",
            discussion: """
                Signed by the loan's lender, a receipt: the loan owes that much less at once. Signed by the borrower, \
                a claim that changes nothing owed until the lender confirms it (confirm-repayment). Nobody else may \
                sign a repayment on a loan.
                """)

        @OptionGroup var tx: TxOptions
        @Option(help: "The loan's id.", transform: CLIInput.id) var loan: LoanID
        @Option(help: "The amount, such as 1000.00.") var amount: String
        @Option(help: "The currency (the loan's).") var currency = "CNY"

        func validate() throws { _ = try CLIInput.money(amount, currency) }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .repay(.init(loan: loan, amount: try CLIInput.money(amount, currency)))
        }
    }

    struct ConfirmRepayment: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.confirmRepayment.commandName,
            abstract: "Confirm a borrower's repayment claim (the loan's lender): the loan owes that much less.")

        @OptionGroup var tx: TxOptions
        @Option(help: "The claim's id (the borrower's repay transaction's id).", transform: CLIInput.id)
        var claim: TransactionID

        func body(_ context: TxContext) async throws -> TransactionBody { .confirmRepayment(.init(claim: claim)) }
    }

    struct DeclareDefault: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.declareDefault.commandName,
            abstract: "Declare an overdue loan in default (its lender).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The loan's id.", transform: CLIInput.id) var loan: LoanID

        func body(_ context: TxContext) async throws -> TransactionBody { .declareDefault(.init(loan: loan)) }
    }

    struct Release: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.release.commandName,
            abstract: "Release collateral from a loan (its lender, or the borrower once it is repaid).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The loan's id.", transform: CLIInput.id) var loan: LoanID
        @OptionGroup var item: CollateralOptions

        func body(_ context: TxContext) async throws -> TransactionBody {
            .release(.init(loan: loan, collateral: try item.collateral()))
        }
    }

    struct Guarantee: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.guarantee.commandName,
            abstract: "Cover a share of a loan's loss for a fee (guarantor).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The loan's id.", transform: CLIInput.id) var loan: LoanID
        @Option(help: "The share covered in basis points (1 to 10000).") var coverageBp: UInt32
        @Option(help: "The fee, such as 500.00 (zero allowed).") var fee: String
        @Option(help: "The fee's currency (the loan's).") var currency = "CNY"

        func validate() throws { _ = try CLIInput.money(fee, currency) }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .guarantee(.init(loan: loan, coverageBasisPoints: coverageBp, fee: try CLIInput.money(fee, currency)))
        }
    }

    struct RegisterModel: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.registerModel.commandName,
            abstract: "Register a scoring model by its content hash, so offers can name it (lender or guarantor).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The model's content hash (64 hex digits).", transform: CLIInput.hash("model hash"))
        var modelHash: Hash256
        @Option(help: "The model's name: its file in contracts/models/ without .json.") var name: String

        func validate() throws {
            guard (try? Label(name)) != nil else { throw ValidationError("--name is not a label: \(name)") }
        }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .registerModel(.init(modelHash: modelHash, name: try Label(name)))
        }
    }
}
