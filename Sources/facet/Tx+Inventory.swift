import ArgumentParser
import FacetCore
import FacetLedger

/// Inventory: pieces, their certificates and inspections, custody and stock audits.
extension Tx {
    struct RegisterPiece: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.registerPiece.commandName,
            abstract:
                "Register a piece the signer owns, with its identity card (firm). The piece's id is the id printed.")

        @OptionGroup var tx: TxOptions
        @OptionGroup var card: CardOptions
        @Option(help: "The lab of a certificate the piece claims.", transform: CLIInput.id) var lab: MemberID?
        @Option(
            help: "The claimed certificate's number, such as GIA-2141438167.",
            transform: CLIInput.label("certificate number"))
        var certificate: Label?

        func validate() throws {
            guard (lab == nil) == (certificate == nil) else {
                throw ValidationError("--lab and --certificate go together")
            }
        }

        func body(_ context: TxContext) async throws -> TransactionBody {
            let claim = lab.flatMap { lab in certificate.map { CertificateRef(lab: lab, number: $0) } }
            return .registerPiece(.init(card: try card.card(), certificate: claim))
        }
    }

    struct CertifyPiece: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.certifyPiece.commandName,
            abstract: "Certify a piece under a certificate number, with the lab's grading (lab).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The piece's id.", transform: CLIInput.id) var piece: PieceID
        @Option(help: "The certificate number.", transform: CLIInput.label("certificate number")) var number: Label
        @OptionGroup var grading: CardOptions

        func body(_ context: TxContext) async throws -> TransactionBody {
            .certifyPiece(.init(piece: piece, number: number, grading: try grading.card()))
        }
    }

    struct InspectPiece: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.inspectPiece.commandName,
            abstract: "Record an inspection and the piece's identity-card number (inspector).")

        enum Verdict: String, EnumerableFlag { case passed, failed }

        @OptionGroup var tx: TxOptions
        @Option(help: "The piece's id.", transform: CLIInput.id) var piece: PieceID
        @Option(help: "The identity-card number issued.", transform: CLIInput.label("card number")) var cardNumber:
            Label
        @Flag(help: "Whether the piece passed.") var verdict: Verdict
        @Option(help: "Notes.", transform: CLIInput.text("notes")) var notes = ""

        func body(_ context: TxContext) async throws -> TransactionBody {
            .inspectPiece(.init(piece: piece, cardNumber: cardNumber, passed: verdict == .passed, notes: notes))
        }
    }

    struct CustodyIn: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.custodyIn.commandName,
            abstract: "Take a piece into the signer's custody (warehouse).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The piece's id.", transform: CLIInput.id) var piece: PieceID
        @Flag(help: "The warehouse is bonded.") var bonded = false

        func body(_ context: TxContext) async throws -> TransactionBody {
            .custodyIn(.init(piece: piece, bonded: bonded))
        }
    }

    struct CustodyOut: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.custodyOut.commandName,
            abstract: "Release a piece from the signer's custody (warehouse).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The piece's id.", transform: CLIInput.id) var piece: PieceID

        func body(_ context: TxContext) async throws -> TransactionBody { .custodyOut(.init(piece: piece)) }
    }

    struct StockAudit: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.stockAudit.commandName,
            abstract: "Attest that the signer holds these pieces of a firm today (warehouse).")

        @OptionGroup var tx: TxOptions
        @Option(help: "The firm whose stock is audited.", transform: CLIInput.id) var firm: MemberID
        @Option(help: "A piece held (repeat for each, up to 256).", transform: CLIInput.id) var piece: [PieceID] = []

        func validate() throws {
            guard !piece.isEmpty else { throw ValidationError("name at least one --piece") }
        }

        func body(_ context: TxContext) async throws -> TransactionBody {
            .stockAudit(.init(firm: firm, pieces: piece))
        }
    }
}
