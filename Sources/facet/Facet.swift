import ArgumentParser
import FacetFiles

@main
struct Facet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facet",
        abstract: "Facet: a permissioned ledger of signed trade attestations and a credit engine that reads it.",
        subcommands: [
            Devnet.self, Keys.self, GenesisCommand.self, NodeCommand.self, Tx.self, Query.self, Verify.self, Bench.self,
            Sim.self, Credit.self, DashboardCommand.self,
        ]
    )

    /// Runs the command; a `FileError` from the libraries (a key or genesis file that cannot be read) is a usage
    /// error, exit status 64, as the commands' own checks are.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as FileError {
            exit(withError: ValidationError(error.message))
        } catch {
            exit(withError: error)
        }
    }
}
