import FacetClient
import FacetCore
import FacetFiles
import Foundation
import Testing

/// FacetFiles: key files and local files fail with a `FileError` whose code says why, and change nothing.
@Suite struct LocalFilesTests {
    @Test func aKeyFileRoundTripsWithItsMemberID() throws {
        let folder = try TemporaryFolder()
        let key = SigningKey.generate()
        let member = MemberID(initialKey: SigningKey.generate().publicKey)
        try KeyFile(key: key, member: member).write(to: folder.path("rotated.key"))
        let read = try KeyFile.member(folder.path("rotated.key"))
        #expect(read.member == member)
        #expect(read.key.publicKey == key.publicKey)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("rotated.key"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func eachBadFileHasItsCode() throws {
        let folder = try TemporaryFolder()
        #expect(throws: FileError(.unreadable, "cannot read \(folder.path("missing.key"))")) {
            try KeyFile.read(folder.path("missing.key"))
        }
        var file = KeyFile(key: SigningKey.generate())
        file.publicKey = SigningKey.generate().publicKey.hex
        try JSONEncoder().encode(file).write(to: folder.url.appendingPathComponent("mismatch.key"))
        #expect(throws: FileError(.invalid, "\(folder.path("mismatch.key")): the public key does not match the seed")) {
            try KeyFile.read(folder.path("mismatch.key"))
        }
        try Data("{}".utf8).write(to: folder.url.appendingPathComponent("empty.key"))
        do {
            _ = try KeyFile.member(folder.path("empty.key"))
            Issue.record("an empty object read as a key file")
        } catch {
            #expect(error.code == .invalid)
        }
        let unwritable = folder.path("no-such-folder/out.json")
        #expect(throws: FileError(.unwritable, "cannot write \(unwritable)")) {
            try LocalFiles.write(Data("x".utf8), to: unwritable)
        }
        #expect(!FileManager.default.fileExists(atPath: unwritable))
        try Data("{\"not\": \"a genesis\"}".utf8).write(to: folder.url.appendingPathComponent("genesis.json"))
        do {
            _ = try LocalFiles.genesis(folder.path("genesis.json"))
            Issue.record("a JSON object that is no genesis parsed")
        } catch {
            #expect(error.code == .invalid)
        }
    }
}
