import FacetCore
import FacetCredit
import FacetLedger
import FacetTestSupport
import Foundation

/// Ids, times, prices and the committed product and policy files, for the pricing tests.
enum PricingFixtures {
    static func hash(_ n: UInt64) -> Hash256 { Hash256(w0: 0, w1: 0, w2: 0, w3: n) }
    static func piece(_ n: UInt64) -> PieceID { PieceID(hash(n)) }
    static func invoice(_ n: UInt64) -> InvoiceID { InvoiceID(hash(n)) }
    static func member(_ n: UInt64) -> MemberID { MemberID(hash(n)) }

    /// Day `n` since 1970, at midnight.
    static func day(_ n: Int64) -> Timestamp { Timestamp(uncheckedMillis: n * Timestamp.millisPerDay) }
    static let today = day(20_000)

    static func label(_ text: String) -> Label {
        guard let label = try? Label(text) else { preconditionFailure("\(text) is a label") }
        return label
    }

    /// A flat history: no volatility add-on.
    static func flat(_ price: Int64) -> [Int64] { Array(repeating: price, count: 13) }

    static let prices: [PriceSeries] = [
        PriceSeries(category: .gold, band: "AU9999-PER-G", pricePerUnit: 48_000, monthlyHistory: flat(48_000)),
        PriceSeries(
            category: .naturalDiamond, band: "1CT-G-VS2-PER-CT", pricePerUnit: 4_200_000,
            monthlyHistory: flat(4_200_000)),
        PriceSeries(
            category: .labGrownDiamond, band: "1CT-G-VS2-PER-CT", pricePerUnit: 450_000,
            monthlyHistory: flat(450_000)),
        PriceSeries(category: .jadeite, band: "TYPE-A-PER-G", pricePerUnit: 150_000, monthlyHistory: flat(150_000)),
        PriceSeries(
            category: .crystal, band: "CLEAR-QUARTZ-PER-G", pricePerUnit: 800, monthlyHistory: flat(800)),
    ]

    /// A warehouse-held gold bangle of `grams` at `fineness`.
    static func gold(_ n: UInt64, grams: UInt64 = 100, fineness: UInt16 = 999) -> CollateralPiece {
        CollateralPiece(
            id: piece(n), card: IdentityCard(category: .gold, weight: grams * 1000, fineness: fineness),
            certified: false, inWarehouse: true)
    }

    /// A certified, warehouse-held diamond.
    static func diamond(
        _ n: UInt64, category: PieceCategory = .naturalDiamond, millicarats: UInt64 = 1000, color: String = "G",
        clarity: String = "VS2"
    ) -> CollateralPiece {
        CollateralPiece(
            id: piece(n),
            card: IdentityCard(
                category: category, weight: millicarats, color: label(color), clarity: label(clarity)),
            certified: true, inWarehouse: true)
    }

    static func product(_ name: String) throws -> CreditProduct {
        try CreditProduct.decode(ContractFiles.data("products/\(name).json"))
    }

    static func policy(_ name: String) throws -> LenderPolicy {
        try LenderPolicy.decode(ContractFiles.data("policies/\(name).json"))
    }

    /// bank-a's policy with the appetite the hand-made figures of the pricing, assessment and advice tests were written
    /// for (PD 1.5 % at most, grade 4 or better), so they test the engine rather than the demo's calibration of the
    /// committed file (`OfferShareTests` checks that).
    static func primeBank() throws -> LenderPolicy {
        var policy = try policy("bank-a")
        policy.maxPdBps = 150
        policy.worstGrade = "4"
        return policy
    }

    static let productNames = ["working-capital", "receivables", "inventory-pledge", "guarantee"]
    static let lenderNames = ["bank-a", "bank-b", "fintech"]
}
