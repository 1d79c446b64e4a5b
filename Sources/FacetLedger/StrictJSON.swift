import Foundation

/// The JSON conventions of Facet's files (genesis, proof bundles): one deterministic output form (pretty, sorted
/// keys) and a strict reader that refuses unknown fields, so a misspelt field fails loudly instead of silently
/// taking a default, and that reports a decoding error as a path a person can find in the file.
public enum StrictJSON {
    struct AnyKey: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) {
            self.stringValue = stringValue
            self.intValue = nil
        }
        init(intValue: Int) {
            self.stringValue = "\(intValue)"
            self.intValue = intValue
        }
    }

    /// Throws when the object being decoded holds a key outside `allowed`.
    static func rejectUnknownKeys(_ decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath + [key], debugDescription: "unknown field"))
        }
    }

    /// Why a file did not decode, as a path into the file and a reason.
    public struct Problem: Error {
        public let reason: String
    }

    /// Decodes `T`, then refuses any key of the file (at any depth) that does not survive a round trip through
    /// `T`: the type's own coding keys are the format, so a misspelt or unknown field is named with its path. A
    /// `null` stands for an absent optional. For file formats whose types use synthesized coding (seed files,
    /// product and policy definitions), where a hand-written `rejectUnknownKeys` per type would repeat itself.
    public static func decodeKnownFields<T: Codable>(_ type: T.Type, from data: Data) throws(Problem) -> T {
        let value = try decode(T.self, from: data)
        guard let raw = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let encoded = try? JSONEncoder().encode(value),
            let known = try? JSONSerialization.jsonObject(with: encoded, options: [.fragmentsAllowed])
        else { throw Problem(reason: "not valid JSON") }
        if let path = unknownKey(raw, known, path: "") { throw Problem(reason: "unknown field \(path)") }
        return value
    }

    /// The path of the first key (in sorted order) of `raw` that `known` lacks.
    private static func unknownKey(_ raw: Any, _ known: Any, path: String) -> String? {
        if let object = raw as? [String: Any] {
            let knownObject = known as? [String: Any] ?? [:]
            for key in object.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let value = object[key], !(value is NSNull) else { continue }
                guard let knownValue = knownObject[key] else { return child }
                if let found = unknownKey(value, knownValue, path: child) { return found }
            }
        } else if let array = raw as? [Any], let knownArray = known as? [Any] {
            for (index, element) in zip(array.indices, array) where index < knownArray.count {
                if let found = unknownKey(element, knownArray[index], path: "\(path)[\(index)]") { return found }
            }
        }
        return nil
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(Problem) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem(reason: describe(error))
        } catch {
            throw Problem(reason: "not valid JSON")
        }
    }

    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("file types of strings, integers and arrays always encode")
        }
        return data + Data("\n".utf8)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.dropFirst(text.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "not valid JSON"
        }
    }
}
