import FacetCore
import FacetLedger
import Foundation

/// Why a piece adds nothing to a borrowing base. Stable names, reported to the firm beside each piece.
public enum PieceExclusion: String, Hashable, Sendable, Codable {
    case sold
    /// Secures a loan already: a piece is pledged to one loan at a time.
    case pledged
    /// On an unconfirmed invoice, being sold.
    case onInvoice = "on_invoice"
    /// A diamond, colored stone or jadeite without a lab's signed certification.
    case uncertified
    case failedInspection = "failed_inspection"
    /// Neither in a warehouse's custody nor audited by one within the product's `auditMaxAgeDays`.
    case unverifiedCustody = "unverified_custody"
    /// The product lists no haircut for the category.
    case categoryNotAccepted = "category_not_accepted"
    /// No exchange publishes a price for the category.
    case noReferencePrice = "no_reference_price"
    /// Exchanges published prices for the category, but none within the genesis' price validity: a stale price
    /// counts for nothing.
    case staleReferencePrice = "stale_reference_price"
    /// A metal without fineness, or a diamond without color or clarity.
    case incompleteCard = "incomplete_card"
    /// A diamond's color, clarity or its band's grade is outside the grading tables.
    case gradeNotPriced = "grade_not_priced"
}

/// One piece's valuation: its value at reference prices, its haircut and lendable value, or why it is excluded.
public struct PieceValuation: Hashable, Sendable {
    public var piece: PieceID
    public var category: PieceCategory
    /// Minor units at the reference price (zero when excluded before pricing).
    public var value: Int64
    /// The product's base haircut for the category, as a fraction.
    public var baseHaircut: Double
    /// `multiplier × σ × √horizon` from the category's price history, as a fraction.
    public var volatilityAddOn: Double
    /// `min(maxHaircut, base + add-on)`.
    public var haircut: Double
    /// `⌊value × (1 − haircut)⌋`, zero when excluded.
    public var lendableValue: Int64
    public var exclusion: PieceExclusion?
    /// The piece's attestors suspended since they vouched for it (`CollateralPiece.suspendedAttestors`).
    public var suspendedAttestors: [MemberID] = []

    public var isEligible: Bool { exclusion == nil }
}

/// Values pieces at reference prices and cuts them by category and price volatility.
///
/// Pricing rules (published bands are coarse, so the rules lean conservative):
/// - gold, platinum: `grams × fineness/1000 × price per gram` of the category's band.
/// - natural and lab-grown diamonds, each from its own series: `carats × price per carat × color ratio ×
///   clarity ratio × size ratio`, each ratio a grading-table factor of the piece over the band's (the band
///   label names its grade: `1CT-G-VS2-PER-CT`). A ratio above 1 is credited at half its premium
///   (`1 + (r − 1)/2`), a ratio below 1 in full: better grades resell at thin, uncertain premiums.
/// - colored stones (per carat), jadeite, pearls and crystal (per gram): the band's price, with no premium for
///   color or quality: these trade on an appraiser's eye, and the base haircuts are large.
/// - only fresh prices count (`PriceSeries.validUntil`, the genesis' `priceValidityMillis` after publication): a
///   category whose prices are all stale values its pieces at zero (`stale_reference_price`).
/// - where several exchanges publish one band, the band's price is their median (the lower middle one of an even
///   count); where a category has several bands, the piece's value is the median (lower middle) of its values under
///   each band. No single label or single exchange sets a value alone once others publish.
/// Eligibility: never sold, pledged or on an invoice; diamonds, colored stones and jadeite certified by a lab;
/// no failed inspection; in a warehouse's custody or audited within `auditMaxAgeDays`; a category the product
/// accepts; a published price.
public enum CollateralValuation {
    /// Categories whose value depends on a lab's grading: they count only when certified.
    public static let certificationRequired: [PieceCategory] = [
        .naturalDiamond, .labGrownDiamond, .coloredStone, .jadeite,
    ]

    /// Per-carat price relative to G color (approximate trade-sheet ratios for a 1 ct round).
    public static let colorFactors: [(grade: String, factor: Double)] = [
        ("D", 1.40), ("E", 1.28), ("F", 1.18), ("G", 1.00), ("H", 0.88), ("I", 0.76), ("J", 0.66), ("K", 0.56),
    ]
    /// Per-carat price relative to VS2 clarity.
    public static let clarityFactors: [(grade: String, factor: Double)] = [
        ("FL", 1.45), ("IF", 1.35), ("VVS1", 1.25), ("VVS2", 1.17), ("VS1", 1.08), ("VS2", 1.00), ("SI1", 0.87),
        ("SI2", 0.75), ("I1", 0.50),
    ]
    /// Per-carat price relative to a 1 ct stone, by the lower bound of the weight's bracket in carats.
    public static let sizeFactors: [(fromCarats: Double, factor: Double)] = [
        (0.0, 0.45), (0.5, 0.60), (0.7, 0.75), (0.9, 0.85), (1.0, 1.00), (1.5, 1.25), (2.0, 1.60), (3.0, 2.00),
    ]

    static let categoryNames: [(name: String, category: PieceCategory)] = [
        ("naturalDiamond", .naturalDiamond), ("labGrownDiamond", .labGrownDiamond), ("gold", .gold),
        ("platinum", .platinum), ("jadeite", .jadeite), ("coloredStone", .coloredStone), ("pearl", .pearl),
        ("crystal", .crystal),
    ]

    /// The category a product file names (`naturalDiamond`, as in `seeds/consortium.json`).
    public static func category(named name: String) -> PieceCategory? {
        categoryNames.first { $0.name == name }?.category
    }

    /// Values every piece, in ascending piece id order.
    public static func value(
        _ pieces: [CollateralPiece], prices: [PriceSeries], terms: CollateralTerms, asOf: Timestamp
    ) -> [PieceValuation] {
        pieces.sorted { $0.id < $1.id }.map { value($0, prices: prices, terms: terms, asOf: asOf) }
    }

    public static func value(
        _ piece: CollateralPiece, prices: [PriceSeries], terms: CollateralTerms, asOf: Timestamp
    ) -> PieceValuation {
        var result = PieceValuation(
            piece: piece.id, category: piece.card.category, value: 0, baseHaircut: 0, volatilityAddOn: 0,
            haircut: 0, lendableValue: 0, exclusion: nil, suspendedAttestors: piece.suspendedAttestors)
        if let exclusion = eligibility(piece, terms: terms, asOf: asOf) {
            result.exclusion = exclusion
            return result
        }
        let name = categoryNames.first { $0.category == piece.card.category }?.name
        guard let baseBps = terms.haircuts.first(where: { $0.category == name })?.haircutBps else {
            result.exclusion = .categoryNotAccepted
            return result
        }
        let (candidates, exclusion) = referencePrices(piece.card.category, prices, asOf: asOf)
        if let exclusion {
            result.exclusion = exclusion
            return result
        }
        var priced = [(value: Int64, price: PriceSeries)]()
        var failure: PieceExclusion?
        for price in candidates {
            switch marketValue(piece.card, price: price) {
            case .success(let value): priced.append((value, price))
            case .failure(let exclusion): failure = failure ?? exclusion
            }
        }
        guard !priced.isEmpty else {
            result.exclusion = failure ?? .noReferencePrice
            return result
        }
        priced.sort { $0.value != $1.value ? $0.value < $1.value : $0.price.band < $1.price.band }
        let (value, price) = priced[(priced.count - 1) / 2]
        let maxHaircut = Double(terms.volatility.maxHaircutBps) / 10_000.0
        let sigma = monthlyVolatility(price.monthlyHistory, lookbackMonths: terms.volatility.lookbackMonths)
        result.value = value
        result.baseHaircut = Double(baseBps) / 10_000.0
        if let sigma {
            result.volatilityAddOn = terms.volatility.multiplier * sigma * terms.volatility.horizonMonths.squareRoot()
            result.haircut = min(maxHaircut, result.baseHaircut + result.volatilityAddOn)
        } else {
            // Too short a history to measure: the most the product ever cuts.
            result.volatilityAddOn = max(0, maxHaircut - result.baseHaircut)
            result.haircut = max(maxHaircut, result.baseHaircut)
        }
        result.lendableValue = minorUnits(Double(value) * (1.0 - result.haircut))
        return result
    }

    static func eligibility(_ piece: CollateralPiece, terms: CollateralTerms, asOf: Timestamp) -> PieceExclusion? {
        if piece.sold { return .sold }
        if piece.pledged { return .pledged }
        if piece.onInvoice { return .onInvoice }
        if certificationRequired.contains(piece.card.category) && !piece.certified { return .uncertified }
        if piece.inspectionPassed == false { return .failedInspection }
        if !piece.inWarehouse {
            guard let audit = piece.lastAudit else { return .unverifiedCustody }
            let age = asOf.millis - audit.millis
            if age > Int64(terms.auditMaxAgeDays) * Timestamp.millisPerDay { return .unverifiedCustody }
        }
        return nil
    }

    /// The category's fresh prices, one per band (the median of the exchanges publishing it), in band order; or why
    /// there is none.
    static func referencePrices(_ category: PieceCategory, _ prices: [PriceSeries], asOf: Timestamp)
        -> ([PriceSeries], PieceExclusion?)
    {
        let published = prices.filter { $0.category == category && $0.pricePerUnit > 0 }
        guard !published.isEmpty else { return ([], .noReferencePrice) }
        let fresh = published.filter { $0.isFresh(at: asOf) }
        guard !fresh.isEmpty else { return ([], .staleReferencePrice) }
        var bands = [String: [PriceSeries]]()
        for series in fresh { bands[series.band, default: []].append(series) }
        return (
            bands.keys.sorted().compactMap { band in
                guard let series = bands[band] else { return nil }
                let ordered = series.sorted { left, right in
                    guard left.pricePerUnit == right.pricePerUnit else { return left.pricePerUnit < right.pricePerUnit }
                    return (left.publisher?.hash.hex ?? "") < (right.publisher?.hash.hex ?? "")
                }
                return ordered[(ordered.count - 1) / 2]
            }, nil
        )
    }

    enum Priced { case success(Int64), failure(PieceExclusion) }

    static func marketValue(_ card: IdentityCard, price: PriceSeries) -> Priced {
        let units = Double(card.weight) / 1000.0  // grams or carats
        let perUnit = Double(price.pricePerUnit)
        switch card.category {
        case .gold, .platinum:
            guard let fineness = card.fineness else { return .failure(.incompleteCard) }
            return .success(minorUnits(units * (Double(fineness) / 1000.0) * perUnit))
        case .naturalDiamond, .labGrownDiamond:
            guard let color = card.color?.description, let clarity = card.clarity?.description else {
                return .failure(.incompleteCard)
            }
            guard let band = bandGrade(price.band), let pieceColor = factor(color, colorFactors),
                let pieceClarity = factor(clarity, clarityFactors)
            else { return .failure(.gradeNotPriced) }
            let colorRatio = credited(pieceColor / band.color)
            let clarityRatio = credited(pieceClarity / band.clarity)
            let sizeRatio = credited(sizeFactor(units) / sizeFactor(band.carats))
            return .success(minorUnits(units * perUnit * colorRatio * clarityRatio * sizeRatio))
        case .coloredStone, .jadeite, .pearl, .crystal:
            return .success(minorUnits(units * perUnit))
        }
    }

    /// A band label `<carats>CT-<color>-<clarity>-…` as its grading factors.
    static func bandGrade(_ band: String) -> (carats: Double, color: Double, clarity: Double)? {
        let parts = band.split(separator: "-").map(String.init)
        guard parts.count >= 3, parts[0].hasSuffix("CT"), let carats = Double(parts[0].dropLast(2)), carats > 0,
            let color = factor(parts[1], colorFactors), let clarity = factor(parts[2], clarityFactors)
        else { return nil }
        return (carats, color, clarity)
    }

    static func factor(_ grade: String, _ table: [(grade: String, factor: Double)]) -> Double? {
        table.first { $0.grade == grade }?.factor
    }

    static func sizeFactor(_ carats: Double) -> Double {
        sizeFactors.last { carats >= $0.fromCarats }?.factor ?? sizeFactors[0].factor
    }

    /// Half of a premium, all of a discount.
    static func credited(_ ratio: Double) -> Double {
        ratio > 1.0 ? 1.0 + (ratio - 1.0) / 2.0 : ratio
    }

    /// The sample standard deviation of the last `lookbackMonths` monthly log returns; nil with fewer than 2.
    public static func monthlyVolatility(_ history: [Int64], lookbackMonths: Int) -> Double? {
        let window = Array(history.suffix(lookbackMonths + 1))
        guard window.count >= 3, window.allSatisfy({ $0 > 0 }) else { return nil }
        var returns = [Double]()
        for index in 1..<window.count {
            returns.append(log(Double(window[index]) / Double(window[index - 1])))
        }
        var sum = 0.0
        for value in returns { sum += value }
        let mean = sum / Double(returns.count)
        var squares = 0.0
        for value in returns { squares += (value - mean) * (value - mean) }
        return (squares / Double(returns.count - 1)).squareRoot()
    }

    /// A non-negative `Double` amount as whole minor units, rounded down and held within money's range.
    static func minorUnits(_ amount: Double) -> Int64 {
        guard amount.isFinite, amount > 0 else { return 0 }
        return Int64(min(amount.rounded(.down), Double(Limits.maxAmountMinorUnits)))
    }
}
