import ArgumentParser
import FacetScorecard
import Foundation

/// `facet credit …`: scorecards trained from a lender's CSV book, applied to one, and validated on one.
/// Subcommands stay thin: reading and writing files here, the statistics in `FacetScorecard`.
struct Credit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train, apply and validate credit scorecards.",
        subcommands: [
            CreditTrain.self, CreditScore.self, CreditValidate.self, CreditReportCommand.self, CreditOffersCommand.self,
            CreditApplicantsCommand.self,
        ]
    )
}

/// Shared by the credit subcommands: progress on standard error (results keep standard output), and how a
/// `ScorecardError` ends a command (its code and reason on standard error, exit status 1).
enum CreditIO {
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("\(line)\n".utf8))
    }

    /// The book at `path`, split on the schema's delimiter (sniffed when it names none).
    static func table(_ path: String, schema: BookSchema = BookSchema()) throws -> CSVTable {
        let data = try CLIFiles.read(path)
        return try run { () throws(ScorecardError) in
            try CSVTable.parse(String(decoding: data, as: UTF8.self), delimiter: schema.delimiterByte)
        }
    }

    /// Progress lines for what reading the book skipped or read unexpectedly.
    static func report(_ book: LenderBook) {
        if book.skippedTargets > 0 {
            progress("skipped \(book.skippedTargets) rows whose target is blank or unknown")
        }
        for note in book.notes { progress("note: \(note)") }
    }

    static func model(_ path: String) throws -> ScorecardModel {
        let data = try CLIFiles.read(path)
        return try run { () throws(ScorecardError) in try ScorecardModel.load(json: Array(data)) }
    }

    static func run<T>(_ body: () throws(ScorecardError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
