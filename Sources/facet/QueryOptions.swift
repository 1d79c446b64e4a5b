import ArgumentParser
import FacetClient
import FacetCore
import FacetFiles
import Foundation

/// The options every `facet query` subcommand shares, and the one way each fetches and prints.
struct QueryOptions: ParsableArguments {
    @Option(help: "The node's API address.") var node = "http://127.0.0.1:7700"
    @Option(help: "The CA certificate (PEM) an https node's certificate must chain to.") var cacert: String?
    @Flag(help: "Print the node's answer as JSON (for scripts).") var json = false

    /// Fetches with a client of `--node` and prints the result: JSON with `--json`, else `lines`. A `ClientError`
    /// ends the command through `CLIFailure` (1 refused or unknown, 2 unreachable, 64 bad input).
    func show<T: Encodable>(
        _ fetch: (NodeClient) async throws(ClientError) -> T, lines: (T) -> [String]
    ) async throws {
        let client = try CLIInput.parse { try NodeClient(address: node, caFile: cacert) }
        do throws(ClientError) {
            let value = try await fetch(client)
            let text = lines(value)
            print(json ? CLIFiles.json(value) : text.isEmpty ? "(none)" : text.joined(separator: "\n"))
        } catch {
            try CLIFailure.exit(error)
        }
    }
}

/// The reader of a firm's private data (`--key`) and whose data it reads (`MEMBER`, by default the key's member).
struct PrivateQueryOptions: ParsableArguments {
    @Argument(help: "The member whose records to read (default: the --key file's member).", transform: CLIInput.id)
    var member: MemberID?
    @Option(help: "The key file that signs the request: the member, a counterparty, or a lender with consent.")
    var key: String

    func reader() throws -> (signer: MemberKey, member: MemberID) {
        let signer = try KeyFile.member(key)
        return (signer, member ?? signer.member)
    }
}

/// The key that signs a read of the chain (`--key`): without it the read is anonymous and the node answers what it
/// shows anyone (headers without transactions, a piece's provenance card); with it, what it shows that member.
struct SignerOptions: ParsableArguments {
    @Option(help: "The key file that signs the read (anonymous without it).") var key: String?

    func signer() throws -> MemberKey? { try key.map(KeyFile.member) }

    func required(_ what: String) throws -> MemberKey {
        guard let key else { throw ValidationError("\(what) is read by members: give --key") }
        return try KeyFile.member(key)
    }
}

/// From/to bounds of a private history (`invoices`, `payments`), RFC 3339 UTC.
struct PeriodOptions: ParsableArguments {
    @Option(help: "From this time, inclusive (RFC 3339 UTC).", transform: CLIInput.time) var from: Timestamp?
    @Option(help: "To this time, exclusive (RFC 3339 UTC).", transform: CLIInput.time) var to: Timestamp?
}
