import ArgumentParser
import FacetCore
import FacetLedger

/// One item of collateral: `--piece ID` or `--invoice ID` (`pledge`, `release`).
struct CollateralOptions: ParsableArguments {
    @Option(help: "A piece to pledge or release.", transform: CLIInput.id) var piece: PieceID?
    @Option(help: "An invoice (a receivable) to pledge or release.", transform: CLIInput.id) var invoice: InvoiceID?

    func validate() throws { _ = try collateral() }

    func collateral() throws -> Collateral {
        switch (piece, invoice) {
        case (let piece?, nil): return .piece(piece)
        case (nil, let invoice?): return .invoice(invoice)
        default: throw ValidationError("give exactly one of --piece and --invoice")
        }
    }
}
