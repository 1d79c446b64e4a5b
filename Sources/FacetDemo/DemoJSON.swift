import Foundation

/// Strict reading of the seed files: a field the format does not know is refused (a misspelt field must not
/// silently take a default), and a decoding error is reported as a path into the file.
enum DemoJSON {
    static func decode<T: Codable>(_ type: T.Type, from data: Data, file: String) throws(DemoError) -> T {
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw DemoError(.malformed, "\(file): \(describe(error))")
        } catch {
            throw DemoError(.malformed, "\(file): not valid JSON")
        }
        // Every key of the file must survive a round trip through the type: one that does not is unknown.
        guard let input = try? JSONSerialization.jsonObject(with: data),
            let known = try? JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
        else { throw DemoError(.malformed, "\(file): not valid JSON") }
        if let path = unknownKey(input, known, path: "") {
            throw DemoError(.malformed, "\(file): unknown field \(path)")
        }
        return value
    }

    private static func unknownKey(_ input: Any, _ known: Any, path: String) -> String? {
        if let object = input as? [String: Any], let knownObject = known as? [String: Any] {
            for key in object.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let knownChild = knownObject[key] else { return child }
                if let found = unknownKey(object[key] as Any, knownChild, path: child) { return found }
            }
        } else if let array = input as? [Any], let knownArray = known as? [Any] {
            for (index, element) in zip(array.indices, array) where index < knownArray.count {
                if let found = unknownKey(element, knownArray[index], path: "\(path)[\(index)]") { return found }
            }
        }
        return nil
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
