import FacetCore
import FacetNode
import Foundation
import Testing

/// The keyring reads its folder for a key the validator set names that it does not hold: at once for a key not
/// asked before (a rotation's key file is written before its transaction), then only every `missesPerRead` asks,
/// so a set naming a key this validator never got does not cost a read of the whole folder at every height.
@Suite struct ValidatorKeyringTests {
    func key(_ byte: UInt8) -> SigningKey {
        try! SigningKey(seed: Array(repeating: byte, count: 32))
    }

    func write(_ key: SigningKey, into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let json = "{\"seed\":\"\(Hex.encode(key.seed))\",\"publicKey\":\"\(key.publicKey.hex)\"}"
        let path = directory + "/" + key.publicKey.hex + ".key"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func aMissingKeyIsLookedForAtOnceThenOnlyEverySoManyAsks() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("keyring-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let member = key(1)
        let rotated = key(2)
        let missing = key(3)
        let keyring = ValidatorKeyring(memberKey: member, dataDirectory: data)
        let folder = ValidatorKeyring.directory(dataDirectory: data)
        try write(rotated, into: folder)

        #expect(keyring.key(for: member.publicKey)?.publicKey == member.publicKey)
        #expect(keyring.folderReads == 0, "a held key reads nothing")
        #expect(keyring.key(for: rotated.publicKey)?.publicKey == rotated.publicKey, "a new key: read at once")
        #expect(keyring.folderReads == 1)
        #expect(keyring.key(for: rotated.publicKey) != nil && keyring.folderReads == 1, "then held")

        #expect(keyring.key(for: missing.publicKey) == nil)
        #expect(keyring.folderReads == 2, "a key not asked before: read at once")
        for _ in 1..<ValidatorKeyring.missesPerRead { #expect(keyring.key(for: missing.publicKey) == nil) }
        #expect(keyring.folderReads == 2, "still missing: not read at every ask")
        try write(missing, into: folder)
        #expect(keyring.key(for: missing.publicKey)?.publicKey == missing.publicKey, "the next read finds it")
        #expect(keyring.folderReads == 3)
    }

    @Test func aKeyringWithoutAFolderNeverReads() {
        let keyring = ValidatorKeyring(memberKey: key(4))
        #expect(keyring.key(for: key(5).publicKey) == nil)
        #expect(keyring.folderReads == 0)
    }
}
