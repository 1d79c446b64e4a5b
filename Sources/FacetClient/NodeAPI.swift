import FacetWire

/// The response bodies of a node's HTTP API under the client's names: the node's own types (`FacetWire`, one per
/// schema of `contracts/openapi.yaml`), so client and node cannot drift apart. Fields the schema marks required are
/// non-optional, so a response missing one fails to decode (`client.bad_response`) instead of showing as empty;
/// fields the schema leaves optional are optional. They encode back to the node's JSON for `--json` output.
/// Hashes, ids and keys stay hex strings, as on the wire; amounts convert to `Money` on request. Two are the
/// client's own: `Block`, whose header and certificate the schema leaves open objects, and `PieceCard`, which reads
/// either of the two cards `GET /v1/pieces/{id}` answers.
public enum NodeAPI {
    public typealias ErrorBody = APIJSON.ErrorBody
    public typealias Money = APIJSON.MoneyBody
    public typealias Status = APIJSON.StatusBody
    public typealias TransactionStatus = APIJSON.TransactionStatusBody
    public typealias BatchResult = APIJSON.BatchBody
    public typealias HistoryEntry = APIJSON.HistoryEntryBody
    public typealias Member = APIJSON.MemberBody
    public typealias Evidence = APIJSON.EvidenceBody
    public typealias Invoice = APIJSON.InvoiceBody
    public typealias Pledge = APIJSON.PledgeBody
    public typealias Loan = APIJSON.LoanBody
    public typealias AccessLog = APIJSON.AccessLogBody
    public typealias AccessReceipt = APIJSON.AccessReceiptBody
    public typealias ProvenanceStep = APIJSON.ProvenanceStepBody
    public typealias CreditReport = APIJSON.CreditReportBody
    public typealias CreditDecision = APIJSON.DecisionBody
    public typealias CreditOffers = APIJSON.CreditOffersBody
    public typealias CreditApplicants = APIJSON.ApplicantsBody
}

extension APIJSON.TransactionStatusBody {
    /// Committed or rejected: nothing will change it any more.
    public var isFinal: Bool { status != .pending }
}

extension APIJSON.BatchItemBody {
    public var isPending: Bool { status == "pending" }
}

extension APIJSON.CreditOffersBody {
    public typealias Terms = APIJSON.OfferTermsBody
}

extension APIJSON.ApplicantsBody {
    public typealias Applicant = APIJSON.ApplicantBody
}
