import ArgumentParser
import FacetClient
import FacetFiles
import Foundation

/// `facet credit applicants --as LENDER_KEY`: the firms that consented to the lender, each with its grade and best
/// limit under the lender's policy, and how many the policy offers credit: what a lender checks its policy against.
struct CreditApplicantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "applicants",
        abstract: "A lender's applicants: grade and best limit each, and the share its policy offers credit.")
    @OptionGroup var query: QueryOptions
    @Option(name: .customLong("as"), help: "The lender's key file.") var key: String

    func run() async throws {
        let signer = try KeyFile.member(key)
        try await query.show(
            { (client) throws(ClientError) in try await client.creditApplicants(signer: signer) },
            lines: Self.lines)
    }

    static func lines(_ answer: NodeAPI.CreditApplicants) -> [String] {
        let offered = answer.applicants.filter { (Int64($0.bestLimit.minorUnits) ?? 0) > 0 }
        var lines = ["\(answer.lender) at height \(answer.height), model \(answer.model)"]
        for applicant in answer.applicants {
            let product = applicant.bestProduct.map { " (\($0))" } ?? ""
            lines.append(
                "  \(applicant.firm.prefix(16))…  grade \(applicant.grade)  best limit \(applicant.bestLimit)\(product)"
                    + "  \(applicant.name)")
        }
        let share = answer.applicants.isEmpty ? 0 : 100 * Double(offered.count) / Double(answer.applicants.count)
        let percent = String(format: "%.0f", share)
        lines.append("offered credit: \(offered.count) of \(answer.applicants.count) applicants (\(percent) %)")
        return lines
    }
}
