import FacetCore
import Foundation

/// A trained scorecard: everything needed to score a row, and the training facts a validation compares against.
/// Saved as JSON and named by `hash`, the SHA-256 (hex) of its canonical JSON without the hash field.
public struct ScorecardModel: Codable, Hashable, Sendable {
    /// One feature in the model: its bins (with WoE and points), its regression coefficient on WoE, and the text a
    /// reason code shows when this feature costs the applicant points.
    public struct Feature: Codable, Hashable, Sendable {
        public var binning: FeatureBinning
        public var coefficient: Double
        public var reason: String
        /// The direction the model's specification declared (nil when trained without one, or categorical):
        /// reason codes and advice follow it.
        public var direction: RiskDirection?

        public init(binning: FeatureBinning, coefficient: Double, reason: String, direction: RiskDirection? = nil) {
            self.binning = binning
            self.coefficient = coefficient
            self.reason = reason
            self.direction = direction
        }

        public var name: String { binning.name }
        /// The most points any bin of this feature gives: reason codes measure a bin against it.
        public var bestPoints: Double { binning.bins.map(\.points).max() ?? 0 }

        /// The points bin `index` falls short of the bin a reason code measures it against: for a value in a range
        /// of a feature with a declared direction, the best range (so the reason's words, "high", "few", hold for
        /// the value itself and not against a missing or special bin); otherwise the best bin of all.
        public func shortfall(at index: Int) -> Double {
            let bins = binning.bins
            let points = bins[index].points
            guard direction != nil, bins[index].kind == .range else { return bestPoints - points }
            return (bins.filter { $0.kind == .range }.map(\.points).max() ?? points) - points
        }
    }

    /// A feature that training left out, and why.
    public struct DroppedFeature: Codable, Hashable, Sendable {
        public var name: String
        public var reason: String
        public var iv: Double
    }

    /// The training book's facts: size, the caller's date, discrimination, and the score's distribution over
    /// `scoreBandEdges` (training score deciles) for population stability.
    public struct TrainingSummary: Codable, Hashable, Sendable {
        public var rows: Int
        public var bads: Int
        public var date: String
        public var auc: Double
        public var gini: Double
        public var ks: Double
        public var scoreBandEdges: [Double]
        public var scoreBandShares: [Double]
        public var dropped: [DroppedFeature]
    }

    /// "facet.scorecard.v1".
    public var format: String
    public var target: String
    public var features: [Feature]
    /// The regression's intercept on the log-odds of bad.
    public var intercept: Double
    public var scaling: PointsScaling
    /// Points every row starts from: `offset − factor · intercept`. Bins carry `−factor · coefficient · WoE`.
    public var basePoints: Double
    public var calibration: Calibration
    public var masterScale: MasterScale
    public var binningSettings: BinningSettings
    public var training: TrainingSummary
    /// Lowercase hex SHA-256 of the canonical JSON with this field left out; nil until `sealed()`.
    public var hash: String?

    public static let formatName = "facet.scorecard.v1"

    /// Canonical JSON: sorted keys, no whitespace, slashes unescaped, the hash left out.
    public func canonicalJSON() throws(ScorecardError) -> [UInt8] {
        var copy = self
        copy.hash = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(copy))
        } catch {
            throw ScorecardError(.modelMalformed, "the model cannot be encoded as JSON: \(error)")
        }
    }

    public func contentHash() throws(ScorecardError) -> String {
        SHA256Hash.digest(try canonicalJSON()).hex
    }

    /// The model with `hash` set from its contents.
    public func sealed() throws(ScorecardError) -> ScorecardModel {
        var copy = self
        copy.hash = try contentHash()
        return copy
    }

    /// Pretty JSON for the file (sorted keys, so it diffs well); the hash is computed on the canonical form, not on
    /// these bytes.
    public func fileJSON() throws(ScorecardError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(try sealed()))
        } catch let error as ScorecardError {
            throw error
        } catch {
            throw ScorecardError(.modelMalformed, "the model cannot be encoded as JSON: \(error)")
        }
    }

    /// Decodes a model file, checks its shape, and verifies its hash.
    public static func load(json: [UInt8]) throws(ScorecardError) -> ScorecardModel {
        let model: ScorecardModel
        do {
            model = try JSONDecoder().decode(ScorecardModel.self, from: Data(json))
        } catch {
            throw ScorecardError(.modelMalformed, "not a scorecard model: \(error)")
        }
        try model.checkShape()
        guard let stated = model.hash else { throw ScorecardError(.modelMalformed, "the model has no hash") }
        let actual = try model.contentHash()
        guard stated == actual else {
            throw ScorecardError(
                .modelHashMismatch, "the model states hash \(stated) but its contents hash to \(actual)")
        }
        return model
    }

    func checkShape() throws(ScorecardError) {
        guard format == Self.formatName else {
            throw ScorecardError(.modelMalformed, "format '\(format)' is not \(Self.formatName)")
        }
        guard !features.isEmpty else { throw ScorecardError(.modelMalformed, "the model has no features") }
        guard !masterScale.grades.isEmpty else {
            throw ScorecardError(.modelMalformed, "the master scale has no grades")
        }
        guard scaling.pdo > 0, scaling.baseOdds > 0 else {
            throw ScorecardError(.modelMalformed, "scaling needs positive odds and points to double them")
        }
        var names = Set<String>()
        for feature in features {
            guard names.insert(feature.name).inserted else {
                throw ScorecardError(.modelMalformed, "feature \(feature.name) appears twice")
            }
            let kinds = feature.binning.bins.map(\.kind)
            guard kinds.filter({ $0 == .missing }).count == 1 else {
                throw ScorecardError(.modelMalformed, "feature \(feature.name) needs exactly one missing bin")
            }
            switch feature.binning.kind {
            case .numeric:
                guard kinds.contains(.range), !kinds.contains(.categories), !kinds.contains(.other) else {
                    throw ScorecardError(.modelMalformed, "numeric feature \(feature.name) needs range bins only")
                }
                let uppers = feature.binning.bins.filter { $0.kind == .range }.map(\.upper)
                guard uppers.last == .some(nil), uppers.dropLast().allSatisfy({ $0 != nil }) else {
                    throw ScorecardError(.modelMalformed, "feature \(feature.name): only the last range is unbounded")
                }
            case .categorical:
                guard kinds.filter({ $0 == .other }).count == 1, !kinds.contains(.range) else {
                    throw ScorecardError(.modelMalformed, "categorical feature \(feature.name) needs one other bin")
                }
            }
        }
    }
}
