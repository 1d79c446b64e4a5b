import FacetCore
import FacetLedger
import FacetTestSupport
import FacetTestTraits
import Testing

@Suite(.onOwnThread) struct TransactionEncodingTests {
    struct Valid: Decodable { let name, type, hex: String }
    struct Invalid: Decodable { let name, type, hex, code: String }
    struct TransactionVector: Decodable {
        let firmSeed, firmPublicKey, signer, lab, chainID, signingPayload, signedMessage, signature, hex, id: String
        let leafHash: String
        let nonce: UInt64
    }
    struct File: Decodable {
        let valid: [Valid]
        let invalid: [Invalid]
        let transaction: TransactionVector
    }

    static let file: File? = try? ContractFiles.json(File.self, "vectors/encoding.json")

    /// Decodes `bytes` as the vector's type and re-encodes it.
    static func roundTrip(_ type: String, _ bytes: [UInt8]) throws(CoreError) -> [UInt8] {
        switch type {
        case "length":
            var decoder = CanonicalDecoder(bytes)
            let value = try decoder.length(max: Int(UInt32.max))
            try decoder.finish()
            var encoder = CanonicalEncoder()
            encoder.length(value)
            return encoder.bytes
        case "u64": return try UInt64(canonicalBytes: bytes).canonicalBytes
        case "i64":
            var decoder = CanonicalDecoder(bytes)
            let value = try decoder.i64()
            try decoder.finish()
            var encoder = CanonicalEncoder()
            encoder.i64(value)
            return encoder.bytes
        case "bool": return try Bool(canonicalBytes: bytes).canonicalBytes
        case "text": return try String(canonicalBytes: bytes).canonicalBytes
        case "label": return try Label(canonicalBytes: bytes).canonicalBytes
        case "money": return try Money(canonicalBytes: bytes).canonicalBytes
        case "timestamp": return try Timestamp(canonicalBytes: bytes).canonicalBytes
        case "roles": return try Roles(canonicalBytes: bytes).canonicalBytes
        case "identityCard": return try IdentityCard(canonicalBytes: bytes).canonicalBytes
        case "transaction": return try Transaction(canonicalBytes: bytes).canonicalBytes
        case "pieceSet":
            var decoder = CanonicalDecoder(bytes)
            let set = try decoder.sortedSet(PieceID.self, max: Limits.maxPiecesPerInvoice)
            try decoder.finish()
            var encoder = CanonicalEncoder()
            encoder.sortedSet(set)
            return encoder.bytes
        default: preconditionFailure("unknown vector type \(type)")
        }
    }

    @Test func validVectorsDecodeAndReencodeByteForByte() throws {
        let file = try #require(Self.file)
        #expect(file.valid.count >= 25)
        for vector in file.valid {
            let bytes = try #require(Hex.decode(vector.hex))
            #expect(try Self.roundTrip(vector.type, bytes) == bytes, "\(vector.name)")
        }
    }

    @Test func invalidVectorsAreRefusedWithTheirCodes() throws {
        let file = try #require(Self.file)
        #expect(file.invalid.count >= 20)
        for vector in file.invalid {
            let bytes = try #require(Hex.decode(vector.hex))
            do {
                _ = try Self.roundTrip(vector.type, bytes)
                Issue.record("\(vector.name) decoded but must be refused")
            } catch {
                #expect(error.code.rawValue == vector.code, "\(vector.name)")
            }
        }
    }

    /// The Swift encoder builds, signs and hashes the reference transaction exactly as the Python reference.
    @Test func referenceTransactionIsReproducedExactly() throws {
        let vector = try #require(Self.file?.transaction)
        let firm = try SigningKey(seed: Hex.decode(vector.firmSeed)!)
        #expect(firm.publicKey.hex == vector.firmPublicKey)
        #expect(MemberID(initialKey: firm.publicKey).hex == vector.signer)
        let card = IdentityCard(
            category: .naturalDiamond, weight: 1010, color: try Label("D"),
            clarity: try Label("VS1"), cut: try Label("EX"), fineness: nil,
            description: "圆钻 round brilliant")
        let certificate = CertificateRef(lab: MemberID(hex: vector.lab)!, number: try Label("GIA-2141438167"))
        let transaction = Transaction.signed(
            chainID: try Label(vector.chainID), signer: MemberID(initialKey: firm.publicKey), nonce: vector.nonce,
            body: .registerPiece(.init(card: card, certificate: certificate)), key: firm)
        #expect(Hex.encode(transaction.signingPayload) == vector.signingPayload)
        #expect(transaction.signature.hex == vector.signature)
        #expect(Hex.encode(transaction.canonicalBytes) == vector.hex)
        #expect(transaction.id.hex == vector.id)
        #expect(MerkleTree.leafHash(transaction.canonicalBytes).hex == vector.leafHash)
        #expect(transaction.hasValidSignature(key: firm.publicKey))
        let decoded = try Transaction(canonicalBytes: Hex.decode(vector.hex)!)
        #expect(decoded == transaction)
    }

    /// Every kind survives a round trip, for many random values.
    @Test(arguments: 0..<RandomBodies.kindCount)
    func everyKindRoundTrips(kind: Int) throws {
        var random = RandomBodies(seed: UInt64(kind) &* 7919 &+ 1)
        for _ in 0..<40 {
            let transaction = random.transaction(kind)
            let bytes = transaction.canonicalBytes
            #expect(bytes.count <= Limits.maxTransactionBytes)
            let decoded = try Transaction(canonicalBytes: bytes)
            #expect(decoded == transaction, "kind \(kind)")
            #expect(decoded.canonicalBytes == bytes, "kind \(kind)")
            #expect(decoded.body.tag == transaction.body.tag)
        }
    }

    /// Mutated and truncated transactions never crash the decoder, and what still decodes re-encodes to the
    /// very same bytes (no two byte strings decode to one value).
    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func mutatedTransactionsNeverCrashOrDecodeNonCanonically(seed: UInt64) {
        var random = RandomBodies(seed: seed)
        var decodedCount = 0
        for round in 0..<1_500 {
            var bytes = random.transaction(round % RandomBodies.kindCount).canonicalBytes
            switch random.int(0...3) {
            case 0:
                for _ in 0..<random.int(1...4) { bytes[random.int(0...bytes.count - 1)] = random.int(0...255) }
            case 1: bytes.removeLast(random.int(1...min(8, bytes.count)))
            case 2: bytes.insert(random.int(0...255), at: random.int(0...bytes.count))
            default:
                let index = random.int(0...bytes.count - 1)
                bytes[index] ^= 1 << random.int(0...7)
            }
            if let decoded = try? Transaction(canonicalBytes: bytes) {
                decodedCount += 1
                #expect(decoded.canonicalBytes == bytes, "seed \(seed) round \(round): \(Hex.encode(bytes))")
            }
        }
        #expect(decodedCount > 0, "seed \(seed): some mutations (in signatures, hashes) must still decode")
    }

    @Test(arguments: [21, 22] as [UInt64])
    func randomBytesNeverCrashTheTransactionDecoder(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for _ in 0..<3_000 {
            let bytes = rng.bytes(Int.random(in: 0...300, using: &rng))
            if let decoded = try? Transaction(canonicalBytes: bytes) {
                #expect(decoded.canonicalBytes == bytes, "seed \(seed)")
            }
        }
    }
}
