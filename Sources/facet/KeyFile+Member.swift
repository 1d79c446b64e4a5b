import ArgumentParser
import FacetClient
import FacetCore
import Foundation

/// A key file as the signer of transactions and signed reads: the key and the member id written beside it. The id
/// is read from the file, not derived from the key, because after `facet tx rotate-key` the new key signs for the
/// member id of the first one.
extension KeyFile {
    static func member(_ path: String) throws -> MemberKey {
        let key = try CLIFiles.usage { try read(path) }
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(KeyFile.self, from: data)
        else { throw ValidationError("cannot read \(path)") }
        guard let member = MemberID(hex: file.memberID) else {
            throw ValidationError("\(path): the member id is not 64 hex digits")
        }
        return MemberKey(member: member, key: key)
    }

    /// A key file for `key` that signs as `member` (a rotated key keeps its member's id).
    init(key: SigningKey, member: MemberID) {
        self.init(key: key)
        memberID = member.hex
    }
}
