import FacetLedger
import Foundation

/// Strict reading of the seed files: a field the format does not know is refused (a misspelt field must not
/// silently take a default), and a decoding error is reported as a path into the file.
enum DemoJSON {
    static func decode<T: Codable>(_ type: T.Type, from data: Data, file: String) throws(DemoError) -> T {
        do {
            return try StrictJSON.decodeKnownFields(T.self, from: data)
        } catch {
            throw DemoError(.malformed, "\(file): \(error.reason)")
        }
    }
}
