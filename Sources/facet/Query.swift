import ArgumentParser
import FacetClient
import FacetCore
import Foundation

/// `facet query …`: read a node's API. Without `--key` a read is anonymous (status, block headers, a piece's
/// provenance card); with it the node answers what it shows that member (`contracts/privacy.md`).
struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Read the ledger through a node: status, blocks, pieces, members, transactions, proofs, a firm's records.",
        discussion: """
            Exit status: 0 found, 1 refused or unknown (the node's code is printed), 2 the node unreachable or not \
            ready, 64 a usage error.
            """,
        subcommands: [
            Status.self, Block.self, Piece.self, Member.self, Members.self, Evidence.self, TransactionStatus.self,
            Proof.self,
            Invoices.self, Payments.self, Pledges.self, Loans.self, AccessLog.self,
        ]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The chain, the node's head and its mempool.")
        @OptionGroup var query: QueryOptions

        func run() async throws {
            try await query.show(
                { (client) throws(ClientError) in try await client.status() }, lines: QueryOutput.status)
        }
    }

    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A committed block (the latest without HEIGHT).")
        @OptionGroup var query: QueryOptions
        @OptionGroup var signing: SignerOptions
        @Argument(help: "The block's height.") var height: UInt64?

        func run() async throws {
            let signer = try signing.signer()
            try await query.show(
                { (client) throws(ClientError) in
                    if let height {
                        try await client.block(height: height, signer: signer)
                    } else {
                        try await client.latestBlock(signer: signer)
                    }
                }, lines: QueryOutput.block)
        }
    }

    struct Piece: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A piece's identity card, state and history.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var signing: SignerOptions
        @Argument(help: "The piece's id.", transform: CLIInput.id) var id: PieceID

        func run() async throws {
            let signer = try signing.signer()
            try await query.show(
                { (client) throws(ClientError) in try await client.piece(id, signer: signer) },
                lines: QueryOutput.piece)
        }
    }

    struct Member: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A member's public record.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var signing: SignerOptions
        @Argument(help: "The member's id.", transform: CLIInput.id) var id: MemberID

        func run() async throws {
            let signer = try signing.required("the member registry")
            try await query.show(
                { (client) throws(ClientError) in try await client.member(id, signer: signer) },
                lines: { [QueryOutput.member($0)] })
        }
    }

    struct Members: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The member registry.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var signing: SignerOptions

        func run() async throws {
            let signer = try signing.required("the member registry")
            try await query.show(
                { (client) throws(ClientError) in try await client.members(signer: signer) },
                lines: { $0.map(QueryOutput.member) })
        }
    }

    struct Evidence: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recorded validator misbehavior, newest first (one record with ID).")
        @OptionGroup var query: QueryOptions
        @OptionGroup var signing: SignerOptions
        @OptionGroup var period: PeriodOptions
        @Argument(help: "The evidence id.", transform: CLIInput.hash("evidence id")) var id: Hash256?

        func validate() throws {
            if id != nil, period.from != nil || period.to != nil {
                throw ValidationError("--from and --to select a list; give them without ID")
            }
        }

        func run() async throws {
            let signer = try signing.required("evidence")
            if let id {
                try await query.show(
                    { (client) throws(ClientError) in try await client.evidence(id, signer: signer) },
                    lines: { [QueryOutput.evidence($0)] })
            } else {
                try await query.show(
                    { (client) throws(ClientError) in
                        try await client.evidence(from: period.from, to: period.to, signer: signer)
                    },
                    lines: { $0.map(QueryOutput.evidence) })
            }
        }
    }

    struct TransactionStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tx", abstract: "A transaction's status: pending, committed, or rejected with its code.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var signing: SignerOptions
        @Argument(help: "The transaction's id.", transform: CLIInput.id) var id: TransactionID

        func run() async throws {
            let signer = try signing.required("a transaction")
            try await query.show(
                { (client) throws(ClientError) in try await client.transactionStatus(id, signer: signer) },
                lines: { [QueryOutput.transaction($0)] })
        }
    }

    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A committed transaction's proof bundle, for `facet verify` (written as the node sent it).")
        @Option(help: "The node's API address.") var node = "http://127.0.0.1:7700"
        @OptionGroup var signing: SignerOptions
        @Option(help: "The CA certificate (PEM) an https node's certificate must chain to.") var cacert: String?
        @Argument(help: "The transaction's id.", transform: CLIInput.id) var id: TransactionID
        @Option(help: "Where to write the bundle (default: standard output).") var out: String?

        func run() async throws {
            let signer = try signing.required("a proof")
            let client = try CLIInput.parse { try NodeClient(address: node, caFile: cacert) }
            let bundle: Data
            do throws(ClientError) {
                bundle = try await client.proof(id, signer: signer)
            } catch {
                try CLIFailure.exit(error)
            }
            if let out {
                try CLIFiles.write(bundle, to: out)
                print("wrote \(out): the proof of transaction \(id.hex)")
            } else {
                print(String(decoding: bundle, as: UTF8.self))
            }
        }
    }
}
