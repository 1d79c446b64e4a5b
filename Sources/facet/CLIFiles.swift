import ArgumentParser
import FacetLedger
import Foundation

/// File handling shared by the subcommands: a file that cannot be read or written, or a genesis that does not
/// parse, is a usage error (exit status 64) reported on standard error.
enum CLIFiles {
    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return data
    }

    static func write(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw ValidationError("cannot write \(path)")
        }
    }

    static func genesis(_ path: String) throws -> Genesis {
        do {
            let genesis = try Genesis(json: read(path))
            try genesis.validate()
            return genesis
        } catch let error as LedgerError {
            throw ValidationError("\(path): \(error)")
        }
    }

    /// Runs `body`, turning any error into a usage error (exit status 64) with the error's text.
    static func usage<T, E: Error>(_ body: () throws(E) -> T) throws -> T {
        do {
            return try body()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { preconditionFailure("a report always encodes") }
        return String(decoding: data, as: UTF8.self)
    }
}
