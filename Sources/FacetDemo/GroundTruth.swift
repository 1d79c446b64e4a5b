import FacetCore
import FacetLedger
import Foundation

/// What the ledger never sees: each firm's hidden quality and true default probability, and how each past loan
/// ended. The devnet writes it beside its data directory so the credit engine can be measured against the best
/// possible score.
public struct GroundTruth: Codable, Hashable, Sendable {
    public struct Firm: Codable, Hashable, Sendable {
        /// The member id, in hex.
        public var id: String
        public var name: String
        public var cluster: String
        /// 0 to 1000.
        public var quality: Int
        /// The chance that a loan to this firm ends in default.
        public var defaultProbability: Double
        public var misbehaving: Bool
        /// The circular-trading ring the firm belongs to (0 for the demo's one ring), absent for other firms.
        public var ring: Int?
    }

    public struct Loan: Codable, Hashable, Sendable {
        /// The loan id, in hex.
        public var id: String
        /// The borrower's member id, in hex.
        public var firm: String
        public var lender: String
        public var product: String
        public var principalMinorUnits: Int64
        public var startMonth: Int
        public var termDays: UInt32
        public var guaranteed: Bool
        public var outcome: LoanOutcome
    }

    public struct Refusal: Codable, Hashable, Sendable {
        /// The refused transaction's id, in hex.
        public var transaction: String
        public var code: String
        public var month: Int
    }

    public var seed: UInt64
    public var months: Int
    public var firms: [Firm]
    public var loans: [Loan]
    public var doublePledge: Refusal?

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else {
            preconditionFailure("strings, whole numbers and finite probabilities always encode")
        }
        return data
    }

    public static func decode(_ data: Data) throws(DemoError) -> GroundTruth {
        do {
            return try JSONDecoder().decode(GroundTruth.self, from: data)
        } catch {
            throw DemoError(.groundTruthUnreadable, "ground truth: \(error)")
        }
    }

    /// Writes the ground truth as JSON to `url`, replacing any earlier file.
    public func write(to url: URL) throws(DemoError) {
        do {
            try encoded().write(to: url, options: .atomic)
        } catch {
            throw DemoError(.groundTruthUnwritable, "ground truth: cannot write \(url.path): \(error)")
        }
    }
}

extension HistoryGenerator {
    /// The ground truth of the history generated so far.
    public var groundTruth: GroundTruth {
        let clusters = consortium.seed.clusters
        let firmTruths = firms.indices.map { index in
            let firm = firms[index]
            return GroundTruth.Firm(
                id: firm.id.hex, name: firm.member.name, cluster: clusters[firm.cluster].name, quality: firm.quality,
                defaultProbability: Double(defaultPermille[index]) / 1000, misbehaving: firm.fraudulent,
                ring: ring.contains(index) ? 0 : nil)
        }
        let loanTruths = loans.map { loan in
            GroundTruth.Loan(
                id: loan.id.hex, firm: firms[loan.firm].id.hex, lender: loan.lender.name, product: "\(loan.product)",
                principalMinorUnits: loan.principal, startMonth: loan.startMonth, termDays: loan.termDays,
                guaranteed: loan.guaranteed, outcome: loan.currentOutcome)
        }
        let refusal = doublePledge.map {
            GroundTruth.Refusal(transaction: $0.transaction.hex, code: $0.code.rawValue, month: $0.month)
        }
        return GroundTruth(
            seed: consortium.settings.seed, months: consortium.settings.months, firms: firmTruths, loans: loanTruths,
            doublePledge: refusal)
    }
}
