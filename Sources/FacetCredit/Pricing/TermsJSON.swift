import FacetLedger
import Foundation

/// Strict reading of product and policy files: a field the format does not write is refused, so a misspelt
/// field fails loudly instead of silently taking a default.
enum TermsJSON {
    static func decode<T: Codable>(_ type: T.Type, from data: Data, code: CreditDecisionCode) throws(CreditTermsError)
        -> T
    {
        do {
            return try StrictJSON.decodeKnownFields(T.self, from: data)
        } catch {
            throw CreditTermsError(code, error.reason)
        }
    }
}
