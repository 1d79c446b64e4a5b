/// Which way a feature must push risk, as a model's specification declares it from business sense rather than
/// from what one training book happens to show.
public enum RiskDirection: String, Codable, Hashable, Sendable {
    /// More of it, more risk (late payments, buyer concentration, leverage).
    case higherIsRiskier = "higher_is_riskier"
    /// More of it, less risk (verified revenue, certified stock, tenure).
    case higherIsSafer = "higher_is_safer"

    /// The binner's name for the bad rate's trend this direction requires ("ascending" when higher is riskier).
    public var badRateTrend: String {
        switch self {
        case .higherIsRiskier: "ascending"
        case .higherIsSafer: "descending"
        }
    }

    /// Plain words for a report: "higher is riskier".
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}

/// A model's specification: the features it may use and, for each numeric one, the direction it must push risk.
/// Training drops every other feature and every feature whose learned direction contradicts its declaration, each
/// with its reason; the trained model carries each kept feature's declared direction, which reason codes and advice
/// follow.
public struct ModelSpecification: Codable, Hashable, Sendable {
    public struct Feature: Codable, Hashable, Sendable {
        public var name: String
        /// Nil for a categorical feature, whose categories have no order.
        public var direction: RiskDirection?

        public init(name: String, direction: RiskDirection?) {
            self.name = name
            self.direction = direction
        }
    }

    /// The eligible features, in the order they are declared.
    public var features: [Feature]

    public init(features: [Feature]) {
        self.features = features
    }

    public func isEligible(_ name: String) -> Bool {
        features.contains { $0.name == name }
    }

    public func direction(of name: String) -> RiskDirection? {
        features.first { $0.name == name }?.direction
    }

    /// Why training must leave `binning` out, or nil when it may keep it: not eligible, or a numeric feature whose
    /// bad rate trends against its declared direction.
    public func refusal(_ binning: FeatureBinning) -> String? {
        guard isEligible(binning.name) else { return "not eligible in the model's specification" }
        guard binning.kind == .numeric, let declared = direction(of: binning.name) else { return nil }
        guard binning.direction != "flat", binning.direction != declared.badRateTrend else { return nil }
        let learned = binning.direction == "ascending" ? RiskDirection.higherIsRiskier : .higherIsSafer
        return "learned direction (\(learned.words)) contradicts the declared one (\(declared.words))"
    }
}
