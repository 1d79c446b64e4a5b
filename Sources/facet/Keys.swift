import ArgumentParser
import FacetCore
import FacetFiles
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

extension KeyFile {
    static func describe(_ key: SigningKey) {
        print("public key: \(key.publicKey.hex)")
        print("member id:  \(MemberID(initialKey: key.publicKey).hex)")
    }
}
