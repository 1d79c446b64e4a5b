import FacetClient
import FacetCore
import Foundation

/// A member's key on disk: JSON with the hex seed and, for reading by people, the public key and member id.
public struct KeyFile: Codable, Sendable {
    public var seed: String
    public var publicKey: String
    public var memberID: String

    public init(key: SigningKey) {
        seed = Hex.encode(key.seed)
        publicKey = key.publicKey.hex
        memberID = MemberID(initialKey: key.publicKey).hex
    }

    /// A key file for `key` that signs as `member` (a rotated key keeps its member's id).
    public init(key: SigningKey, member: MemberID) {
        self.init(key: key)
        memberID = member.hex
    }

    /// Writes the file readable by its owner only.
    public func write(to path: String) throws(FileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { preconditionFailure("a key file always encodes") }
        try LocalFiles.write(data, to: path, attributes: [.posixPermissions: 0o600])
    }

    public static func read(_ path: String) throws(FileError) -> SigningKey {
        let file = try decode(path)
        guard let seed = Hex.decode(file.seed) else { throw FileError(.invalid, "\(path): the seed is not hex") }
        let key: SigningKey
        do {
            key = try SigningKey(seed: seed)
        } catch {
            throw FileError(.invalid, "\(path): \(error)")
        }
        guard key.publicKey.hex == file.publicKey.lowercased() else {
            throw FileError(.invalid, "\(path): the public key does not match the seed")
        }
        return key
    }

    /// A key file as the signer of transactions and signed reads: the key and the member id written beside it. The
    /// id is read from the file, not derived from the key, because after `facet tx rotate-key` the new key signs
    /// for the member id of the first one.
    public static func member(_ path: String) throws(FileError) -> MemberKey {
        let key = try read(path)
        guard let member = MemberID(hex: try decode(path).memberID) else {
            throw FileError(.invalid, "\(path): the member id is not 64 hex digits")
        }
        return MemberKey(member: member, key: key)
    }

    private static func decode(_ path: String) throws(FileError) -> KeyFile {
        let data = try LocalFiles.read(path)
        do {
            return try JSONDecoder().decode(KeyFile.self, from: data)
        } catch {
            throw FileError(.invalid, "\(path): not a key file (\(error))")
        }
    }
}
