import FacetCore

/// Why a scorecard could not be trained, loaded or applied: a stable code (listed in `contracts/errors.md`) and a
/// plain reason that names the row, column or field.
public typealias ScorecardError = FacetError<ScorecardErrorCode>

/// The codes of `ScorecardError`.
public enum ScorecardErrorCode: String, ErrorCode, CaseIterable {
    /// The CSV is not RFC 4180: an unterminated quote, text after a closing quote, a row with another field count.
    case csvMalformed = "scorecard.csv_malformed"
    /// The target column does not exist, or every row leaves it empty or unknown.
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
    /// A column the model or the schema names is not in the book (scoring: give `--absent` or `--column`).
    case columnMissing = "scorecard.column_missing"
    /// A column declared numeric holds a value that is neither a number nor a declared missing token.
    case valueNotNumber = "scorecard.value_not_number"
    /// A schema file is not a JSON object of the known keys, or a column is declared both numeric and
    /// categorical, or a declaration contradicts itself.
    case schemaMalformed = "scorecard.schema_malformed"
}
