/// Why a proof bundle did not prove its transaction: a stable code per check (listed in `contracts/errors.md` and
/// `contracts/proof-bundle.md`) and a message naming exactly what failed. An auditor's tooling matches on the code;
/// the message is for the person reading the report.
public struct ProofFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The JSON, a hex string or a canonical encoding does not parse, or the version is not supported.
        public static let malformed = Code(rawValue: "proof.malformed")
        /// A header or the transaction names another chain than the genesis.
        public static let wrongChain = Code(rawValue: "proof.wrong_chain")
        /// The validator-set chain does not lead from the genesis set to the set that signed the header.
        public static let validatorChain = Code(rawValue: "proof.validator_chain")
        /// The header's commit certificate is not a quorum of valid precommits for that header.
        public static let certificate = Code(rawValue: "proof.certificate")
        /// The transaction's signature does not verify under the public key the bundle gives.
        public static let signature = Code(rawValue: "proof.signature")
        /// The transaction is not the log leaf the inclusion proof leads to under the header's log root.
        public static let inclusion = Code(rawValue: "proof.inclusion")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
