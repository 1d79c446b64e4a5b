import FacetCore

/// Why a transaction was refused: a stable, opaque `code` (listed in `contracts/errors.md`) and a plain
/// message. A refused transaction changes no state.
public typealias LedgerError = FacetError<LedgerErrorCode>

/// The ledger's codes, one family per block below (the contract files add their families' codes).
public struct LedgerErrorCode: ErrorCode, RawRepresentable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension FacetError where Codes == LedgerErrorCode {
    /// Core errors (encoding, money) keep their own codes.
    public init(_ error: CoreError) {
        self.init(Code(rawValue: error.code.rawValue), error.message)
    }
}

extension LedgerErrorCode {
    // Envelope and signer
    public static let wrongChain = Self(rawValue: "tx.wrong_chain")
    public static let unknownSigner = Self(rawValue: "tx.unknown_signer")
    public static let badSignature = Self(rawValue: "tx.bad_signature")
    public static let nonceReplay = Self(rawValue: "tx.nonce_replay")
    /// At admission: the ledger already ruled on these very bytes (committed or refused them).
    public static let alreadyDecided = Self(rawValue: "tx.already_decided")
    public static let signerSuspended = Self(rawValue: "tx.signer_suspended")
    public static let signerNotActive = Self(rawValue: "tx.signer_not_active")
    public static let missingRole = Self(rawValue: "auth.missing_role")
    public static let notAuthorized = Self(rawValue: "auth.not_authorized")
    // Membership
    public static let memberExists = Self(rawValue: "member.exists")
    public static let unknownMember = Self(rawValue: "member.unknown")
    public static let memberNotPending = Self(rawValue: "member.not_pending")
    public static let alreadyApproved = Self(rawValue: "member.already_approved")
    public static let memberNotActive = Self(rawValue: "member.not_active")
    public static let memberNotSuspended = Self(rawValue: "member.not_suspended")
    public static let invalidRoles = Self(rawValue: "member.invalid_roles")
    public static let keyInUse = Self(rawValue: "member.key_in_use")
    public static let badKeyProof = Self(rawValue: "member.bad_key_proof")
    /// The act would leave fewer active admins than the quorum (`memberApprovals`) that every admin act needs.
    public static let adminFloor = Self(rawValue: "member.admin_floor")
    public static let validatorQuorum = Self(rawValue: "validators.no_quorum")
    public static let validatorSetInvalid = Self(rawValue: "validators.invalid_set")
    public static let validatorChangePending = Self(rawValue: "validators.change_pending")
    public static let validatorEffectiveHeight = Self(rawValue: "validators.bad_effective_height")
    // Evidence
    public static let evidenceUnknownOffender = Self(rawValue: "evidence.unknown_offender")
    public static let evidenceFutureSlot = Self(rawValue: "evidence.future_slot")
    public static let evidenceNotProven = Self(rawValue: "evidence.not_proven")
    public static let evidenceDuplicate = Self(rawValue: "evidence.duplicate")
    // Genesis files
    public static let genesisInvalid = Self(rawValue: "genesis.invalid")
    // Inventory
    public static let unknownPiece = Self(rawValue: "piece.unknown")
    public static let notOwner = Self(rawValue: "piece.not_owner")
    public static let certificateExists = Self(rawValue: "piece.certificate_exists")
    public static let certificateMismatch = Self(rawValue: "piece.certificate_mismatch")
    public static let alreadyCertified = Self(rawValue: "piece.already_certified")
    public static let invalidCard = Self(rawValue: "piece.invalid_card")
    public static let inCustody = Self(rawValue: "piece.in_custody")
    public static let notCustodian = Self(rawValue: "piece.not_custodian")
    public static let piecePledged = Self(rawValue: "piece.pledged")
    public static let pieceLocked = Self(rawValue: "piece.on_invoice")
    public static let pieceNotActive = Self(rawValue: "piece.not_active")
    // Trade
    public static let unknownInvoice = Self(rawValue: "invoice.unknown")
    public static let notBuyer = Self(rawValue: "invoice.not_buyer")
    public static let notParty = Self(rawValue: "invoice.not_party")
    public static let alreadyConfirmed = Self(rawValue: "invoice.already_confirmed")
    public static let invoiceCancelled = Self(rawValue: "invoice.cancelled")
    public static let overpayment = Self(rawValue: "invoice.overpayment")
    public static let invalidAmount = Self(rawValue: "amount.invalid")
    public static let currencyMismatch = Self(rawValue: "money.currency_mismatch")
    public static let invalidDate = Self(rawValue: "date.invalid")
    public static let selfDealing = Self(rawValue: "invoice.self_dealing")
    public static let disputeOpen = Self(rawValue: "dispute.open")
    public static let unknownDispute = Self(rawValue: "dispute.unknown")
    public static let disputeClosed = Self(rawValue: "dispute.closed")
    public static let settlementExists = Self(rawValue: "settlement.exists")
    public static let invalidPeriod = Self(rawValue: "settlement.invalid_period")
    // Market data
    public static let invalidPrice = Self(rawValue: "price.invalid")
    /// A band outside its category's grammar (`contracts/transactions.md`), which no valuation could read.
    public static let invalidBand = Self(rawValue: "price.invalid_band")
    // Finance
    public static let noConsent = Self(rawValue: "consent.missing")
    public static let unknownOffer = Self(rawValue: "offer.unknown")
    public static let offerExpired = Self(rawValue: "offer.expired")
    public static let offerNotOpen = Self(rawValue: "offer.not_open")
    public static let futureHeight = Self(rawValue: "offer.future_height")
    public static let unknownModel = Self(rawValue: "offer.unknown_model")
    public static let modelAlreadyRegistered = Self(rawValue: "model.already_registered")
    public static let unknownLoan = Self(rawValue: "loan.unknown")
    public static let loanNotActive = Self(rawValue: "loan.not_active")
    public static let notBorrower = Self(rawValue: "loan.not_borrower")
    public static let notLender = Self(rawValue: "loan.not_lender")
    public static let notDue = Self(rawValue: "loan.not_due")
    public static let alreadyPledged = Self(rawValue: "pledge.already_pledged")
    public static let alreadyFinanced = Self(rawValue: "pledge.already_financed")
    public static let notPledged = Self(rawValue: "pledge.not_pledged")
    public static let overRepayment = Self(rawValue: "loan.overpayment")
    /// Only a loan's lender (a receipt) or its borrower (a claim) signs a repayment on it.
    public static let repaymentNotParty = Self(rawValue: "repay.not_party")
    public static let unknownClaim = Self(rawValue: "repay.unknown_claim")
    public static let claimClosed = Self(rawValue: "repay.claim_closed")
    /// The borrower already has a claim on the loan awaiting its lender's confirmation.
    public static let claimPending = Self(rawValue: "repay.claim_pending")
    public static let coverageExceeded = Self(rawValue: "guarantee.coverage_exceeded")
}
