import Crypto
import Foundation

/// What a signature is for. The purpose and the chain id are signed with the message (see `SigningDomain`),
/// so a signature made for one purpose or one chain never verifies for another.
public enum SignaturePurpose: UInt8, Sendable, CaseIterable {
    case transaction = 1
    case proposal = 2
    case prevote = 3
    case precommit = 4
    case keyRotation = 5
    case validatorSetChange = 6
    case offer = 7
    case peerHandshake = 8
    case signIn = 9
    case blockHeader = 10
    case validatorKeyRotation = 11
}

/// The bytes actually signed: `"FACET-SIG\0" || purpose || len(chainID) || chainID || message`.
public enum SigningDomain {
    public static let tag: [UInt8] = Array("FACET-SIG".utf8) + [0]

    public static func message(purpose: SignaturePurpose, chainID: Label, payload: [UInt8]) -> [UInt8] {
        var encoder = CanonicalEncoder(reservingCapacity: payload.count + 48)
        encoder.raw(tag)
        encoder.u8(purpose.rawValue)
        encoder.encode(chainID)
        encoder.raw(payload)
        return encoder.bytes
    }
}

/// An Ed25519 public key (32 bytes).
public struct PublicKey: Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let raw: Hash256

    public init(raw: Hash256) {
        self.raw = raw
    }

    public init?(hex: String) {
        guard let raw = Hash256(hex: hex) else { return nil }
        self.raw = raw
    }

    public var bytes: [UInt8] { raw.bytes }
    public var hex: String { raw.hex }
    public var description: String { "ed25519:\(raw.hex)" }

    public static func < (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.raw < rhs.raw }

    /// Verifies an Ed25519 signature over the domain-separated message (RFC 8032, strict encoding checks
    /// as BoringSSL applies them).
    public func verify(_ signature: Signature, purpose: SignaturePurpose, chainID: Label, payload: [UInt8]) -> Bool {
        verifyRaw(signature, message: SigningDomain.message(purpose: purpose, chainID: chainID, payload: payload))
    }

    /// Verifies a signature over exactly `message` with no domain prefix: only for RFC 8032 test vectors.
    public func verifyRaw(_ signature: Signature, message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return false }
        return key.isValidSignature(signature.bytes, for: message)
    }

    public func encode(to encoder: inout CanonicalEncoder) { raw.encode(to: &encoder) }
    public init(from decoder: inout CanonicalDecoder) throws(CoreError) { raw = try Hash256(from: &decoder) }
}

/// An Ed25519 signature (64 bytes), held as two halves so it never allocates.
public struct Signature: Hashable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let r: Hash256
    public let s: Hash256

    public init(r: Hash256, s: Hash256) {
        self.r = r
        self.s = s
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 64 else { return nil }
        r = Hash256(bytes: bytes[0..<32])
        s = Hash256(bytes: bytes[32..<64])
    }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] { r.bytes + s.bytes }
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public func encode(to encoder: inout CanonicalEncoder) {
        r.encode(to: &encoder)
        s.encode(to: &encoder)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        r = try Hash256(from: &decoder)
        s = try Hash256(from: &decoder)
    }
}

/// An Ed25519 private key. Signing is deterministic (RFC 8032), so the same key and message give the same
/// signature on every node.
public struct SigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// From the 32-byte seed of RFC 8032.
    public init(seed: [UInt8]) throws(CoreError) {
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw CoreError(.invalidKey, "an Ed25519 seed is 32 bytes")
        }
    }

    /// A fresh key from the system's secure random source; for `facet keys`, never inside the ledger.
    public static func generate() -> SigningKey {
        SigningKey(key: Curve25519.Signing.PrivateKey())
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
    }

    public var seed: [UInt8] { Array(key.rawRepresentation) }
    public var publicKey: PublicKey { PublicKey(raw: Hash256(bytes: Array(key.publicKey.rawRepresentation))) }

    public func sign(purpose: SignaturePurpose, chainID: Label, payload: [UInt8]) -> Signature {
        signRaw(SigningDomain.message(purpose: purpose, chainID: chainID, payload: payload))
    }

    /// Signs exactly `message` with no domain prefix: only for RFC 8032 test vectors.
    public func signRaw(_ message: [UInt8]) -> Signature {
        guard let bytes = try? key.signature(for: message), let signature = Signature(bytes: Array(bytes)) else {
            preconditionFailure("Ed25519 signing failed")
        }
        return signature
    }
}
