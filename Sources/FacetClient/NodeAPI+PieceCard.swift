extension NodeAPI {
    /// A piece's card: the full card (owner, state, every step) to those the node shows it, or its provenance card
    /// (`view` is `provenance`: the identity card, certificate, inspection, custody and the provenance steps with
    /// who attested each, no owner, invoice or pledge) to anyone else.
    public struct PieceCard: Hashable, Sendable, Codable {
        public var id: String
        /// `provenance` for a provenance card; absent for the full card.
        public var view: String?
        public var owner: String?
        public var card: JSONValue
        public var certificate: JSONValue?
        public var certified: Bool?
        public var custody: JSONValue?
        public var pledgedTo: String?
        public var status: String?
        public var history: [HistoryEntry]?
        public var steps: [ProvenanceStep]?
        /// The piece's attestors suspended now (lab, inspector, custodian, signers of its steps).
        public var suspendedAttestors: [String]?

        public var isProvenanceOnly: Bool { view == "provenance" }
    }
}
