import FacetLedger
import Foundation

/// Reading and writing the local files the commands, the devnet and the benchmarks share; each failure is a
/// `FileError` naming the file.
public enum LocalFiles {
    public static func read(_ path: String) throws(FileError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(.unreadable, "cannot read \(path)")
        }
        return data
    }

    public static func write(_ data: Data, to path: String, attributes: [FileAttributeKey: Any]? = nil)
        throws(FileError)
    {
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: attributes) else {
            throw FileError(.unwritable, "cannot write \(path)")
        }
    }

    /// The genesis at `path`, parsed and validated.
    public static func genesis(_ path: String) throws(FileError) -> Genesis {
        let data = try read(path)
        do {
            let genesis = try Genesis(json: data)
            try genesis.validate()
            return genesis
        } catch {
            throw FileError(.invalid, "\(path): \(error)")
        }
    }

    /// `value` as pretty, key-sorted JSON (the reports' format).
    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { preconditionFailure("a report always encodes") }
        return String(decoding: data, as: UTF8.self)
    }
}
