import ArgumentParser
import FacetFiles
import FacetLedger
import Foundation

/// File handling shared by the subcommands (`LocalFiles` of FacetFiles): a file that cannot be read or written,
/// or a genesis that does not parse, is a usage error (exit status 64) reported on standard error.
enum CLIFiles {
    static func read(_ path: String) throws -> Data { try usage { () throws(FileError) in try LocalFiles.read(path) } }

    static func write(_ data: Data, to path: String) throws {
        try usage { () throws(FileError) in try LocalFiles.write(data, to: path) }
    }

    static func genesis(_ path: String) throws -> Genesis {
        try usage { () throws(FileError) in try LocalFiles.genesis(path) }
    }

    /// Runs `body`, turning any error into a usage error (exit status 64) with the error's text (a `FileError`'s
    /// message alone: it names the file).
    static func usage<T, E: Error>(_ body: () throws(E) -> T) throws -> T {
        do {
            return try body()
        } catch let error as ValidationError {
            throw error
        } catch let error as FileError {
            throw ValidationError(error.message)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    static func json<T: Encodable>(_ value: T) -> String { LocalFiles.json(value) }
}
