import ArgumentParser

struct Devnet: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a whole local consortium: validators, demo members, history and credit decisions."
    )

    func run() throws {
        print(
            """
            facet devnet is not available yet.
            The ledger core (signed transactions, contracts, the RFC 9162 log) is built; the local network needs
            storage, the node and consensus first. Run `ops/test` to exercise what exists.
            """)
        throw ExitCode(1)
    }
}
