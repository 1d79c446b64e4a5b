import FacetCore
import Foundation

/// The bundle's file format (`contracts/proof-bundle.md`): JSON whose bytes are lowercase hex, and whose header,
/// certificates, validator sets and transaction are their canonical encodings (`contracts/encoding.md`) in hex,
/// so a verifier in another language parses them with the same rules the ledger signed them under.
extension ProofBundle {
    /// Parses a bundle file. Anything that does not parse (JSON, hex, canonical encodings, version) is
    /// `proof.malformed`; the transaction's own encoding is checked by `verify(genesis:)`.
    public init(json: Data) throws(ProofFailure) {
        let file: ProofBundleFile
        do {
            file = try StrictJSON.decode(ProofBundleFile.self, from: json)
        } catch {
            throw ProofFailure(.malformed, "the bundle is not a version 1 bundle: \(error.reason)")
        }
        guard file.inclusionProof.count <= MerkleTree.maxProofLength,
            file.validatorChain.count <= Limits.maxProofTransitions
        else { throw ProofFailure(.malformed, "the inclusion proof or the validator chain is over its limit") }
        var chain = [ValidatorTransition]()
        for (index, link) in file.validatorChain.enumerated() {
            let field = "validatorChain[\(index)]"
            chain.append(
                ValidatorTransition(
                    header: try Self.canonical(BlockHeader.self, link.header, field + ".header"),
                    certificate: try Self.canonical(CommitCertificate.self, link.certificate, field + ".certificate"),
                    validators: try Self.canonical(ValidatorSet.self, link.validators, field + ".validators")))
        }
        var proof = [Hash256]()
        for (index, entry) in file.inclusionProof.enumerated() {
            proof.append(Hash256(bytes: try Self.hex(entry, "inclusionProof[\(index)]", count: Hash256.byteCount)))
        }
        self.init(
            transaction: try Self.hex(file.transaction, "transaction"),
            signerPublicKey: PublicKey(
                raw: Hash256(bytes: try Self.hex(file.signerPublicKey, "signerPublicKey", count: Hash256.byteCount))),
            logIndex: file.logIndex, inclusionProof: proof,
            header: try Self.canonical(BlockHeader.self, file.header, "header"),
            certificate: try Self.canonical(CommitCertificate.self, file.certificate, "certificate"),
            validatorChain: chain)
    }

    /// The bundle as a file: pretty-printed with sorted keys, so the same bundle always gives the same bytes.
    public func jsonData() -> Data {
        StrictJSON.encode(
            ProofBundleFile(
                version: ProofBundle.version, transaction: Hex.encode(transaction),
                signerPublicKey: signerPublicKey.hex, logIndex: logIndex, inclusionProof: inclusionProof.map(\.hex),
                header: Hex.encode(header.canonicalBytes), certificate: Hex.encode(certificate.canonicalBytes),
                validatorChain: validatorChain.map {
                    ValidatorTransitionFile(
                        header: Hex.encode($0.header.canonicalBytes),
                        certificate: Hex.encode($0.certificate.canonicalBytes),
                        validators: Hex.encode($0.validators.canonicalBytes))
                }))
    }

    private static func hex(_ text: String, _ field: String, count: Int? = nil) throws(ProofFailure) -> [UInt8] {
        guard let bytes = Hex.decode(text) else { throw ProofFailure(.malformed, "\(field) is not hex") }
        if let count, bytes.count != count {
            throw ProofFailure(.malformed, "\(field) is \(bytes.count) bytes, not \(count)")
        }
        return bytes
    }

    private static func canonical<T: CanonicalDecodable>(_ type: T.Type, _ text: String, _ field: String)
        throws(ProofFailure) -> T
    {
        let bytes = try hex(text, field)
        do {
            return try T(canonicalBytes: bytes)
        } catch {
            throw ProofFailure(.malformed, "\(field) does not decode: \(error)")
        }
    }
}

/// The JSON shape of a bundle; only `ProofBundle+JSON` uses it.
private struct ProofBundleFile: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, transaction, signerPublicKey, logIndex, inclusionProof, header, certificate, validatorChain
    }

    var version: Int
    var transaction: String
    var signerPublicKey: String
    var logIndex: UInt64
    var inclusionProof: [String]
    var header: String
    var certificate: String
    var validatorChain: [ValidatorTransitionFile]

    init(
        version: Int, transaction: String, signerPublicKey: String, logIndex: UInt64, inclusionProof: [String],
        header: String, certificate: String, validatorChain: [ValidatorTransitionFile]
    ) {
        self.version = version
        self.transaction = transaction
        self.signerPublicKey = signerPublicKey
        self.logIndex = logIndex
        self.inclusionProof = inclusionProof
        self.header = header
        self.certificate = certificate
        self.validatorChain = validatorChain
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        guard version == ProofBundle.version else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "version \(version) is not supported (this verifier reads \(ProofBundle.version))")
        }
        try StrictJSON.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        transaction = try container.decode(String.self, forKey: .transaction)
        signerPublicKey = try container.decode(String.self, forKey: .signerPublicKey)
        logIndex = try container.decode(UInt64.self, forKey: .logIndex)
        inclusionProof = try container.decode([String].self, forKey: .inclusionProof)
        header = try container.decode(String.self, forKey: .header)
        certificate = try container.decode(String.self, forKey: .certificate)
        validatorChain = try container.decode([ValidatorTransitionFile].self, forKey: .validatorChain)
    }
}

private struct ValidatorTransitionFile: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable { case header, certificate, validators }

    var header: String
    var certificate: String
    var validators: String

    init(header: String, certificate: String, validators: String) {
        self.header = header
        self.certificate = certificate
        self.validators = validators
    }

    init(from decoder: any Decoder) throws {
        try StrictJSON.rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        header = try container.decode(String.self, forKey: .header)
        certificate = try container.decode(String.self, forKey: .certificate)
        validators = try container.decode(String.self, forKey: .validators)
    }
}
