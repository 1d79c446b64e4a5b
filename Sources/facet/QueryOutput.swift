import FacetClient
import FacetCore

/// `facet query`'s text for people: one record per line where it fits, times in RFC 3339, amounts at their
/// currency's precision. Scripts use `--json`, which prints the node's fields unchanged.
enum QueryOutput {
    static func status(_ status: NodeAPI.Status) -> [String] {
        [
            "chain:      \(status.chainID)",
            "height:     \(status.height)" + (status.time.map { " at \(time($0))" } ?? ""),
            "block:      \(status.blockID ?? "-")",
            "state root: \(status.stateRoot)",
            "log size:   \(status.logSize.map(String.init) ?? "-")",
            "mempool:    \(status.mempool.count) transactions, \(status.mempool.bytes) bytes",
            "peers:      \(status.peers.isEmpty ? "none" : status.peers.joined(separator: ", "))",
        ]
    }

    static func block(_ block: NodeAPI.Block) -> [String] {
        var lines = ["block \(block.id)"]
        if case .object(let fields) = block.header {
            lines += fields.keys.sorted().map { "  \($0): \(fields[$0]?.description ?? "")" }
        }
        if case .object(let fields) = block.certificate, let signatures = fields["signatures"] {
            if case .array(let list) = signatures { lines.append("  certificate: \(list.count) signatures") }
        }
        lines.append("  \(block.transactions.count) transactions")
        lines += block.transactions.map { "    " + transaction($0) }
        return lines
    }

    static func transaction(_ status: NodeAPI.TransactionStatus) -> String {
        var parts = [status.id, status.status.rawValue]
        if let kind = status.kind { parts.append(kind) }
        if let height = status.height { parts.append("height \(height)" + (status.index.map { " #\($0)" } ?? "")) }
        if let code = status.code { parts.append("\(code): \(status.message ?? "")") }
        return parts.joined(separator: "  ")
    }

    static func piece(_ piece: NodeAPI.PieceCard) -> [String] {
        var lines = ["piece \(piece.id)" + (piece.isProvenanceOnly ? " (provenance card)" : "")]
        if let owner = piece.owner { lines.append("  owner:     \(owner)") }
        lines += [
            "  status:    \(piece.status ?? "-")" + (piece.certified == true ? ", certified" : ""),
            "  card:      \(piece.card)",
        ]
        if let certificate = piece.certificate, certificate != .null { lines.append("  certificate: \(certificate)") }
        if let custody = piece.custody, custody != .null { lines.append("  custody:   \(custody)") }
        if let loan = piece.pledgedTo { lines.append("  pledged to loan \(loan)") }
        if let history = piece.history {
            lines.append("  history:")
            lines += history.map { "    " + self.history($0) }
        }
        if let steps = piece.steps {
            lines.append("  provenance:")
            lines += steps.map { step in
                let who = step.attestorName ?? step.attestor ?? "its owner"
                return "    \(Timestamp(uncheckedMillis: step.time).rfc3339)  \(step.kind)  by \(who)  (block \(step.height))"
            }
        }
        return lines
    }

    static func member(_ member: NodeAPI.Member) -> String {
        "\(member.id)  \(member.status.rawValue)  \(member.roles.joined(separator: ","))  \(member.name)"
    }

    static func evidence(_ evidence: NodeAPI.Evidence) -> String {
        "\(evidence.id)  \(evidence.kind.rawValue)  by \(evidence.offender)  at h=\(evidence.height) r=\(evidence.round) "
            + "\(evidence.step)  reported by \(evidence.reporter)  height \(evidence.recordedHeight) "
            + time(evidence.recordedAt)
    }

    static func history(_ entry: NodeAPI.HistoryEntry) -> String {
        let outcome = entry.accepted ? "accepted" : "refused"
        return "height \(entry.height)  \(time(entry.time))  \(entry.kind)  by \(entry.signer)  \(outcome)  "
            + entry.transaction
    }

    static func invoice(_ invoice: NodeAPI.Invoice) -> String {
        var parts = [
            invoice.id, "\(invoice.seller) → \(invoice.buyer ?? "consumer")", "\(invoice.amount)",
            "paid \(invoice.paid)", invoice.channel,
        ]
        if let due = invoice.dueAt { parts.append("due \(time(due))") }
        parts.append(
            invoice.cancelled == true ? "cancelled" : invoice.confirmedAt != nil ? "confirmed" : "unconfirmed")
        if let loan = invoice.pledgedTo { parts.append("pledged to \(loan)") }
        return parts.joined(separator: "  ")
    }

    static func pledge(_ pledge: NodeAPI.Pledge) -> String {
        "\(pledge.collateral.kind) \(pledge.collateral.id) → loan \(pledge.loan)"
    }

    static func loan(_ loan: NodeAPI.Loan) -> String {
        var parts = [
            loan.id, loan.status.rawValue, "lender \(loan.lender)", "borrower \(loan.borrower)",
            "principal \(loan.principal)", "outstanding \(loan.outstanding)",
        ]
        if let rate = loan.rateBasisPoints { parts.append("\(rate) bp") }
        if let due = loan.dueAt { parts.append("due \(time(due))") }
        return parts.joined(separator: "  ")
    }

    /// RFC 3339 UTC, or the raw milliseconds when they are outside the ledger's range.
    static func time(_ millis: Int64) -> String {
        (try? Timestamp(millis: millis))?.rfc3339 ?? "\(millis)ms"
    }
}
