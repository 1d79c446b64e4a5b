import ArgumentParser
import FacetClient
import FacetCore
import FacetLedger

/// A piece's identity card on the command line (`register-piece`, and the lab's grading in `certify-piece`).
/// Stones are weighed in carats, everything else in grams, as the ledger records them (millicarats, milligrams).
struct CardOptions: ParsableArguments {
    @Option(help: "The category: \(CLIInput.names(PieceCategory.self)).", transform: CLIInput.category)
    var category: PieceCategory
    @Option(help: "Weight in carats, up to 3 decimals (natural and lab-grown diamonds, colored stones).")
    var carats: String?
    @Option(help: "Weight in grams, up to 3 decimals (gold, platinum, jadeite, pearl, crystal).") var grams: String?
    @Option(help: "Color grade, such as D.", transform: CLIInput.label("color")) var color: Label?
    @Option(help: "Clarity grade, such as VS1.", transform: CLIInput.label("clarity")) var clarity: Label?
    @Option(help: "Cut grade, such as EX.", transform: CLIInput.label("cut")) var cut: Label?
    @Option(help: "Fineness in parts per thousand, 1 to 1000 (metals only), such as 999.") var fineness: UInt16?
    @Option(
        name: .customLong("description"), help: "What the piece is, in words.", transform: CLIInput.text("description"))
    var details = ""

    func validate() throws { _ = try card() }

    func card() throws -> IdentityCard {
        let weight: UInt64
        switch (category.weighedInCarats, carats, grams) {
        case (true, let carats?, nil): weight = try CLIInput.parse { try InputText.weight(carats, unit: "carats") }
        case (false, nil, let grams?): weight = try CLIInput.parse { try InputText.weight(grams, unit: "grams") }
        case (true, _, _): throw ValidationError("a \(category.inputName) is weighed with --carats")
        case (false, _, _): throw ValidationError("a \(category.inputName) is weighed with --grams")
        }
        if let fineness, !(1...1000).contains(fineness) {
            throw ValidationError("--fineness is 1 to 1000 parts per thousand")
        }
        return IdentityCard(
            category: category, weight: weight, color: color, clarity: clarity, cut: cut, fineness: fineness,
            description: details)
    }
}
