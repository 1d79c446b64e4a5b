import ArgumentParser
import FacetCore
import FacetLedger
import Foundation

/// Evidence: a validator reports another validator's equivocation.
extension Tx {
    struct ReportEvidence: TxCommand {
        static let configuration = CommandConfiguration(
            commandName: TransactionBody.Kind.reportEvidence.commandName,
            abstract: "Record a validator's two conflicting signed messages at one slot (validator).",
            discussion: """
                --misbehavior is the canonical encoding of the misbehavior (two conflicting votes or proposals, as \
                a validator's consensus logs them) in hex, or a file holding that hex or the raw bytes. The ledger \
                checks both signatures against the offender's validator key.
                """)

        @OptionGroup var tx: TxOptions
        @Option(help: "The misbehavior's canonical encoding: hex, or a file holding it.") var misbehavior: String

        func body(_ context: TxContext) async throws -> TransactionBody {
            .reportEvidence(.init(misbehavior: try Self.misbehavior(misbehavior)))
        }

        /// Hex on the command line, else a file of hex (surrounding whitespace ignored) or of raw bytes.
        static func misbehavior(_ text: String) throws -> Misbehavior {
            let bytes: [UInt8]
            if let decoded = Hex.decode(text) {
                bytes = decoded
            } else {
                let data = try CLIFiles.read(text)
                let trimmed = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                bytes = Hex.decode(trimmed) ?? Array(data)
            }
            return try CLIFiles.usage { () throws(CoreError) in
                try Misbehavior(canonicalBytes: bytes, limit: Limits.maxTransactionBytes)
            }
        }
    }
}
