import FacetCore

extension NodeClient {
    /// `GET /v1/credit/applicants`, signed by a lender.
    public func creditApplicants(signer: MemberKey) async throws(ClientError) -> NodeAPI.CreditApplicants {
        try await signedGet(NodeAPI.CreditApplicants.self, "/v1/credit/applicants", signer: signer)
    }

    /// `GET /v1/credit/{firm}/report`, signed by the firm or a lender holding its consent.
    public func creditReport(of firm: MemberID, signer: MemberKey, tenorDays: UInt32? = nil)
        async throws(ClientError) -> NodeAPI.CreditReport
    {
        try await signedGet(NodeAPI.CreditReport.self, NodeClient.creditPath(firm, "report", tenorDays), signer: signer)
    }

    /// `GET /v1/credit/{firm}/offers`, signed by a lender holding the firm's consent.
    public func creditOffers(of firm: MemberID, signer: MemberKey, tenorDays: UInt32? = nil)
        async throws(ClientError) -> NodeAPI.CreditOffers
    {
        try await signedGet(NodeAPI.CreditOffers.self, NodeClient.creditPath(firm, "offers", tenorDays), signer: signer)
    }

    static func creditPath(_ firm: MemberID, _ what: String, _ tenorDays: UInt32?) -> String {
        "/v1/credit/\(firm.hex)/\(what)" + (tenorDays.map { "?tenor=\($0)" } ?? "")
    }
}
