import FacetAPI
import FacetCore
import FacetHTML
import FacetLedger
import FacetNode
import FacetStore
import FacetWire

/// A piece's identity card: to those the access policy shows the full card, what it is, where it stands now (owner,
/// custodian, invoice, pledge, status), and every step it went through, oldest first, each with its time, the member who signed it and
/// a link to the transaction's Merkle proof. The same reads as `GET /v1/pieces/{id}`: the piece from the state and
/// its history from the index, so the page and the JSON never disagree. Anyone else sees its provenance card: the
/// card, the custodian and the provenance steps with who attested each, never the owner, an invoice or a pledge.
enum PiecePage {
    /// One transaction that named the piece.
    struct Step {
        var entry: HistoryEntry
        var signer: MemberID
        /// The signer's name, when it is a member (it always is for an accepted transaction).
        var signerName: String?
        /// The signer is suspended now: the step is badged, as what it attested weighs as self-issued.
        var signerSuspended = false
    }

    struct Data {
        var piece: Piece
        var steps: [Step]
        /// Names of the members the card refers to (owner, custodian), by id.
        var names: [MemberID: String]
        /// More history than one read returns: the steps shown are the oldest.
        var truncated: Bool
        /// Whether the viewer sees the full card, or only its provenance.
        var full: Bool
    }


    static func render(_ data: Data) -> HTML {
        let piece = data.piece
        guard data.full else {
            return """
                <p>Piece <code>\(piece.id.hex)</code>, registered \(DashboardFormat.dateTime(piece.registeredAt)). \
                Its provenance card: who owns it and what it is pledged or sold on is shown to its parties only.</p>
                <div class="figures">\
                \(figure("Custodian", custodian(piece.custody, data.names, owner: "with its owner"), id: "custodian"))\
                </div>
                <h2>Card</h2>\(card(piece))
                <h2>Steps</h2>\(steps(data))
                """
        }
        return """
            <p>Piece <code>\(piece.id.hex)</code>, registered \(DashboardFormat.dateTime(piece.registeredAt)).</p>
            <div class="figures">\
            \(figure("Status", piece.status == .active ? "active" : "sold", id: "status"))\
            \(figure("Owner", name(piece.owner, data.names), id: "owner"))\
            \(figure("Custodian", custodian(piece.custody, data.names, owner: "with its owner"), id: "custodian"))\
            \(figure("Pledged to loan", piece.pledgedTo.map { short($0.hash) } ?? "not pledged", id: "pledge"))\
            \(figure("On invoice", piece.onInvoice.map { short($0.hash) } ?? "none", id: "invoice"))\
            </div>
            <h2>Card</h2>\(card(piece))
            <h2>Steps</h2>\(steps(data))
            """
    }

    private static func figure(_ label: String, _ value: String, id: String) -> HTML {
        "<div class=\"figure\" id=\"figure-\(id)\">\(label)<b>\(value)</b></div>"
    }

    private static func short(_ hash: Hash256) -> String { String(hash.hex.prefix(10)) + "…" }

    private static func name(_ id: MemberID, _ names: [MemberID: String]) -> String {
        names[id] ?? short(id.hash)
    }

    private static func custodian(_ custody: Custody?, _ names: [MemberID: String], owner: String) -> String {
        guard let custody else { return owner }
        return name(custody.warehouse, names) + (custody.bonded ? " (bonded)" : "") + " since "
            + DashboardFormat.date(custody.since)
    }

    private static func card(_ piece: Piece) -> HTML {
        let card = piece.card
        let unit = card.category.weighedInCarats ? "millicarats" : "milligrams"
        var rows: [(String, String)] = [
            ("Category", APIJSON.Names.category(card.category)),
            ("Weight", "\(DashboardFormat.number(Double(card.weight))) \(unit)"),
        ]
        if let color = card.color { rows.append(("Colour", color.value)) }
        if let clarity = card.clarity { rows.append(("Clarity", clarity.value)) }
        if let cut = card.cut { rows.append(("Cut", cut.value)) }
        if let fineness = card.fineness { rows.append(("Fineness", "\(fineness) ‰")) }
        if !card.description.isEmpty { rows.append(("Description", card.description)) }
        if let certificate = piece.certificate {
            rows.append(
                (
                    "Certificate",
                    "\(certificate.number.value) by \(short(certificate.lab.hash))"
                        + (piece.certified ? ", confirmed by the lab" : ", not yet confirmed by the lab")
                ))
        }
        if let inspection = piece.inspection {
            rows.append(
                (
                    "Inspection",
                    "card \(inspection.cardNumber.value), \(inspection.passed ? "passed" : "failed") on "
                        + DashboardFormat.date(inspection.at)
                ))
        }
        if let audit = piece.lastAudit { rows.append(("Last audit", DashboardFormat.dateTime(audit))) }
        let cells = rows.map { HTML("<tr><th>\($0.0)</th><td>\($0.1)</td></tr>") }
        return "<div class=\"table\"><table id=\"card\"><tbody>\(cells)</tbody></table></div>"
    }

    private static func steps(_ data: Data) -> HTML {
        let shown = data.full ? data.steps : data.steps.filter { RecordScope.provenanceTags.contains($0.entry.kind) && $0.entry.accepted }
        guard !shown.isEmpty else { return "<p>No step recorded.</p>" }
        let items = shown.map { step in
            let entry = step.entry
            let hidden = !data.full && entry.kind == RecordScope.registrationTag
            let signer = hidden ? "its owner" : step.signerName ?? short(step.signer.hash)
            let signerID = hidden ? "" : step.signer.hex
            let badge: HTML =
                step.signerSuspended && !hidden
                ? """
                 <span class="badge suspended" title="suspended since: what it attested weighs as self-issued">\
                suspended</span>
                """
                : .empty
            let proof: HTML =
                !data.full ? "<span class=\"muted\">proof to its parties</span>"
                : entry.accepted
                ? """
                <a class="proof mono" href="/dash/proof/\(entry.transactionID.hex)" \
                data-bundle="/dash/proof/\(entry.transactionID.hex)/bundle" \
                title="\(entry.transactionID.hex)">proof</a>
                """
                : "<span class=\"warning\">refused: no proof</span>"
            return HTML(
                """
                <li data-step="\(entry.kindName)" data-height="\(entry.height)"><strong>\(entry.kindName)</strong> \
                <time datetime="\(entry.time.rfc3339)">\(DashboardFormat.dateTime(entry.time))</time>, \
                signed by <span class="signer" data-signer="\(signerID)">\(signer)</span>\(badge), block \
                \(entry.height) · \(proof)</li>
                """)
        }
        let note: HTML =
            data.truncated
            ? "<p class=\"warning\">The history is longer than one read returns: the oldest steps are shown.</p>"
            : .empty
        return "<ol class=\"steps\">\(items)</ol>\(note)"
    }
}
