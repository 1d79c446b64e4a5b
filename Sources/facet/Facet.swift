import ArgumentParser

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
}
