import ArgumentParser
import FacetCore
import Foundation

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and inspect Ed25519 member keys.",
        subcommands: [Generate.self, New.self, Show.self]
    )

    /// `facet keys new`: the same as `generate`, under the verb the rest of the CLI uses (`genesis new`).
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new key file (alias of generate).")

        @OptionGroup var options: Generate

        func run() throws { try options.run() }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new key file (mode 0600).")

        @Option(help: "Where to write the key file.") var out: String
        @Flag(help: "Replace an existing file.") var force = false

        func run() throws {
            if FileManager.default.fileExists(atPath: out) && !force {
                throw ValidationError("\(out) exists; pass --force to replace it")
            }
            let key = SigningKey.generate()
            try KeyFile(key: key).write(to: out)
            KeyFile.describe(key)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a key file's public key and member id.")

        @Argument(help: "The key file.") var path: String

        func run() throws {
            KeyFile.describe(try KeyFile.read(path))
        }
    }
}

/// A member's key on disk: JSON with the hex seed and, for reading by people, the public key and member id.
struct KeyFile: Codable {
    var seed: String
    var publicKey: String
    var memberID: String

    init(key: SigningKey) {
        seed = Hex.encode(key.seed)
        publicKey = key.publicKey.hex
        memberID = MemberID(initialKey: key.publicKey).hex
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("cannot write \(path)") }
    }

    static func read(_ path: String) throws -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        let file = try JSONDecoder().decode(KeyFile.self, from: data)
        guard let seed = Hex.decode(file.seed) else { throw ValidationError("\(path): the seed is not hex") }
        let key = try SigningKey(seed: seed)
        guard key.publicKey.hex == file.publicKey.lowercased() else {
            throw ValidationError("\(path): the public key does not match the seed")
        }
        return key
    }

    static func describe(_ key: SigningKey) {
        print("public key: \(key.publicKey.hex)")
        print("member id:  \(MemberID(initialKey: key.publicKey).hex)")
    }
}
