import ArgumentParser
import FacetCore
import FacetLedger
import Foundation

/// `facet verify`: an auditor checks a proof bundle offline against a genesis it trusts. Exit status 0 when the
/// bundle proves its transaction, 1 when a check fails, 64 for a usage error (bad arguments, a file that cannot be
/// read, an invalid genesis).
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check offline that a transaction was committed, from a proof bundle and a trusted genesis.")

    @Argument(help: "The proof bundle (JSON, contracts/proof-bundle.md).") var bundle: String
    @Option(help: "The genesis file the verification starts from (contracts/genesis.md).") var genesis: String
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let trusted = try CLIFiles.genesis(genesis)
        let data = try CLIFiles.read(bundle)
        let result = Result { () throws(ProofFailure) in try ProofBundle(json: data) }
            .flatMap { $0.verify(genesis: trusted) }
        switch result {
        case .success(let record):
            print(json ? CLIFiles.json(VerifyReport(record)) : record.description)
        case .failure(let failure):
            print(json ? CLIFiles.json(VerifyReport(failure)) : "proof failed: \(failure)")
            throw ExitCode.failure
        }
    }
}

/// `facet verify --json` output: the proven record, or the failed check's code and message.
struct VerifyReport: Encodable {
    var verified: Bool
    var transactionID, kind, signer, chainID, time, blockID: String?
    var height, logIndex: UInt64?
    var code, message: String?

    init(_ record: ProvenRecord) {
        verified = true
        transactionID = record.transactionID.hex
        kind = record.kind
        signer = record.signer.hex
        chainID = record.chainID.value
        height = record.height
        time = record.time.rfc3339
        blockID = record.blockID.hex
        logIndex = record.logIndex
    }

    init(_ failure: ProofFailure) {
        verified = false
        code = failure.code.rawValue
        message = failure.message
    }
}
