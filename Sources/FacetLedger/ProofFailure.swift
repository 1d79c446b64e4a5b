import FacetCore

/// Why a proof bundle did not prove its transaction: a stable code per check (listed in `contracts/errors.md` and
/// `contracts/proof-bundle.md`) and a message naming exactly what failed. An auditor's tooling matches on the code;
/// the message is for the person reading the report.
public typealias ProofFailure = FacetError<ProofFailureCode>

/// The codes of `ProofFailure`.
public struct ProofFailureCode: ErrorCode, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The JSON, a hex string or a canonical encoding does not parse, or the version is not supported.
    public static let malformed = Self(rawValue: "proof.malformed")
    /// A header or the transaction names another chain than the genesis.
    public static let wrongChain = Self(rawValue: "proof.wrong_chain")
    /// The validator-set chain does not lead from the genesis set to the set that signed the header.
    public static let validatorChain = Self(rawValue: "proof.validator_chain")
    /// The header's commit certificate is not a quorum of valid precommits for that header.
    public static let certificate = Self(rawValue: "proof.certificate")
    /// The transaction's signature does not verify under the public key the bundle gives.
    public static let signature = Self(rawValue: "proof.signature")
    /// The transaction is not the log leaf the inclusion proof leads to under the header's log root.
    public static let inclusion = Self(rawValue: "proof.inclusion")
}
