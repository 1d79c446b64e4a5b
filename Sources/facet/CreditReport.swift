import ArgumentParser
import FacetClient
import FacetCore
import FacetFiles
import FacetLedger
import Foundation

/// Who asks for credit and about whom: the signer's key file and the firm (by default the key's member).
struct CreditReaderOptions: ParsableArguments {
    @Argument(help: "The firm (its id); by default the --as key's member.", transform: CLIInput.id)
    var firm: MemberID?
    @Option(name: .customLong("as"), help: "The key file that signs: the firm itself, or a lender with its consent.")
    var key: String
    @Option(help: "The tenor asked for, in days (default: the longest each product and policy allow).")
    var tenor: UInt32?

    func reader() throws -> (signer: MemberKey, firm: MemberID) {
        let signer = try KeyFile.member(key)
        return (signer, firm ?? signer.member)
    }
}

/// `facet credit report FIRM --as KEY`: the firm's score, reasons, features with their records, warnings, and each
/// lender's decisions and advice, from the node's credit index at its height.
struct CreditReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A firm's credit report: score, reasons, evidence, warnings, decisions and how to raise its limits.")
    @OptionGroup var query: QueryOptions
    @OptionGroup var reader: CreditReaderOptions

    func run() async throws {
        let (signer, firm) = try reader.reader()
        try await query.show(
            { (client) throws(ClientError) in
                try await client.creditReport(of: firm, signer: signer, tenorDays: reader.tenor)
            }, lines: CreditReportText.lines)
    }
}

/// `facet credit offers FIRM --as LENDER_KEY [--submit]`: the offers the lender's policy makes the firm, signed
/// and submitted as `make_offer` transactions with `--submit`.
struct CreditOffersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "The offers a lender's policy makes a firm; --submit signs and puts them on the ledger.")
    @OptionGroup var query: QueryOptions
    @OptionGroup var reader: CreditReaderOptions
    @Flag(help: "Sign each offer with the --as key and submit it; waits for its block.") var submit = false
    @Option(help: "Seconds to wait for each offer's block.") var timeout: Int = 30

    func run() async throws {
        let (signer, firm) = try reader.reader()
        let client = try CLIInput.parse { try NodeClient(address: query.node, caFile: query.cacert) }
        let offers: NodeAPI.CreditOffers
        do {
            offers = try await client.creditOffers(of: firm, signer: signer, tenorDays: reader.tenor)
        } catch {
            try CLIFailure.exit(error)
        }
        guard submit else {
            print(query.json ? CLIFiles.json(offers) : CreditReportText.lines(offers).joined(separator: "\n"))
            return
        }
        let status: NodeAPI.Status
        do {
            status = try await client.status()
        } catch {
            try CLIFailure.exit(error)
        }
        let chainID = try CLIInput.label("chain id")(status.chainID)
        let context = TxContext(signer: signer, chainID: chainID, height: status.height, client: client)
        var reports = [TxReport]()
        var nonce = UInt64(NodeClient.systemMillis())
        for terms in offers.offers {
            let body = try CreditReportText.makeOffer(terms)
            let transaction = try TxRunner.sign(.makeOffer(body), context: context, nonce: nonce)
            nonce += 1
            do throws(ClientError) {
                _ = try await client.submit(transaction)
                let final = try await client.waitForCommit(
                    transaction.id, signer: signer, timeout: .seconds(timeout), progress: nil)
                reports.append(TxReport(status: final, kind: "make_offer"))
            } catch {
                reports.append(TxReport(failure: error, id: transaction.id.hex, kind: "make_offer"))
            }
        }
        if query.json {
            print(CLIFiles.json(reports))
        } else {
            print(CreditReportText.lines(offers).joined(separator: "\n"))
            for (terms, report) in zip(offers.offers, reports) { print("\(terms.product): \(report.line)") }
        }
        if let failed = reports.first(where: { $0.exitCode != 0 }) { throw ExitCode(failed.exitCode) }
    }
}

/// The text forms of the credit answers, and the `make_offer` body an offer's terms make.
enum CreditReportText {
    static func lines(_ report: NodeAPI.CreditReport) -> [String] {
        var lines = [
            "\(report.name) (\(report.firm)) at height \(report.height), \(QueryOutput.time(report.asOf))",
            "model \(report.model.name) \(report.model.hash)",
            "score \(number(report.score, 1))  PD \(percent(report.pd))  grade \(report.grade)",
            "verified revenue, 12 months \(report.revenue12m)  monthly cash flow \(report.monthlyCashFlow)",
        ]
        if !report.reasons.isEmpty { lines.append("reasons:") }
        for (position, reason) in report.reasons.enumerated() {
            lines.append(
                "  \(position + 1). \(reason.text) (\(reason.feature), \(number(reason.pointsBelowBest, 1)) points)")
        }
        lines.append("features (hash \(report.featuresHash)):")
        for feature in report.features {
            let value = feature.text ?? number(feature.value, 4)
            let records = feature.evidence.isEmpty ? "" : "  [\(feature.evidence.count) records]"
            lines.append("  \(feature.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(value)\(records)")
        }
        for warning in report.warnings { lines.append("warning \(warning.code): \(warning.message)") }
        for lender in report.lenders {
            lines.append("\(lender.name) (policy \(lender.policy)):")
            lines += lender.decisions.map { "  " + decision($0) }
            if !lender.advice.isEmpty { lines.append("  to raise the limit:") }
            for advice in lender.advice {
                var effects = advice.grade.map { ["grade \($0)"] } ?? []
                effects += advice.limits.map { "\($0.product) \($0.before) → \($0.after)" }
                lines.append("    - \(advice.text)" + (effects.isEmpty ? "" : " (\(effects.joined(separator: "; ")))"))
            }
        }
        return lines
    }

    static func lines(_ offers: NodeAPI.CreditOffers) -> [String] {
        var lines = [
            "firm \(offers.firm) at height \(offers.height): score \(number(offers.score, 1)) PD \(percent(offers.pd)) "
                + "grade \(offers.grade)"
        ]
        lines += offers.decisions.map(decision)
        if offers.offers.isEmpty { lines.append("(no offer)") }
        return lines
    }

    static func decision(_ decision: NodeAPI.CreditDecision) -> String {
        let name = decision.product.padding(toLength: 18, withPad: " ", startingAt: 0)
        guard let limit = decision.limit, let rate = decision.rate, decision.outcome == "offer" else {
            let why = decision.declines.map { "\($0.code) \($0.message)" }.joined(separator: "; ")
            return "\(name) decline  \(why)"
        }
        // The firm's own report carries the lender's part as one sum; a lender's carries its parts.
        let lenderParts =
            rate.fundingCost == nil && rate.margin == nil
            ? [("lender's cost and margin", rate.lenderCostAndMargin)]
            : [("funding", rate.fundingCost), ("operating", rate.operatingCost)]
        let riskParts = [("expected loss", rate.expectedLoss), ("capital", rate.capitalCharge)]
        let marginPart = rate.fundingCost == nil && rate.margin == nil ? [] : [("margin", rate.margin)]
        let parts = (lenderParts + riskParts + marginPart).map { "\($0) \(percent($1))" }.joined(separator: " + ")
        return "\(name) offer    \(limit.amount) (bound by \(limit.binding)) at \(Double(rate.basisPoints) / 100)% "
            + "= \(parts), \(decision.tenorDays ?? 0) days"
    }

    /// The `make_offer` body of an offer's terms, exactly as the node proposed them.
    static func makeOffer(_ terms: NodeAPI.CreditOffers.Terms) throws -> MakeOffer {
        guard let principal = terms.principal.money,
            let product = Product.allCases.first(where: {
                $0.inputName.replacingOccurrences(of: "-", with: "_") == terms.product
            }),
            let modelHash = Hash256(hex: terms.modelHash), let featuresHash = Hash256(hex: terms.featuresHash),
            let firm = MemberID(hex: terms.firm)
        else { throw ValidationError("the node proposed an offer this command cannot read") }
        let collateral = try terms.collateral.map { try CLIInput.collateral("\($0.kind):\($0.id)") }
        var guarantee: OfferGuarantee?
        if let terms = terms.guarantee {
            guard let guarantor = MemberID(hex: terms.guarantor), let fee = terms.fee.money else {
                throw ValidationError("the node proposed a guarantee this command cannot read")
            }
            guarantee = OfferGuarantee(guarantor: guarantor, coverageBasisPoints: terms.coverageBasisPoints, fee: fee)
        }
        return MakeOffer(
            firm: firm, product: product, principal: principal, rateBasisPoints: terms.rateBasisPoints,
            termDays: terms.termDays, modelHash: modelHash, ledgerHeight: terms.ledgerHeight,
            featuresHash: featuresHash,
            expiresAt: try CLIInput.parse { () throws(ClientError) in
                do { return try Timestamp(millis: terms.expiresAt) } catch {
                    throw ClientError(.badResponse, "the offer's expiry is out of range")
                }
            }, collateral: collateral, guarantee: guarantee)
    }

    static func number(_ value: Double?, _ digits: Int) -> String {
        guard let value else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.2f%%", value * 100)
    }
}
