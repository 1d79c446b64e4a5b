/// Why a scorecard could not be trained, loaded or applied: a stable code (listed in `contracts/errors.md`) and a
/// plain reason that names the row, column or field.
public struct ScorecardError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// The CSV is not RFC 4180: an unterminated quote, text after a closing quote, a row with another field count.
        case csvMalformed = "scorecard.csv_malformed"
        /// The target column does not exist, or a row leaves it empty.
        case targetMissing = "scorecard.target_missing"
        /// The target does not take exactly two values, `--bad` names neither, or the rule cannot tell bad from good.
        case targetNotBinary = "scorecard.target_not_binary"
        /// No usable feature column remains, or none passes selection.
        case noFeatures = "scorecard.no_features"
        /// A model file is not the JSON `ScorecardModel` writes, or its values are inconsistent.
        case modelMalformed = "scorecard.model_malformed"
        /// A model's content hash does not match its contents.
        case modelHashMismatch = "scorecard.model_hash_mismatch"
        /// Training or validation data too small: no rows, or no goods or no bads.
        case insufficientData = "scorecard.insufficient_data"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
