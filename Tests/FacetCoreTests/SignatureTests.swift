import FacetCore
import FacetTestSupport
import Testing

@Suite struct SignatureTests {
    struct RawVector: Decodable { let seed, publicKey, message, signature: String }
    struct DomainVector: Decodable {
        let seed, publicKey, purpose, chainID, payload, message, signature: String
    }
    struct File: Decodable {
        let rfc8032: [RawVector]
        let domainSeparated: [DomainVector]
    }

    /// RFC 8032 section 7.1, TEST 1, typed in from the RFC rather than from any generator.
    @Test func rfc8032TestOne() throws {
        let key = try SigningKey(seed: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!)
        #expect(key.publicKey.hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = key.signRaw([])
        #expect(
            signature.hex
                == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        )
        #expect(key.publicKey.verifyRaw(signature, message: []))
        #expect(!key.publicKey.verifyRaw(signature, message: [0]))
    }

    @Test func rfc8032VectorsFromTheReferenceFile() throws {
        let file = try ContractFiles.json(File.self, "vectors/signatures.json")
        #expect(file.rfc8032.count == 3)
        for vector in file.rfc8032 {
            let key = try SigningKey(seed: Hex.decode(vector.seed)!)
            #expect(key.publicKey.hex == vector.publicKey)
            let signature = key.signRaw(Hex.decode(vector.message)!)
            #expect(signature.hex == vector.signature)
            #expect(key.publicKey.verifyRaw(signature, message: Hex.decode(vector.message)!))
        }
    }

    @Test func domainSeparatedSignaturesMatchTheSpecification() throws {
        let file = try ContractFiles.json(File.self, "vectors/signatures.json")
        for vector in file.domainSeparated {
            let key = try SigningKey(seed: Hex.decode(vector.seed)!)
            let purpose = try #require(SignaturePurpose.allCases.first { "\($0)" == vector.purpose })
            let chain = try Label(vector.chainID)
            let payload = Hex.decode(vector.payload)!
            #expect(
                SigningDomain.message(purpose: purpose, chainID: chain, payload: payload).hexString == vector.message)
            let signature = key.sign(purpose: purpose, chainID: chain, payload: payload)
            #expect(signature.hex == vector.signature)
            #expect(key.publicKey.verify(signature, purpose: purpose, chainID: chain, payload: payload))
        }
    }

    /// A signature for one purpose or chain never verifies for another.
    @Test(arguments: SignaturePurpose.allCases)
    func signaturesAreBoundToPurposeAndChain(purpose: SignaturePurpose) throws {
        let key = LedgerKeys.key(7)
        let chain = try Label("facet-a")
        let payload = Array("pledge piece 42".utf8)
        let signature = key.sign(purpose: purpose, chainID: chain, payload: payload)
        #expect(key.publicKey.verify(signature, purpose: purpose, chainID: chain, payload: payload))
        for other in SignaturePurpose.allCases where other != purpose {
            #expect(!key.publicKey.verify(signature, purpose: other, chainID: chain, payload: payload))
        }
        #expect(!key.publicKey.verify(signature, purpose: purpose, chainID: try Label("facet-b"), payload: payload))
        #expect(!key.publicKey.verify(signature, purpose: purpose, chainID: chain, payload: payload + [0]))
        #expect(!LedgerKeys.key(8).publicKey.verify(signature, purpose: purpose, chainID: chain, payload: payload))
        // Raw (undomained) verification of the same payload fails too.
        #expect(!key.publicKey.verifyRaw(signature, message: payload))
    }

    @Test func everyFlippedSignatureBitFails() throws {
        let key = LedgerKeys.key(3)
        let chain = try Label("facet-a")
        let payload = Array("offer".utf8)
        let signature = key.sign(purpose: .offer, chainID: chain, payload: payload)
        var bytes = signature.bytes
        for bit in stride(from: 0, to: 512, by: 7) {
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(!key.publicKey.verify(Signature(bytes: bytes)!, purpose: .offer, chainID: chain, payload: payload))
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
        }
    }

    @Test func badSeedsAreRefusedWithAStableCode() {
        #expect(throws: CoreError(.invalidKey, "an Ed25519 seed is 32 bytes")) { try SigningKey(seed: [1, 2, 3]) }
    }
}

/// Deterministic keys for tests.
enum LedgerKeys {
    static func key(_ n: UInt8) -> SigningKey {
        guard let key = try? SigningKey(seed: [UInt8](repeating: n, count: 32)) else { fatalError("32-byte seed") }
        return key
    }
}

extension Array where Element == UInt8 {
    var hexString: String { Hex.encode(self) }
}
