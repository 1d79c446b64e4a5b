import ArgumentParser
import FacetClient
import FacetCore

/// A firm's private records, read with a signed request.
extension Query {
    struct Invoices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invoices a member issued or received.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var reader: PrivateQueryOptions
        @OptionGroup var period: PeriodOptions

        func run() async throws {
            let (signer, member) = try reader.reader()
            try await query.show(
                { (client) throws(ClientError) in
                    try await client.invoices(of: member, from: period.from, to: period.to, signer: signer)
                }, lines: { $0.map(QueryOutput.invoice) })
        }
    }

    struct Payments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Payments on a member's invoices.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var reader: PrivateQueryOptions
        @OptionGroup var period: PeriodOptions

        func run() async throws {
            let (signer, member) = try reader.reader()
            try await query.show(
                { (client) throws(ClientError) in
                    try await client.payments(of: member, from: period.from, to: period.to, signer: signer)
                }, lines: { $0.map(QueryOutput.history) })
        }
    }

    struct Pledges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Collateral a member pledged, with its loan.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var reader: PrivateQueryOptions

        func run() async throws {
            let (signer, member) = try reader.reader()
            try await query.show(
                { (client) throws(ClientError) in try await client.pledges(of: member, signer: signer) },
                lines: { $0.map(QueryOutput.pledge) })
        }
    }

    struct Loans: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A member's loans, as borrower or lender.")
        @OptionGroup var query: QueryOptions
        @OptionGroup var reader: PrivateQueryOptions

        func run() async throws {
            let (signer, member) = try reader.reader()
            try await query.show(
                { (client) throws(ClientError) in try await client.loans(of: member, signer: signer) },
                lines: { $0.map(QueryOutput.loan) })
        }
    }
}
